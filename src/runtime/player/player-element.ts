/**
 * <cotton-player>: a recorded session in a chapter page (rendered by
 * components/Player.astro, which writes the markup this element wires up).
 *
 * Once the page's machine has booted, the page is idle and the reader has
 * come within a screen of the player (browser/page-idle.ts), it reads the
 * recording (.nex, asciicast v2 or v3), lays it out on the playback clock,
 * and replays it once into an unseen terminal to take keyframes, so that
 * seeking anywhere is immediate. Then it plays in an xterm.js terminal of
 * the recording's size: play/pause, seek bar, speed, markers, a command
 * list, and asciinema's keyboard shortcuts. A damaged file
 * plays up to the damage, under a message that says what is wrong.
 */
import { SerializeAddon } from '@xterm/addon-serialize';
import { Terminal } from '@xterm/xterm';
import { whenNearView, whenPageIdle } from '../browser/page-idle';
import { followTheme } from '../browser/page-theme';
import { PlayerEngine } from './player-engine';
import { actionForKey, nextSpeed, type PlayerAction } from './player-keys';
import { buildKeyframes } from './player-keyframes';
import { fetchRecording } from './player-load';
import { buildTimeline } from './player-timeline';
import { formatClock, highlightCommand, renderCommands, renderMarkers } from './player-view';

const DEFAULT_IDLE_LIMIT = 2;
const DARK = { background: '#17181c', foreground: '#e6e6e6', cursor: '#e6e6e6' };
const LIGHT = { background: '#fbfbfb', foreground: '#1b1b1b', cursor: '#1b1b1b' };
const TERMINAL_OPTIONS = {
  disableStdin: true,
  scrollback: 1000,
  fontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
  fontSize: 13,
};

/** What the page (and the browser tests) can ask a player. */
export interface PlayerState {
  readonly loaded: boolean;
  readonly playing: boolean;
  readonly position: number;
  readonly duration: number;
  readonly speed: number;
  readonly keyframes: number;
  readonly damage: string | null;
}

export class CottonPlayerElement extends HTMLElement {
  private waiting = false;
  private terminal: Terminal | null = null;
  private engine: PlayerEngine | null = null;
  private commandItems: HTMLLIElement[] = [];
  private keyframeCount = 0;
  private damage: string | null = null;
  private playing = false;
  private speed = 1;
  /** The clock: playback position `anchorAt` at wall time `anchorWall` (ms). */
  private anchorAt = 0;
  private anchorWall = 0;

  connectedCallback(): void {
    if (this.waiting) return;
    this.waiting = true;
    whenPageIdle(() => whenNearView([this], () => this.setUp()));
  }

  /** The terminal, the controls and the recording: after the machine's boot, near the reader (page-idle.ts). */
  private setUp(): void {
    this.terminal = new Terminal(TERMINAL_OPTIONS);
    followTheme((light) => (this.terminal!.options.theme = light ? LIGHT : DARK));
    this.terminal.open(this.child('.cp-screen'));
    this.button('play', () => this.perform({ kind: 'toggle' }));
    this.button('slower', () => this.perform({ kind: 'speed', step: -1 }));
    this.button('faster', () => this.perform({ kind: 'speed', step: 1 }));
    this.seekBar.addEventListener('input', () => this.seek(Number(this.seekBar.value)));
    this.addEventListener('keydown', (event) => this.onKey(event));
    void this.load();
  }

  state(): PlayerState {
    return {
      loaded: this.engine !== null,
      playing: this.playing,
      position: this.engine?.position ?? 0,
      duration: this.engine?.timeline.duration ?? 0,
      speed: this.speed,
      keyframes: this.keyframeCount,
      damage: this.damage,
    };
  }

