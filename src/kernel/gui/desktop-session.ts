/**
 * A running desktop: the input queue the interrupt handlers fill, the
 * desktop thread's loop that empties it, and the services the apps use.
 *
 * Interrupt handlers must be short and must not wait, so IRQ 1 and IRQ 12
 * only decode their byte and queue the event (./desktop-thread.ts), then
 * wake the desktop thread. Everything else happens in the thread, one frame
 * per turn of its loop:
 *
 *   1. the clock: read the RTC, update the taskbar, tick live apps;
 *   2. input: every queued key and mouse event, to the window manager;
 *   3. jobs apps asked for (file system work, which may wait for the disk);
 *   4. repaints apps asked for (a shell's output, a finished job);
 *   5. render: compose the damaged rectangles and copy them to the screen.
 *
 * Then, if nothing new arrived meanwhile, the thread sleeps until the next
 * clock tick or the next interrupt's wake-up, whichever is first. A frame
 * where nothing changed draws nothing: the damage list is empty.
 */
import type { KeyEvent } from '../drivers/ps2-keyboard';
import type { MousePacket } from '../drivers/ps2-mouse';
import { formatTime } from '../lib/date';
import type { Kernel } from '../proc/kernel';
import { sleepUntil, ticksNow, type Task, type ThreadBody, wake } from '../sched/scheduler';
import type { ShellCommand } from '../shell/command';
import type { App } from './app';
import { FileManager } from './apps/file-manager';
import { SystemInfo } from './apps/system-info';
import { Terminal } from './apps/terminal';
import { TextEditor } from './apps/text-editor';
import type { FramebufferTarget } from './compositor';
import { Desktop } from './desktop';
import type { AppName, DesktopServices } from './desktop-services';
import { LAUNCHER_ENTRIES, LAUNCHER_ROW_HEIGHT, Launcher } from './launcher';
import type { Psf2Font } from './psf2-font';
import { rect, type Rect } from './rect';
import { TASKBAR_HEIGHT } from './taskbar';
import { BORDER_WIDTH, TITLE_BAR_HEIGHT, type Window } from './window';

/** How often the loop wakes by itself: the taskbar clock and live apps (System Info). */
export const CLOCK_POLL_MS = 250;
/** How many of the last frames `recentFrames` keeps (the `damage` command shows them). */
const RECENT_FRAMES = 8;
/** Events kept while the thread is behind; later ones are dropped (a full input buffer). */
const INPUT_QUEUE_LIMIT = 1024;
const LAUNCHER_WIDTH = 180;

type InputEvent =
  | { readonly kind: 'key'; readonly event: KeyEvent }
  | { readonly kind: 'mouse'; readonly packet: MousePacket };

/** One frame that changed the screen: its number and the rectangles copied. */
export interface PresentedFrame {
  readonly number: number;
  readonly rects: readonly Rect[];
}

interface Job {
  readonly app: App;
  readonly run: () => Generator<void, void, void>;
}

export class DesktopSession implements DesktopServices {
  readonly desktop: Desktop;
  private readonly input: InputEvent[] = [];
  private readonly jobs: Job[] = [];
  private readonly invalidated = new Set<App>();
  private thread: Task | null = null;
  private launcher: Launcher | null = null;
  /** Frames drawn and pixels copied to the screen, for `desktop` status and the benchmark. */
  frames = 0;
  pixelsPresented = 0;
  /** The last frames that changed the screen, oldest first. */
  readonly recentFrames: PresentedFrame[] = [];

  readonly width: number;
  readonly height: number;

  constructor(
    readonly kernel: Kernel,
    readonly font: Psf2Font,
    size: { readonly width: number; readonly height: number },
    screen: FramebufferTarget,
    readonly shellCommands: readonly ShellCommand[],
  ) {
    this.width = size.width;
    this.height = size.height;
    this.desktop = new Desktop(size.width, size.height, font, screen);
    this.desktop.windowManager.onLauncher = () => this.toggleLauncher();
  }

  get windowManager() {
    return this.desktop.windowManager;
  }

  // ---- from the interrupt handlers ----

  queueKey(event: KeyEvent): void {
    this.queue({ kind: 'key', event });
  }

  queueMouse(packet: MousePacket): void {
    this.queue({ kind: 'mouse', packet });
  }

