/**
 * Real-time mode: paces a machine's virtual clock to the wall clock.
 *
 * The machine itself never looks at the wall clock (that is what keeps it
 * deterministic); this driver does, from outside. In short slices it lets the
 * machine run up to "virtual time = wall time since boot", then sleeps, so an
 * idle kernel costs almost nothing and `sleep 1` takes a second. A slice does
 * at most `sliceMs` of work, so the thread stays responsive to input; if the
 * machine falls far behind (a long computation), the lag is forgiven rather
 * than raced through afterwards. Used by the browser worker and by the CLI's
 * interactive mode.
 *
 * A driver may start in fast mode (`fastWhile`): slices run the machine as
 * fast as the host goes, virtual time jumping from event to event, until the
 * condition fails (the book's machine: until its first prompt), and pacing
 * starts from the virtual time reached. The machine cannot tell: what it
 * prints, and when in virtual time, is the same either way.
 */
import type { MachineState } from '../../emu/machine';
import type { MachineHost } from './machine-host';

const NS_PER_MS = 1_000_000;
const STEP_NS = 1 * NS_PER_MS;
const IDLE_POLL_MS = 4;
const MAX_LAG_MS = 250;

export interface RealtimeOptions {
  /** Wall-clock work per slice before yielding the thread. */
  readonly sliceMs?: number;
  /** Called after every slice (flush output, heartbeat, state changes). */
  readonly onSlice?: (state: MachineState) => void;
  /** Run in fast mode while this holds (asked between steps), then in real time for good. */
  readonly fastWhile?: () => boolean;
}

/** Whether a machine in this state still runs (as opposed to halted, powered off, panicked, crashed). */
export const isLive = (state: MachineState): boolean =>
  state === 'running' || state === 'idle' || state === 'off';

export class RealtimeDriver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wallOrigin = 0;
  private virtualOrigin = 0;
  private active = false;
  private fast: boolean;
  /** Waiting for the next slice (nextSlice): told true once it ran, false if the driver stops first. */
  private sliceWaiters: ((ran: boolean) => void)[] = [];

  constructor(
    private readonly host: MachineHost,
    private readonly options: RealtimeOptions = {},
  ) {
    this.fast = options.fastWhile !== undefined;
  }

  /** Start (or resume) pacing from the machine's current virtual time. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.resync();
    this.schedule(0);
  }

  /** Pause: run no more slices; the machine keeps its state. */
  pause(): void {
    this.stop();
  }

  /** Resume after a pause; the paused wall time is not made up. */
  resume(): void {
    this.start();
  }

  /** Stop running slices; the machine keeps its state. */
  stop(): void {
    this.active = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.sliceDone(false);
  }

  /** After the next slice: true once it ran, false at once (or later) if the driver is stopped or paused. */
  nextSlice(): Promise<boolean> {
    if (!this.active) return Promise.resolve(false);
    return new Promise((resolve) => this.sliceWaiters.push(resolve));
  }

  private sliceDone(ran: boolean): void {
    const waiters = this.sliceWaiters;
    this.sliceWaiters = [];
    for (const resolve of waiters) resolve(ran);
  }

  /** Input arrived: run a slice now rather than at the next poll. */
  wake(): void {
    if (this.active) this.schedule(0);
  }

  private resync(): void {
    this.wallOrigin = performance.now();
    this.virtualOrigin = this.host.machine.clock.now;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.slice(), delayMs);
  }

  /** A slice of fast mode: as much virtual time as `sliceMs` of work runs, while `fastWhile` holds. */
  private fastSlice(sliceMs: number): MachineState {
    const started = performance.now();
    let state = this.host.state;
    while (isLive(state) && performance.now() - started < sliceMs) {
      if (!this.options.fastWhile?.()) {
        this.fast = false;
        this.resync();
        break;
      }
      state = this.host.runUntil(this.host.machine.clock.now + STEP_NS);
    }
    return state;
  }

  private slice(): void {
    this.timer = null;
    const sliceMs = this.options.sliceMs ?? 10;
    if (this.fast) {
      const state = this.fastSlice(sliceMs);
      this.options.onSlice?.(state);
      this.sliceDone(true);
      if (!isLive(state)) return this.stop();
      if (this.active) this.schedule(0);
      return;
    }
    const started = performance.now();
    let target = this.virtualOrigin + (started - this.wallOrigin) * NS_PER_MS;
    let state = this.host.state;
    while (
      isLive(state) &&
      this.host.machine.clock.now < target &&
      performance.now() - started < sliceMs
    ) {
      state = this.host.runUntil(Math.min(target, this.host.machine.clock.now + STEP_NS));
      if (this.host.machine.clock.now < this.virtualOrigin) this.resync(); // rebooted: a new clock
      target = this.virtualOrigin + (started - this.wallOrigin) * NS_PER_MS;
    }
    this.options.onSlice?.(state);
    this.sliceDone(true);
    if (!isLive(state)) return this.stop();
    const lagMs = (target - this.host.machine.clock.now) / NS_PER_MS;
    if (lagMs > MAX_LAG_MS) this.resync();
    if (this.active) this.schedule(lagMs > 0 ? 0 : IDLE_POLL_MS);
  }
}
