/**
 * <cotton-machine>: the live Cotton PC in a chapter page (rendered by
 * components/Machine.astro, which writes the markup this element wires up).
 *
 * It owns one MachineSession at a time. Reboot builds a new session with the
 * reader's edits and swaps it in only once the kernel has linked, so a syntax
 * error is reported while the previous machine keeps running, and so is a new
 * kernel that hangs before it is adopted. When the watchdog stops the running
 * machine's hung worker the page says so in the terminal and the status line,
 * and Reboot starts a fresh worker. The machine pauses while the page is hidden.
 * Record records the session in the worker (virtual-clock times, the reader's
 * keys marked as input) until pressed again or the machine is replaced; Save
 * downloads the recording, so far or finished, as a .nex file. Share shows the
 * machine to a classroom (classroom-share.ts, loaded on first press).
 * With the `screen` attribute the machine's display is shown too (screen-view.ts),
 * and takes the keyboard and mouse while the reader works on it; the screen and
 * the terminal sit side by side when the widget is wide, or behind two tabs.
 */
import { downloadCapture } from './capture-download';
import type { MachineState } from '../../emu/machine';
import { EditorPanel } from './editor-panel';
import type { InspectionAnswer, ViewRequest } from '../host/kernel-inspection';
import {
  MachineSession,
  noteEdits,
  prepareSpareWorker,
  WATCHDOG_MS,
  WatchdogError,
} from './machine-client';
import type { MachineReport } from '../worker/machine-worker';
import { ScreenView } from './screen-view';
import { createConsole, type Console } from './terminal';

const WATCHDOG_MESSAGE = `Watchdog: the kernel made no progress for ${WATCHDOG_MS / 1000} s — an infinite loop? The machine was stopped. Fix the code and press Reboot.`;

type Status =
  | 'booting'
  | 'running'
  | 'halted'
  | 'powered off'
  | 'panicked'
  | 'crashed'
  | 'watchdog'
  | 'error'
  | 'paused';

const STATE_STATUS: Partial<Record<MachineState, Status>> = {
  stopped: 'halted',
  poweroff: 'powered off',
  panicked: 'panicked',
  crashed: 'crashed',
};

const STATE_NOTICE: Partial<Record<MachineState, string>> = {
  stopped: 'The machine halted with interrupts disabled. Press Reboot to start it again.',
  poweroff: 'The machine powered off. Press Reboot to start it again.',
  panicked: 'The kernel panicked (see above). Fix the code and press Reboot.',
};

export class CottonMachineElement extends HTMLElement {
  private console!: Console;
  private editorPanel!: EditorPanel;
  private screen: ScreenView | null = null;
  private session: MachineSession | null = null;
  private state: MachineState = 'off';
  /** The status the machine's last report implied (shown again after a pause). */
  private machineStatus: Status = 'booting';
  private booting = false;
  private rebootAgain = false;
  /**
   * While a reboot is being built, and after it failed to build, the old
   * machine runs on but the status line speaks of the reboot ("booting",
   * "error"), until a new machine is adopted.
   */
  private statusPinned = false;
  private recording = false;
  /** The machine after whose first prompt a spare worker was prepared for the next Reboot. */
  private spareFor: MachineSession | null = null;
  /** The last finished recording, for Save. */
  private recorded: Uint8Array | null = null;

  connectedCallback(): void {
    if (this.editorPanel) return;
    this.editorPanel = new EditorPanel(
      this.child('.cm-editor'),
      JSON.parse(this.dataset.files ?? '[]'),
      () => {
        this.child('[data-action="edit"]').toggleAttribute(
          'data-edited',
          this.editorPanel?.hasEdits() ?? false,
        );
        noteEdits(() => this.editorPanel.overrides());
      },
    );
    const canvas = this.querySelector<HTMLCanvasElement>('.cm-screen');
    if (canvas) {
      this.screen = new ScreenView(canvas, {
        key: (code, pressed) => this.session?.keyEvent(code, pressed),
        pointer: (x, y, buttons) => this.session?.pointerTo(x, y, buttons),
        drawn: (buffer) => this.session?.screenDrawn(buffer),
      });
      const screen = this.screen;
      this.button('pointer-lock', () => screen.lockPointer());
      for (const tab of this.querySelectorAll<HTMLElement>('.cm-view-tab'))
        tab.addEventListener('click', () => this.showView(tab.dataset.view!));
    }
    // The worker is asked to boot first: the machine boots while the page sets up the terminal
    // (a quarter of a second of the page's time); its output waits for the terminal.
    void this.reboot();
    this.console = createConsole(this.child('.cm-terminal'), (data) => this.session?.input(data));
    this.console.terminal.parser.registerOscHandler(133, (mark) => this.onShellMark(mark));
    this.button('reboot', () => void this.reboot());
    this.button('edit', () => void this.toggleEditor());
    const edit = this.child('[data-action="edit"]');
    for (const intent of ['pointerenter', 'focus'])
      edit.addEventListener(intent, () => this.editorPanel.preload(), { once: true });
    this.editorPanel.preloadWhenIdle();
    this.button('reset', () => void this.reset());
    this.button('record', () => void this.toggleRecording());
    this.button('save', () => void this.saveRecording());
    this.button(
      'capture',
      () => void downloadCapture(this.session, (text, tone) => this.console.notice(text, tone)),
    );
    this.button(
      'share',
      () =>
        void import('./classroom-share').then(({ toggleSharing }) =>
          toggleSharing(this, {
            terminal: this.console.terminal,
            input: (data) => this.session?.input(data),
            canvas: this.screen?.canvas ?? null,
          }),
        ),
    );
    this.lazyDiskMenu();
    document.addEventListener('visibilitychange', () => this.onVisibilityChange());
    this.child('.cm-status').addEventListener('mouseenter', () => void this.describeMachine());
  }

