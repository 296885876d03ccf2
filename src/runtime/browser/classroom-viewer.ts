/**
 * <cotton-room>: the student's side of the classroom, on the light room page
 * (src/pages/room.astro, /room/?id=ROOM). It joins the room on the relay and
 * follows the teacher's machine: the terminal in xterm.js (sized to the
 * teacher's, its font scaled to fit a phone's width), the screen as an image,
 * and, when the teacher plays a recording to the room, a <cotton-player> that
 * follows the teacher's play, pause, seek and speed.
 *
 * A late joiner starts from the relay's keyframe (the teacher's terminal state)
 * and the stream after it, so it sees the current screen at once. "Keep a
 * recording" records what arrives (like the original NEX tool's `catch`), on
 * this page's clock, into a .nex the student saves; it opens with the screen
 * as it was when recording began. When the teacher hands over the keyboard,
 * what this student types goes to the teacher's machine.
 */
import { SerializeAddon } from '@xterm/addon-serialize';
import { Terminal } from '@xterm/xterm';
import type { PlayMessage, ServerMessage } from '../../classroom/protocol';
import { decodeBase64 } from '../../nex/base64';
import { writeNex } from '../../nex/nex-format';
import { SessionRecorder } from '../../nex/recorder';
import { RelayConnection } from './classroom-connection';
import { inOrder } from '../player/player-keyframes';
import { bufferText } from './terminal';

type RoomStatus =
  | 'connecting'
  | 'watching'
  | 'teacher-away'
  | 'replay'
  | 'expired'
  | 'no-room'
  | 'disconnected';

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: 'connecting…',
  watching: 'live',
  'teacher-away': 'the teacher has left (the room stays open for a while)',
  replay: 'the teacher is playing a recording',
  expired: 'the room expired',
  'no-room': 'there is no such room (it may have expired)',
  disconnected: 'disconnected from the classroom server',
};

interface PlayerLike extends HTMLElement {
  state(): { loaded: boolean; playing: boolean; position: number; speed: number };
  seek(at: number): void;
}

const PLAY_TOLERANCE_SECONDS = 0.25;

export class CottonRoomElement extends HTMLElement {
  private terminal!: Terminal;
  private serializer!: SerializeAddon;
  private connection: RelayConnection | null = null;
  private you = '';
  private holder: string | null = null;
  private teacherPresent = false;
  private replaying = false;
  private ended = false;
  private recorder: SessionRecorder | null = null;
  private recordingStarted = 0;
  private player: PlayerLike | null = null;
  private play: { message: PlayMessage; receivedAt: number } | null = null;

  connectedCallback(): void {
    if (this.terminal) return;
    this.terminal = new Terminal({
      rows: 24,
      scrollback: 2000,
      disableStdin: true,
      allowProposedApi: true,
      fontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
      fontSize: 14,
      theme: { background: '#17181c', foreground: '#e6e6e6', cursor: '#e6e6e6' },
    });
    this.serializer = new SerializeAddon();
    this.terminal.loadAddon(this.serializer);
    this.terminal.open(this.child('.cr-terminal'));
    this.terminal.onData((data) => {
      if (this.holder === this.you) this.connection?.send({ type: 'input', data });
    });
    new ResizeObserver(() => this.fitFont()).observe(this.child('.cr-terminal'));
    this.child('.cr-record').addEventListener('change', (event) =>
      this.toggleRecording((event.target as HTMLInputElement).checked),
    );
    this.child('.cr-save').addEventListener('click', () => this.saveRecording());
    void this.join();
  }

  /** The terminal's text (scrollback and screen), for the browser tests. */
  terminalText(): string {
    return bufferText(this.terminal);
  }

  get status(): string {
    return this.dataset.status ?? 'connecting';
  }