  /** The terminal's screen as text (the browser tests read it here). */
  screenText(): string {
    const terminal = this.terminal;
    if (!terminal) return '';
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + terminal.rows; y++)
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  }

  seek(at: number): void {
    if (!this.engine) return;
    this.engine.seek(at);
    this.anchor();
    this.render();
  }

  private async load(): Promise<void> {
    try {
      const { session, damage } = await fetchRecording(this.dataset.src!);
      const idleLimit = this.dataset.idleLimit
        ? Number(this.dataset.idleLimit)
        : DEFAULT_IDLE_LIMIT;
      const timeline = buildTimeline(session, idleLimit);
      this.terminal!.resize(timeline.cols, timeline.rows);
      const keyframes = await this.takeKeyframes(timeline);
      this.engine = new PlayerEngine(timeline, keyframes, this.terminal!);
      this.keyframeCount = keyframes.length;
      this.commandItems = renderCommands(this.child('.cp-commands'), timeline, (at) =>
        this.seek(at),
      );
      renderMarkers(this.child('.cp-ticks'), this.child('.cp-markers'), timeline, (at) =>
        this.seek(at),
      );
      this.seekBar.max = String(timeline.duration);
      this.seekBar.disabled = false;
      if (damage)
        this.showError(`This recording is damaged: ${damage}. It plays up to the damage.`);
      this.damage = damage;
      this.dataset.state = 'ready';
      this.render();
    } catch (error) {
      this.dataset.state = 'error';
      this.showError(`The recording could not be loaded: ${(error as Error).message}`);
    }
  }

  private async takeKeyframes(
    timeline: Parameters<typeof buildKeyframes>[0],
  ): ReturnType<typeof buildKeyframes> {
    const unseen = new Terminal({
      cols: timeline.cols,
      rows: timeline.rows,
      scrollback: TERMINAL_OPTIONS.scrollback,
      allowProposedApi: true,
    });
    const serializer = new SerializeAddon();
    unseen.loadAddon(serializer);
    try {
      return await buildKeyframes(timeline, unseen, () => serializer.serialize());
    } finally {
      unseen.dispose();
    }
  }

  private perform(action: PlayerAction): void {
    if (!this.engine) return;
    const { duration } = this.engine.timeline;
    switch (action.kind) {
      case 'toggle':
        return this.playing ? this.pause() : this.play();
      case 'seek-by':
        return this.seek(this.engine.position + action.seconds);
      case 'seek-fraction':
        return this.seek(duration * action.fraction);
      case 'speed':
        this.anchor();
        this.speed = nextSpeed(this.speed, action.step);
        return this.render();
      case 'frame':
        if (this.playing) return;
        this.engine.step();
        return this.render();
    }
  }

  private play(): void {
    if (this.engine!.atEnd) this.engine!.seek(0);
    this.playing = true;
    this.anchor();
    this.render();
    requestAnimationFrame(this.tick);
  }

  private pause(): void {
    this.playing = false;
    this.render();
  }

  /** Restart the clock from the current position (after a seek or a speed change). */
  private anchor(): void {
    this.anchorAt = this.engine?.position ?? 0;
    this.anchorWall = performance.now();
  }

  private readonly tick = (): void => {
    if (!this.playing || !this.engine) return;
    this.engine.advanceTo(
      this.anchorAt + ((performance.now() - this.anchorWall) / 1000) * this.speed,
    );
    if (this.engine.atEnd) this.playing = false;
    this.render();
    if (this.playing) requestAnimationFrame(this.tick);
  };

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = actionForKey(event.key);
    if (!action) return;
    event.preventDefault();
    this.perform(action);
  }

  private render(): void {
    const { position, duration } = this.state();
    const play = this.child('[data-action="play"]');
    play.textContent = this.playing ? 'Pause' : 'Play';
    play.setAttribute('aria-pressed', String(this.playing));
    this.seekBar.value = String(position);
    this.child('.cp-time').textContent = `${formatClock(position)} / ${formatClock(duration)}`;
    this.child('.cp-speed').textContent = `${this.speed}×`;
    this.dataset.playing = String(this.playing);
    if (this.engine) highlightCommand(this.commandItems, this.engine.timeline, position);
  }

  private showError(message: string): void {
    const box = this.child('.cp-error');
    box.textContent = message;
    box.hidden = false;
  }

  private get seekBar(): HTMLInputElement {
    return this.child('.cp-seek') as HTMLInputElement;
  }

  private button(action: string, onClick: () => void): void {
    this.child(`[data-action="${action}"]`).addEventListener('click', onClick);
  }

  private child(selector: string): HTMLElement {
    const element = this.querySelector<HTMLElement>(selector);
    if (!element) throw new Error(`<cotton-player> is missing ${selector}`);
    return element;
  }
}

customElements.define('cotton-player', CottonPlayerElement);