  /**
   * The Disk menu's code (with the kernel's file system code it checks and
   * reads disks with) loads when the reader first opens the menu, not with
   * the page; a press that comes before it has loaded is replayed once it has.
   */
  private lazyDiskMenu(): void {
    const menu = this.querySelector<HTMLDetailsElement>('.cm-disk');
    if (!menu) return;
    let installed = false;
    let installing: Promise<void> | null = null;
    const install = (): Promise<void> =>
      (installing ??= import('./disk-controls').then(({ installDiskControls }) => {
        installDiskControls(this, {
          session: () => this.session,
          reboot: () => this.reboot(),
          notice: (text, tone) => this.console.notice(text, tone),
        });
        installed = true;
      }));
    menu.addEventListener('toggle', () => void install(), { once: true });
    menu.addEventListener(
      'click',
      (event) => {
        const button = (event.target as Element).closest<HTMLElement>('[data-action^="disk-"]');
        if (installed || !button) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        void install().then(() => button.click());
      },
      { capture: true },
    );
  }

  /** On a narrow page, the screen or the terminal (wide pages show both side by side). */
  private showView(view: string): void {
    this.dataset.view = view;
    for (const tab of this.querySelectorAll<HTMLElement>('.cm-view-tab'))
      tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    if (view === 'screen') this.screen?.canvas.focus();
    else this.console.terminal.focus();
  }

  /** The terminal's text, as the reader sees it (the browser tests read it here). */
  terminalText(): string {
    return this.console.text();
  }

  /** The terminal's columns, and how many of its rows continue a line too long for them (for the tests). */
  terminalLayout(): { cols: number; wrappedRows: number } {
    const { terminal } = this.console;
    const buffer = terminal.buffer.active;
    let wrappedRows = 0;
    for (let y = 0; y < buffer.length; y++) if (buffer.getLine(y)?.isWrapped) wrappedRows++;
    return { cols: terminal.cols, wrappedRows };
  }

  get files(): readonly string[] {
    return this.editorPanel.files;
  }

  overrides(): Record<string, string> {
    return this.editorPanel.overrides();
  }

  /** Make `text` the reader's version of `file` and open it in the editor (used by exercises). */
  async replaceFile(file: string, text: string): Promise<void> {
    await this.editorPanel.replace(file, text);
    this.child('[data-action="edit"]').setAttribute('aria-pressed', 'true');
  }

  /** A view of the running kernel (a figure's data); null while no machine runs. */
  inspect(request: ViewRequest): Promise<InspectionAnswer | null> {
    return this.session ? this.session.inspect(request) : Promise.resolve(null);
  }

  /**
   * The shell's OSC 133 marks as the terminal shows them: at the end of each
   * prompt ('B'), after boot and after every command, the page's figures
   * redraw (`cotton-prompt`, figure-element.ts).
   */
  private onShellMark(mark: string): boolean {
    if (mark === 'B') this.dispatchEvent(new CustomEvent('cotton-prompt'));
    return false;
  }

  /** Boot a new machine with the current edits; the old one runs on if the new one fails to build. */
  async reboot(): Promise<void> {
    if (this.booting) {
      this.rebootAgain = true; // the files changed (Reset) while the last boot was being built
      return;
    }
    this.booting = true;
    this.statusPinned = true;
    this.setStatus('booting');
    const next = new MachineSession({
      report: (report) => this.session === next && this.onReport(report),
      watchdog: () => this.onWatchdog(next),
    });
    try {
      const result = await next.boot(
        {
          overrides: this.editorPanel.overrides(),
          ramMiB: this.dataset.ram ? Number(this.dataset.ram) : undefined,
          cmdline: this.dataset.cmdline,
          screen: this.screen !== null,
        },
        this.session,
      );
      if (result.ok) {
        await this.stopRecording();
        this.adopt(next);
      } else this.buildFailed(next, result.message);
    } catch (error) {
      const message =
        error instanceof WatchdogError
          ? `${error.message}, an infinite loop? Fix the code and press Reboot.`
          : error instanceof Error
            ? error.message
            : String(error);
      this.buildFailed(next, message);
    } finally {
      this.booting = false;
    }
    if (this.rebootAgain) {
      this.rebootAgain = false;
      await this.reboot();
    }
  }