  private async join(): Promise<void> {
    const room = new URLSearchParams(location.search).get('id') ?? '';
    this.child('.cr-room').textContent = room || '—';
    if (!room) return this.setStatus('no-room');
    this.setStatus('connecting');
    try {
      this.connection = await RelayConnection.open({
        message: (message) => this.onMessage(message),
        closed: () => {
          if (!this.ended) this.setStatus('disconnected');
        },
      });
    } catch {
      return this.setStatus('disconnected');
    }
    const name = localStorage.getItem('cotton-room-name') ?? '';
    this.connection.send({ type: 'join', room, ...(name ? { name } : {}) });
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        this.you = message.you;
        this.teacherPresent = message.teacher;
        this.setKeyboard(message.holder);
        return this.refreshStatus();
      case 'keyframe':
        return this.applyKeyframe(message.cols, message.rows, message.state);
      case 'output': {
        const bytes = decodeBase64(message.data);
        this.terminal.write(bytes);
        this.recorder?.output(bytes, this.recordingNs());
        return;
      }
      case 'resize':
        inOrder(this.terminal, () => this.resizeTerminal(message.cols, message.rows));
        this.recorder?.resize(message.cols, message.rows, this.recordingNs());
        return;
      case 'screen': {
        const image = this.child('.cr-screen') as HTMLImageElement;
        image.src = message.image;
        image.hidden = false;
        return;
      }
      case 'play':
        return this.followPlay(message);
      case 'keyboard':
        return this.setKeyboard(message.holder);
      case 'teacher':
        this.teacherPresent = message.present;
        return this.refreshStatus();
      case 'expired':
        this.ended = true;
        return this.setStatus('expired');
      case 'error':
        if (message.code === 'no-room') {
          this.ended = true;
          this.setStatus('no-room');
        } else console.warn(`classroom relay: ${message.code}: ${message.message}`);
        return;
    }
  }

  /** Reset the terminal to the teacher's state (queued behind the writes before it). */
  private applyKeyframe(cols: number, rows: number, state: string): void {
    inOrder(this.terminal, () => {
      this.terminal.reset();
      this.resizeTerminal(cols, rows);
    });
    this.terminal.write(state);
    this.recorder?.output(new TextEncoder().encode(`\x1bc${state}`), this.recordingNs());
  }

  private resizeTerminal(cols: number, rows: number): void {
    this.terminal.resize(cols, rows);
    this.fitFont();
  }

  /** The teacher's columns, in a font small enough for the page's width (a phone's too). */
  private fitFont(): void {
    const width = this.child('.cr-terminal').clientWidth;
    if (!width) return;
    const size = Math.max(6, Math.min(15, Math.floor(width / (this.terminal.cols * 0.62))));
    if (this.terminal.options.fontSize !== size) this.terminal.options.fontSize = size;
  }

  private setKeyboard(holder: string | null): void {
    this.holder = holder;
    const mine = holder !== null && holder === this.you;
    this.terminal.options.disableStdin = !mine;
    const notice = this.child('.cr-keyboard');
    notice.hidden = !mine;
    if (mine) this.terminal.focus();
  }

  // ---- replay -------------------------------------------------------------------

  private followPlay(message: PlayMessage): void {
    this.play = { message, receivedAt: performance.now() };
    this.replaying = message.src !== null;
    this.child('.cr-live').hidden = this.replaying;
    this.refreshStatus();
    if (message.src === null) {
      this.player?.remove();
      this.player = null;
      return;
    }
    if (!this.player || this.player.dataset.src !== message.src) {
      this.player?.remove();
      const template = this.querySelector<HTMLTemplateElement>('.cr-player-template')!;
      const player = (template.content.firstElementChild as PlayerLike).cloneNode(
        true,
      ) as PlayerLike;
      player.dataset.src = message.src;
      this.child('.cr-player').append(player);
      this.player = player;
      // Player.astro's script loads the players' code only for players in the page when it
      // idles; this one came later, in place of the live screen the student was watching.
      void import('../player/player-element');
    }
    this.syncPlayer();
  }

  /** Bring the player to the teacher's position, state and speed (once it has loaded). */
  private readonly syncPlayer = (): void => {
    const player = this.player;
    const play = this.play?.message;
    if (!player || !play || play.src === null) return;
    if (typeof player.state !== 'function' || !player.state().loaded) {
      setTimeout(this.syncPlayer, 100);
      return;
    }
    for (let i = 0; i < 12 && player.state().speed !== play.speed; i++) {
      player
        .querySelector<HTMLElement>(
          `[data-action="${player.state().speed < play.speed ? 'faster' : 'slower'}"]`,
        )
        ?.click();
    }
    const elapsed = play.playing
      ? ((performance.now() - this.play!.receivedAt) / 1000) * play.speed
      : 0;
    const target = play.at + elapsed;
    if (Math.abs(player.state().position - target) > PLAY_TOLERANCE_SECONDS) player.seek(target);
    if (player.state().playing !== play.playing)
      player.querySelector<HTMLElement>('[data-action="play"]')?.click();
  };

  // ---- keeping a recording ----------------------------------------------------------

  private recordingNs(): number {
    return (performance.now() - this.recordingStarted) * 1e6;
  }

  private toggleRecording(on: boolean): void {
    if (!on) return; // what was kept stays available to Save
    this.recordingStarted = performance.now();
    const room = new URLSearchParams(location.search).get('id') ?? '';
    this.recorder = new SessionRecorder({
      startTime: Date.now() / 1000, // a student's recording is of real time: the page's clock is the only one it has
      cols: this.terminal.cols,
      rows: this.terminal.rows,
      title: `CottonOS classroom, room ${room}`,
    });
    // It opens on the screen as it is now.
    this.terminal.write('', () =>
      this.recorder?.output(new TextEncoder().encode(this.serializer.serialize()), 0),
    );
    (this.child('.cr-save') as HTMLButtonElement).disabled = false;
  }

  private saveRecording(): void {
    if (!this.recorder) return;
    const bytes = writeNex(this.recorder.finish(this.recordingNs()));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
    );
    link.download = `classroom-${new URLSearchParams(location.search).get('id') ?? 'room'}.nex`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
    if (!(this.child('.cr-record') as HTMLInputElement).checked) this.recorder = null;
  }

  // ---- status --------------------------------------------------------------------------

  private refreshStatus(): void {
    if (this.ended) return;
    this.setStatus(!this.teacherPresent ? 'teacher-away' : this.replaying ? 'replay' : 'watching');
  }

  private setStatus(status: RoomStatus): void {
    this.dataset.status = status;
    const line = this.child('.cr-status');
    line.dataset.status = status;
    line.textContent = STATUS_TEXT[status];
  }

  private child(selector: string): HTMLElement {
    const element = this.querySelector<HTMLElement>(selector);
    if (!element) throw new Error(`<cotton-room> is missing ${selector}`);
    return element;
  }
}

customElements.define('cotton-room', CottonRoomElement);
