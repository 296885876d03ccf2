/**
 * The page's watchdog over a machine worker.
 *
 * Kernel code runs on the worker's only thread, so a reader's infinite loop
 * never gives control back: the worker stops answering, and nothing inside it
 * can notice. The page can. While armed, every message from the worker feeds
 * the watchdog; if none comes for `timeoutMs`, it barks once, and the owner
 * terminates the worker. Like a hardware watchdog, it is simply a timer that
 * healthy code keeps resetting.
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

  /** Start (or restart) the countdown. */
  feed(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.bark();
    }, this.timeoutMs);
  }

  disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