  private adopt(next: MachineSession): void {
    this.session?.dispose();
    this.session = next;
    this.state = 'off';
    this.machineStatus = 'booting';
    this.statusPinned = false;
    this.console.terminal.reset();
    next.start();
    if (document.hidden) next.pause();
  }

  private buildFailed(next: MachineSession, message: string): void {
    next.dispose();
    this.console.notice(
      `The kernel did not build, so the machine was not rebooted:\n${message}`,
      'error',
    );
    this.setStatus('error', message);
  }

  private onReport(report: MachineReport): void {
    if (report.output) this.console.terminal.write(report.output);
    if (report.screen) this.screen?.draw(report.screen);
    const changed = report.state !== this.state;
    this.state = report.state;
    this.machineStatus = STATE_STATUS[report.state] ?? (report.prompted ? 'running' : 'booting');
    // Booted: the next Reboot's worker can start now, while the page idles.
    if (report.prompted && this.spareFor !== this.session) {
      this.spareFor = this.session;
      prepareSpareWorker(this.editorPanel.open || this.editorPanel.hasEdits());
    }
    if (!this.statusPinned) this.setStatus(this.machineStatus, report.crash ?? undefined);
    if (!changed) return;
    if (report.crash) this.console.notice(`The kernel crashed:\n${report.crash}`, 'error');
    const notice = STATE_NOTICE[report.state];
    if (notice) this.console.notice(notice);
  }

  private onWatchdog(hung: MachineSession): void {
    if (this.session !== hung) return; // a new kernel that hung while booting: reboot() reports it
    this.session = null;
    this.setRecording(false);
    this.console.notice(WATCHDOG_MESSAGE, 'error');
    this.setStatus('watchdog', WATCHDOG_MESSAGE);
  }

  private async toggleEditor(): Promise<void> {
    const button = this.child('[data-action="edit"]');
    button.setAttribute('aria-pressed', String(!this.editorPanel.open));
    if (!this.editorPanel.open) prepareSpareWorker(true); // edits come: a Reboot will transpile
    await this.editorPanel.toggle();
  }

  private async reset(): Promise<void> {
    const question =
      'Reset restores the original files of this machine and discards your edits. Reset?';
    if (this.editorPanel.hasEdits() && !confirm(question)) return;
    await this.editorPanel.resetAll();
    await this.reboot();
  }

  private onVisibilityChange(): void {
    if (!this.session) return;
    if (document.hidden) this.session.pause();
    else this.session.resume();
    if (!this.statusPinned) this.setStatus(document.hidden ? 'paused' : this.machineStatus);
  }

  private async toggleRecording(): Promise<void> {
    if (this.recording) return this.stopRecording();
    if (!this.session) return;
    const { cols, rows } = this.console.terminal;
    this.session.startRecording({
      cols,
      rows,
      title: document.title,
      chapter: location.pathname.replace(/^\/|\/$/g, '') || 'index',
    });
    this.setRecording(true);
  }

  /** End the recording and keep it for Save (a machine being replaced ends its recording too). */
  private async stopRecording(): Promise<void> {
    if (!this.recording || !this.session) return;
    try {
      this.recorded = (await this.session.saveRecording(true)) ?? this.recorded;
    } finally {
      this.setRecording(false);
    }
  }

  private async saveRecording(): Promise<void> {
    const bytes =
      this.recording && this.session ? await this.session.saveRecording(false) : this.recorded;
    if (!bytes) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
    );
    link.download = 'cotton-recording.nex';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  private setRecording(on: boolean): void {
    this.recording = on;
    this.child('[data-action="record"]').setAttribute('aria-pressed', String(on));
    (this.child('[data-action="save"]') as HTMLButtonElement).disabled = !on && !this.recorded;
  }

  /** On hovering the status line: what the machine has done so far, from its own counters. */
  private async describeMachine(): Promise<void> {
    const line = this.child('.cm-status');
    if (line.dataset.status !== 'running' || !this.session) return;
    const stats = await this.session.stats();
    if (!stats) return;
    const seconds = (stats.virtualNs / 1e9).toFixed(1);
    line.title = `up ${seconds} s of machine time · ${stats.timerTicks} timer ticks · ${stats.interrupts} interrupts · ${stats.serialBytesOut} bytes written to COM1`;
  }

  private setStatus(status: Status, detail?: string): void {
    const line = this.child('.cm-status');
    if (line.dataset.status === status && detail === undefined) return; // a heartbeat: nothing new to show
    line.dataset.status = status;
    line.textContent = status;
    line.title = detail ?? '';
  }

  private button(action: string, onClick: () => void): void {
    this.child(`[data-action="${action}"]`).addEventListener('click', onClick);
  }

  private child(selector: string): HTMLElement {
    const element = this.querySelector<HTMLElement>(selector);
    if (!element) throw new Error(`<cotton-machine> is missing ${selector}`);
    return element;
  }
}

customElements.define('cotton-machine', CottonMachineElement);
