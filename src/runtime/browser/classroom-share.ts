/**
 * Share: the teacher's side of the classroom, opened by a machine's Share
 * button (machine-element.ts calls toggleSharing). It opens a room on the
 * classroom relay and shows its link and a QR code; from then on the room
 * sees this machine's terminal (and screen, if the chapter has one).
 *
 * What is sent (protocol.ts):
 * - `output`: everything the page's terminal is given, batched every 50 ms.
 *   The terminal's write() and reset() are wrapped on this one instance, so
 *   the room sees exactly what the teacher sees (page notices included)
 *   without the machine element having to know about the classroom;
 * - `keyframe`: the terminal's state (xterm's serialize addon, the last 200
 *   lines of scrollback) every 3 s while output flows, taken only where a
 *   restore is exact (player-keyframes.ts's RestorePoints), numbered with the
 *   last output it contains; the relay gives it to late joiners. A reset
 *   terminal (a reboot) or a new share sends a `live` one that everyone applies;
 * - `screen`: the canvas as a JPEG once a second when it changed, skipped
 *   while the socket is backed up;
 * - `play`: Play to the room: the position, play/pause state and speed of one
 *   of the page's recordings, whenever they change and every 2 s while it plays;
 * - `keyboard`: the viewer the teacher handed the keyboard to; that viewer's
 *   keys arrive as `input` and are typed into the machine;
 * - `ping` every 20 s, which keeps the room from expiring while nothing happens.
 *
 * The room's id and secret are kept in this tab's sessionStorage, per page: a
 * reloaded page (or one whose connection dropped) rejoins its room with the
 * secret instead of opening a new one, and its students stay where they are.
 * The relay keeps a room for a few minutes after its teacher left; once it is
 * gone the page opens a new room. Stopping the share forgets the room.
 */
import { SerializeAddon } from '@xterm/addon-serialize';
import type { Terminal } from '@xterm/xterm';
import type { ServerMessage, ViewerInfo } from '../../classroom/protocol';
import { encodeQr, toSvg } from '../../classroom/qr';
import { encodeBase64 } from '../../nex/base64';
import {
  findClassroom,
  NO_SERVER_MESSAGE,
  RelayConnection,
  roomLink,
} from './classroom-connection';
import './classroom-share.css';
import { RestorePoints } from '../player/player-keyframes';

export interface ShareHost {
  readonly terminal: Terminal;
  /** Type into the machine (the keyboard holder's keys). */
  input(data: string): void;
  readonly canvas: HTMLCanvasElement | null;
}

const OUTPUT_BATCH_MS = 50;
const KEYFRAME_MS = 3000;
const KEYFRAME_SCROLLBACK = 200;
const SCREEN_MS = 1000;
const SCREEN_QUALITY = 0.7;
const MAX_SCREEN_CHARS = 400_000;
const BACKED_UP_BYTES = 256 * 1024;
const PING_MS = 20_000;
const PLAY_POLL_MS = 250;
const PLAY_RESYNC_MS = 2000;
const PLAY_SEEK_SECONDS = 0.3;

interface PlayerLike extends HTMLElement {
  state(): { loaded: boolean; playing: boolean; position: number; speed: number };
}

const shares = new WeakMap<HTMLElement, TeacherShare>();

interface SavedRoom {
  readonly room: string;
  readonly secret: string;
}

/** This tab's room for this page (sessionStorage: a reload keeps it, another tab does not share it). */
const savedRoomKey = (): string => `cotton-share-room:${location.pathname}`;

function savedRoom(): SavedRoom | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(savedRoomKey()) ?? 'null') as SavedRoom | null;
    return typeof saved?.room === 'string' && typeof saved.secret === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function saveRoom(saved: SavedRoom | null): void {
  try {
    if (saved) sessionStorage.setItem(savedRoomKey(), JSON.stringify(saved));
    else sessionStorage.removeItem(savedRoomKey());
  } catch {
    // Storage refused (private mode): a reload opens a new room, as before.
  }
}

/** Start sharing this machine, or stop if it is shared. */
export async function toggleSharing(element: HTMLElement, host: ShareHost): Promise<void> {
  const current = shares.get(element);
  if (current) {
    current.stop();
    shares.delete(element);
    return;
  }
  const share = new TeacherShare(element, host);
  shares.set(element, share);
  await share.start();
}