  private queue(event: InputEvent): void {
    if (this.input.length < INPUT_QUEUE_LIMIT) this.input.push(event);
    this.wakeThread();
  }

  private wakeThread(): void {
    if (this.thread) wake(this.thread);
  }

  // ---- the thread ----

  /** The desktop thread's body; `task` is the thread itself, woken by the interrupt handlers. */
  *run(task: Task): ThreadBody {
    this.thread = task;
    for (;;) {
      this.tickClock();
      this.handleInput();
      yield* this.runJobs();
      this.repaintInvalidated();
      this.render();
      if (!this.hasWork()) {
        yield* sleepUntil(ticksNow() + this.kernel.pit.ticksFor(CLOCK_POLL_MS));
      }
    }
  }

  private hasWork(): boolean {
    return this.input.length > 0 || this.jobs.length > 0 || this.invalidated.size > 0;
  }

  private tickClock(): void {
    this.windowManager.setClock(formatTime(this.kernel.rtc.read()));
    for (const window of this.windowManager.windows) {
      if (window.app.onTick?.()) this.invalidate(window.app);
    }
  }

  private handleInput(): void {
    for (const event of this.input.splice(0)) {
      if (event.kind === 'key') this.desktop.handleKey(event.event);
      else this.desktop.handleMouse(event.packet);
    }
  }

  private *runJobs(): Generator<void, void, void> {
    for (const job of this.jobs.splice(0)) {
      yield* job.run();
      this.invalidate(job.app);
    }
  }

  private repaintInvalidated(): void {
    for (const app of this.invalidated) {
      const window = this.windowOf(app);
      if (window) this.windowManager.redrawClient(window);
    }
    this.invalidated.clear();
  }

  /** Compose and present what changed; returns the screen rectangles updated. */
  render(): Rect[] {
    const updated = this.desktop.render();
    if (updated.length === 0) return updated;
    this.frames++;
    for (const area of updated) this.pixelsPresented += area.width * area.height;
    this.recentFrames.push({ number: this.frames, rects: updated });
    if (this.recentFrames.length > RECENT_FRAMES) this.recentFrames.shift();
    return updated;
  }

  // ---- services for the apps ----

  invalidate(app: App): void {
    this.invalidated.add(app);
    this.wakeThread();
  }

  perform(app: App, job: () => Generator<void, void, void>): void {
    this.jobs.push({ app, run: job });
    this.wakeThread();
  }

  launch(name: AppName, argument?: string): void {
    const app = this.createApp(name, argument);
    this.open(app, app.preferredSize);
    this.wakeThread(); // a launch from the shell has a frame to draw
  }

  /** Open a window for `app`; `clientSize` asks for a client area of exactly that size. */
  open(app: App, clientSize?: { width: number; height: number }): Window {
    const window = this.windowManager.open(app);
    if (clientSize) {
      this.windowManager.resizeTo(
        window,
        clientSize.width + 2 * BORDER_WIDTH,
        clientSize.height + TITLE_BAR_HEIGHT + BORDER_WIDTH,
      );
    }
    return window;
  }

  retitle(app: App): void {
    const window = this.windowOf(app);
    if (window) this.windowManager.redraw(window);
  }

  close(app: App): void {
    const window = this.windowOf(app);
    if (window) this.windowManager.close(window);
    if (app === this.launcher) this.launcher = null;
  }

  private createApp(name: AppName, argument?: string): App {
    switch (name) {
      case 'terminal':
        return new Terminal(this);
      case 'files':
        return new FileManager(this, argument ?? '/home/reader');
      case 'editor':
        return new TextEditor(this, argument ?? null);
      case 'sysinfo':
        return new SystemInfo(this);
    }
  }

  private windowOf(app: App): Window | undefined {
    return this.windowManager.windows.find((w) => w.app === app);
  }

  /** The taskbar's Apps button: open the launcher above it, or close it if open. */
  private toggleLauncher(): void {
    if (this.launcher && this.windowOf(this.launcher)) return this.close(this.launcher);
    const launcher = new Launcher(this);
    this.launcher = launcher;
    const height = LAUNCHER_ENTRIES.length * LAUNCHER_ROW_HEIGHT + TITLE_BAR_HEIGHT + BORDER_WIDTH;
    this.windowManager.open(
      launcher,
      rect(0, this.height - TASKBAR_HEIGHT - height, LAUNCHER_WIDTH, height),
    );
  }
}
