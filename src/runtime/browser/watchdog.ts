/**
 * The page's watchdog over a machine worker.
 *
 * Kernel code runs on the worker's only thread, so a reader's infinite loop
 * never gives control back: the worker stops answering, and nothing inside it
 * can notice. The page can. While armed, every message from the worker feeds
 * the watchdog; if none comes for `timeoutMs`, it barks once, and the owner
 * terminates the worker. Like a hardware watchdog, it is simply a timer that
 * healthy code keeps resetting.
 *
 * The page's own timers can be late: on a busy laptop, or in a background
 * tab, a 2-second timer may fire after ten. Then the page itself was not
 * running, and the worker's messages may be waiting in its queue unread, so a
 * late timer proves nothing: the watchdog starts a fresh period instead of
 * barking, and only a period that ran on time without a message counts.
 */
export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly bark: () => void,
  ) {}

  get armed(): boolean {
    return this.timer !== null;
  }

  /** Start (or restart) the countdown, of `timeoutMs` unless a longer one is asked (a build). */
  feed(timeoutMs = this.timeoutMs): void {
    this.disarm();
    const deadline = performance.now() + timeoutMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      const lateMs = performance.now() - deadline;
      if (lateMs > Math.min(timeoutMs / 2, 1000)) this.feed(timeoutMs);
      else this.bark();
    }, timeoutMs);
  }

  disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
