/**
 * The page's watchdog over a machine worker.
 *
 * Kernel code runs on the worker's only thread, so a reader's infinite loop
 * never gives control back: the worker stops, and nothing inside it can
 * notice. The page can. The worker sends beats from inside its run loop
 * (worker/liveness.ts) and the owner feeds the watchdog with every one that
 * shows progress; after `timeoutMs` of silence it barks once, and the owner
 * terminates the worker. Like a hardware watchdog, it is a countdown that
 * healthy code keeps resetting.
 *
 * Silence is counted by the page's own ticks, and only as far as the page was
 * running: on a busy laptop or in a background tab, a 100 ms tick may come
 * seconds late, while the worker's beats wait unread in the page's queue. A
 * late tick proves nothing about the worker, so each tick counts at most
 * MAX_TICK_COUNTED_MS, however late it comes. A stuck kernel is still stopped,
 * later on a starved page; a working one is never stopped for the page's delays.
 */

/** How often the page looks at the silence. */
export const TICK_MS = 100;
/** The most one tick adds to the silence, however late it comes. */
export const MAX_TICK_COUNTED_MS = 2 * TICK_MS;

export class Watchdog {
  private timer: ReturnType<typeof setInterval> | null = null;
  private silentMs = 0;
  private lastTick = 0;

  constructor(
    readonly timeoutMs: number,
    private readonly bark: () => void,
  ) {}

  get armed(): boolean {
    return this.timer !== null;
  }

  /** Progress seen: the silence starts again from now (and the watchdog is armed). */
  feed(): void {
    this.silentMs = 0;
    if (this.timer !== null) return;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  disarm(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = performance.now();
    this.silentMs += Math.min(now - this.lastTick, MAX_TICK_COUNTED_MS);
    this.lastTick = now;
    if (this.silentMs < this.timeoutMs) return;
    this.disarm();
    this.bark();
  }
}
