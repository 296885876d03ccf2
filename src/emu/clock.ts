/**
 * The virtual clock: the machine's one source of time.
 *
 * Every device that does something "later" (the PIT's next tick, a disk that
 * finishes a transfer) schedules an event here, and the machine advances the
 * clock: by instruction and I/O costs while code runs, and straight to the next
 * event when the CPU halts. Nothing here reads the host's clock, so the same
 * inputs at the same virtual times give the same run, byte for byte; pacing the
 * machine to wall time (the browser's "real time" mode) is the host's job.
 *
 * Time is counted in nanoseconds as a JS number (exact for 104 days).
 */
import type { DeviceState } from './device-state';

/** A scheduled device callback. */
interface ClockEvent {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class VirtualClock {
  /** Current virtual time in nanoseconds since power-on. */
  now = 0;
  private queue: ClockEvent[] = [];
  private nextSeq = 0;

  /** Advance by a cost in nanoseconds (instructions, bus cycles). */
  spend(ns: number): void {
    this.now += ns;
  }

  /** Run `fire` when virtual time reaches `at`; events at the same time fire in scheduling order. */
  schedule(at: number, fire: () => void): void {
    const event = { at: Math.max(at, this.now), seq: this.nextSeq++, fire };
    // Binary search for the insertion point keeps the queue sorted by (at, seq).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid]!.at <= event.at) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, event);
  }

  /** Remove every event scheduled with this callback. */
  cancel(fire: () => void): void {
    this.queue = this.queue.filter((event) => event.fire !== fire);
  }

  /** Virtual time of the next event, or Infinity. */
  nextEventAt(): number {
    return this.queue.length > 0 ? this.queue[0]!.at : Infinity;
  }

  /** Fire every event that is due at the current time. */
  fireDue(): void {
    while (this.queue.length > 0 && this.queue[0]!.at <= this.now) {
      this.queue.shift()!.fire();
    }
  }

  /** The time and the pending events' times and order (their callbacks belong to the devices). */
  saveState(): DeviceState {
    return {
      now: this.now,
      nextSeq: this.nextSeq,
      events: this.queue.map((event) => [event.at, event.seq]),
    };
  }

  /** Move forward to `at` (never backward), firing each event due by then at its own time. */
  advanceTo(at: number): void {
    while (this.queue.length > 0 && this.queue[0]!.at <= at) {
      const event = this.queue.shift()!;
      if (event.at > this.now) this.now = event.at;
      event.fire();
    }
    if (at > this.now) this.now = at;
  }
}