type Write = Terminal['write'];

class TeacherShare {
  private readonly panel: HTMLElement;
  private readonly button: HTMLElement | null;
  private connection: RelayConnection | null = null;
  private serializer: SerializeAddon | null = null;
  private points = new RestorePoints();
  private seq = 0;
  private pending: Uint8Array[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private bytesSinceKeyframe = 0;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly encoder = new TextEncoder();
  private lastScreen = '';
  private viewers: readonly ViewerInfo[] = [];
  private holder: string | null = null;
  private stopped = false;
  private player: PlayerLike | null = null;
  private lastPlay = { src: '', at: 0, playing: false, speed: 1, sentAt: 0 };

  constructor(
    private readonly element: HTMLElement,
    private readonly host: ShareHost,
  ) {
    this.button = element.querySelector('[data-action="share"]');
    this.panel = document.createElement('div');
    this.panel.className = 'cs-panel';
    this.panel.setAttribute('role', 'region');
    this.panel.setAttribute('aria-label', 'Sharing with a classroom');
    const toolbar = element.querySelector('.cm-toolbar');
    if (toolbar) toolbar.after(this.panel);
    else element.prepend(this.panel);
    this.button?.setAttribute('aria-pressed', 'true');
  }

  async start(): Promise<void> {
    this.say('Looking for the classroom server…');
    const info = await findClassroom();
    if (this.stopped) return;
    if (!info) {
      this.panel.dataset.state = 'no-server';
      this.say(NO_SERVER_MESSAGE);
      return;
    }
    try {
      this.connection = await RelayConnection.open({
        message: (message) => this.onMessage(message, info),
        closed: (_code, reason) => this.onClosed(reason),
      });
    } catch (error) {
      this.say((error as Error).message);
      return;
    }
    if (this.stopped) return this.connection.close();
    const saved = savedRoom();
    if (saved) this.connection.send({ type: 'join', ...saved, name: document.title });
    else this.connection.send({ type: 'create', name: document.title });
  }

  stop(): void {
    this.stopped = true;
    this.untap();
    for (const timer of this.timers) clearInterval(timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.connection?.close();
    saveRoom(null);
    this.panel.remove();
    this.button?.setAttribute('aria-pressed', 'false');
  }

  private onMessage(message: ServerMessage, info: Parameters<typeof roomLink>[1]): void {
    switch (message.type) {
      case 'created':
        saveRoom({ room: message.room, secret: message.secret });
        return this.begin(message.room, info);
      case 'joined':
        if (message.role === 'teacher') this.begin(message.room, info);
        return;
      case 'viewers':
        this.viewers = message.list;
        return this.renderViewers();
      case 'keyboard':
        this.holder = message.holder;
        return this.renderViewers();
      case 'input':
        if (message.from === this.holder) this.host.input(message.data);
        return;
      case 'need-keyframe':
        return this.sendKeyframe(false, true);
      case 'expired':
        saveRoom(null);
        return this.say('The room expired. Press Share again for a new one.');
      case 'error':
        console.warn(`classroom relay: ${message.code}: ${message.message}`);
        if (message.about === 'join') {
          // The saved room expired (or is not ours any more): open a new one.
          saveRoom(null);
          this.connection?.send({ type: 'create', name: document.title });
        }
        if (message.about === 'create')
          this.say(`The room could not be opened: ${message.message}`);
        return;
    }
  }

  /** The room is ours (new, or rejoined with the secret): show its link and start sending. */
  private begin(room: string, info: Parameters<typeof roomLink>[1]): void {
    this.tap();
    this.showRoom(roomLink(room, info));
    this.sendKeyframe(true);
    this.timers.push(
      setInterval(() => this.bytesSinceKeyframe > 0 && this.sendKeyframe(false), KEYFRAME_MS),
      setInterval(() => this.connection?.send({ type: 'ping', t: Date.now() }), PING_MS),
      setInterval(() => this.sendPlay(false), PLAY_POLL_MS),
    );
    if (this.host.canvas) this.timers.push(setInterval(() => this.sendScreen(), SCREEN_MS));
  }

  private onClosed(reason: string): void {
    if (this.stopped) return;
    this.untap();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.panel.dataset.state = 'closed';
    const status = this.panel.querySelector('.cs-status');
    if (status)
      status.textContent = `Disconnected from the classroom server${reason ? `: ${reason}` : ''}. Press Share twice to open a new room.`;
  }

  // ---- the terminal ----------------------------------------------------------

  private tap(): void {
    const terminal = this.host.terminal;
    terminal.options.allowProposedApi = true;
    this.serializer = new SerializeAddon();
    terminal.loadAddon(this.serializer);
    const write: Write = Object.getPrototypeOf(terminal).write;
    const reset = Object.getPrototypeOf(terminal).reset as () => void;
    Object.assign(terminal, {
      write: (data: string | Uint8Array, callback?: () => void) => {
        write.call(terminal, data, callback);
        this.tapped(typeof data === 'string' ? this.encoder.encode(data) : data);
      },
      reset: () => {
        reset.call(terminal);
        this.points = new RestorePoints();
        this.sendKeyframe(true);
      },
    });
    terminal.onResize(({ cols, rows }) => {
      if (this.stopped || !this.serializer) return;
      this.flush();
      this.connection?.send({ type: 'resize', seq: this.seq++, cols, rows });
    });
  }

  private untap(): void {
    const terminal = this.host.terminal as unknown as Record<string, unknown>;
    delete terminal.write; // the prototype's methods show through again
    delete terminal.reset;
    this.serializer?.dispose();
    this.serializer = null;
  }

  private tapped(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes.slice());
    this.points.feed(bytes);
    this.bytesSinceKeyframe += bytes.length;
    this.flushTimer ??= setTimeout(() => this.flush(), OUTPUT_BATCH_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const total = this.pending.reduce((n, chunk) => n + chunk.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.pending) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    this.pending = [];
    // Stay well under the relay's message size: base64 grows by a third.
    for (let start = 0; start < joined.length; start += 192 * 1024) {
      this.connection?.send({
        type: 'output',
        seq: this.seq++,
        data: encodeBase64(joined.subarray(start, start + 192 * 1024)),
      });
    }
  }

  /** Send the terminal's state, numbered with the last output it contains. */
  private sendKeyframe(live: boolean, force = false): void {
    if (!this.serializer) return;
    this.flush();
    if (!live && !force && !this.points.safe) return; // mid-sequence: try at the next tick
    const after = this.seq - 1;
    const terminal = this.host.terminal;
    this.bytesSinceKeyframe = 0;
    terminal.write('', () => {
      if (!this.serializer) return;
      const state = this.serializer.serialize({ scrollback: KEYFRAME_SCROLLBACK });
      this.connection?.send({
        type: 'keyframe',
        after,
        cols: terminal.cols,
        rows: terminal.rows,
        state,
        live,
      });
    });
  }

  private sendScreen(): void {
    const canvas = this.host.canvas;
    if (!canvas || !this.connection || this.connection.bufferedAmount > BACKED_UP_BYTES) return;
    const image = canvas.toDataURL('image/jpeg', SCREEN_QUALITY);
    if (image === this.lastScreen || image.length > MAX_SCREEN_CHARS) return;
    this.lastScreen = image;
    this.connection.send({ type: 'screen', image });
  }

  // ---- Play to the room ----------------------------------------------------------

  private sendPlay(force: boolean): void {
    const player = this.player;
    // A player whose code has not come yet (playToRoom asks for it) has loaded nothing either.
    if (!player || !this.connection || typeof player.state !== 'function') return;
    const state = player.state();
    if (!state.loaded) return;
    const src = player.dataset.src!;
    const last = this.lastPlay;
    const now = performance.now();
    const expected = last.playing ? last.at + ((now - last.sentAt) / 1000) * last.speed : last.at;
    const changed =
      force ||
      src !== last.src ||
      state.playing !== last.playing ||
      state.speed !== last.speed ||
      Math.abs(state.position - expected) > PLAY_SEEK_SECONDS;
    if (!changed && !(state.playing && now - last.sentAt > PLAY_RESYNC_MS)) return;
    this.lastPlay = {
      src,
      at: state.position,
      playing: state.playing,
      speed: state.speed,
      sentAt: now,
    };
    this.connection.send({
      type: 'play',
      src,
      at: state.position,
      playing: state.playing,
      speed: state.speed,
    });
  }

  private playToRoom(player: PlayerLike | null): void {
    this.player = player;
    if (player) {
      // The players' code waits for the page's spare time and a reader near a player (Player.astro); the teacher wants one now.
      void import('../player/player-element');
      player.scrollIntoView({ block: 'center', behavior: 'smooth' });
      this.sendPlay(true);
    } else {
      this.lastPlay = { src: '', at: 0, playing: false, speed: 1, sentAt: 0 };
      this.connection?.send({ type: 'play', src: null, at: 0, playing: false, speed: 1 });
    }
    this.renderPlay();
  }

  // ---- the panel ------------------------------------------------------------------

  private say(text: string): void {
    this.panel.replaceChildren(element('p', { className: 'cs-status' }, text));
  }

  private showRoom(link: string): void {
    this.panel.dataset.state = 'sharing';
    const linkField = element('input', {
      className: 'cs-link',
      readOnly: true,
      value: link,
      ariaLabel: 'room link',
    });
    const copy = element('button', { type: 'button' }, 'Copy');
    copy.addEventListener(
      'click',
      () => void navigator.clipboard?.writeText(link).then(() => (copy.textContent = 'Copied')),
    );
    const qr = element('div', { className: 'cs-qr', title: 'Scan to open the room on a phone' });
    qr.innerHTML = toSvg(encodeQr(link)); // our own SVG markup, made from the link's bytes
    const stop = element('button', { type: 'button' }, 'Stop sharing');
    stop.addEventListener('click', () => {
      this.stop();
      shares.delete(this.element);
    });
    this.panel.replaceChildren(
      qr,
      element(
        'div',
        { className: 'cs-body' },
        element('p', { className: 'cs-status' }, 'Sharing this machine. Students open:'),
        element('div', { className: 'cs-linkrow' }, linkField, copy, stop),
        element('div', { className: 'cs-viewers' }),
        element('div', { className: 'cs-play' }),
      ),
    );
    this.renderViewers();
    this.renderPlay();
  }

  private renderViewers(): void {
    const box = this.panel.querySelector('.cs-viewers');
    if (!box) return;
    const count = this.viewers.length;
    const items = this.viewers.map((viewer) => {
      const holds = viewer.id === this.holder;
      const give = element(
        'button',
        {
          type: 'button',
          title: holds ? 'Take the keyboard back' : 'Let this student type into the machine',
        },
        holds ? 'Take keyboard back' : 'Give keyboard',
      );
      give.addEventListener('click', () =>
        this.connection?.send({ type: 'keyboard', to: holds ? null : viewer.id }),
      );
      return element(
        'li',
        { dataset: { viewer: viewer.id } },
        `${viewer.name || 'student'} `,
        give,
      );
    });
    box.replaceChildren(
      element('span', { className: 'cs-count' }, `${count} watching`),
      element('ul', {}, ...items),
    );
  }

  private renderPlay(): void {
    const box = this.panel.querySelector('.cs-play');
    if (!box) return;
    const players = [...document.querySelectorAll<PlayerLike>('cotton-player')];
    if (players.length === 0) return box.replaceChildren();
    if (this.player) {
      const back = element('button', { type: 'button' }, 'Back to the machine');
      back.addEventListener('click', () => this.playToRoom(null));
      box.replaceChildren(
        `The room follows the recording “${this.player.getAttribute('aria-label') ?? this.player.dataset.src}” (play, pause, seek and speed on its player). `,
        back,
      );
      return;
    }
    const choice = element(
      'select',
      { ariaLabel: 'recording to play to the room' },
      ...players.map((player, i) =>
        element(
          'option',
          { value: String(i) },
          player.getAttribute('aria-label') ?? player.dataset.src ?? `recording ${i + 1}`,
        ),
      ),
    );
    const play = element('button', { type: 'button' }, 'Play to the room');
    play.addEventListener('click', () =>
      this.playToRoom(players[Number((choice as HTMLSelectElement).value)] ?? null),
    );
    box.replaceChildren('Or play a recording to the room: ', choice, play);
  }
}

type Props<K extends keyof HTMLElementTagNameMap> = Partial<
  Omit<HTMLElementTagNameMap[K], 'dataset'>
> & { dataset?: Record<string, string> };

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props<K>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}
