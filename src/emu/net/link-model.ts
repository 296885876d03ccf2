/**
 * The guest's link to the switch, made as bad as an experiment needs:
 * loss, duplication, reordering, delay and a bandwidth limit, in the
 * manner of Linux's netem queueing discipline, applied to each direction
 * of the cable between the machine's NIC and the virtual switch.
 *
 * - Each frame is lost with probability lossPercent; a frame that is not
 *   lost is delivered twice with probability duplicatePercent.
 * - With bandwidthKbps set, frames leave one after another at that rate
 *   (a frame of n bytes occupies the link for 8n / rate seconds); the
 *   queue is unlimited, so the limit delays frames and never drops them.
 * - Every frame then takes delayMs more; a frame chosen for reordering
 *   (reorderPercent) is held REORDER_HOLD_NS longer still (or delayMs, if
 *   that is longer), so the frames sent after it overtake it.
 *
 * The choices come from the network's seeded generator: three draws per
 * frame (loss, duplicate, reorder) whenever the link is not ideal, so a run
 * with the same seed, conditions and traffic loses the same frames. An
 * ideal link (all zero, the default) passes frames straight through,
 * without drawing or scheduling anything, so a machine that never asks for
 * bad conditions runs exactly as if this file did not exist.
 *
 * The pcap capture listens at the switch, on the far side of this link:
 * frames lost on the way from the guest never appear in it, frames lost on
 * the way to the guest do.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import type { SeededRandom } from './seeded-random';

export interface LinkConditions {
  readonly lossPercent: number;
  readonly duplicatePercent: number;
  readonly reorderPercent: number;
  /** Added one-way latency, each direction. */
  readonly delayMs: number;
  /** Each direction's rate; 0 means no limit. */
  readonly bandwidthKbps: number;
}

export const IDEAL_LINK: LinkConditions = {
  lossPercent: 0,
  duplicatePercent: 0,
  reorderPercent: 0,
  delayMs: 0,
  bandwidthKbps: 0,
};

/** How much longer than the others a reordered frame is held, at least. */
export const REORDER_HOLD_NS = 1_000_000;

export type LinkDirection = 'from guest' | 'to guest';

export interface LinkStatistics {
  /** Frames handed to the link. */
  offered: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}

/** Conditions that are out of range: percentages outside 0-100, negative delay or rate. */
export class LinkConditionsError extends Error {
  override name = 'LinkConditionsError';
}

function validate(conditions: LinkConditions): LinkConditions {
  for (const key of ['lossPercent', 'duplicatePercent', 'reorderPercent'] as const) {
    const value = conditions[key];
    if (!(value >= 0 && value <= 100))
      throw new LinkConditionsError(`${key} must be between 0 and 100, not ${value}`);
  }
  for (const key of ['delayMs', 'bandwidthKbps'] as const) {
    const value = conditions[key];
    if (!(value >= 0 && Number.isFinite(value)))
      throw new LinkConditionsError(`${key} must be a number >= 0, not ${value}`);
  }
  return conditions;
}

export class LinkModel {
  private current: LinkConditions;
  private readonly stats: Record<LinkDirection, LinkStatistics> = {
    'from guest': { offered: 0, dropped: 0, duplicated: 0, reordered: 0 },
    'to guest': { offered: 0, dropped: 0, duplicated: 0, reordered: 0 },
  };
  /** When each direction's link finishes sending what it has queued (with a bandwidth limit). */
  private readonly busyUntilNs: Record<LinkDirection, number> = { 'from guest': 0, 'to guest': 0 };

  constructor(
    private readonly clock: VirtualClock,
    private readonly random: SeededRandom,
    conditions: Partial<LinkConditions> = {},
  ) {
    this.current = validate({ ...IDEAL_LINK, ...conditions });
  }

  get conditions(): LinkConditions {
    return this.current;
  }

  /** Change some conditions from now on; frames already in flight keep their times. */
  setConditions(changes: Partial<LinkConditions>): void {
    this.current = validate({ ...this.current, ...changes });
  }

  statistics(direction: LinkDirection): LinkStatistics {
    return { ...this.stats[direction] };
  }

  /** Carry `frame` in `direction`: `deliver` is called zero, one or two times, now or later. */
  carry(direction: LinkDirection, frame: Uint8Array, deliver: (frame: Uint8Array) => void): void {
    const stats = this.stats[direction];
    stats.offered++;
    if (this.isIdeal()) return deliver(frame);
    const lost = this.random.chance(this.current.lossPercent);
    const duplicate = this.random.chance(this.current.duplicatePercent);
    const reorder = this.random.chance(this.current.reorderPercent);
    if (lost) {
      stats.dropped++;
      return;
    }
    const copy = frame.slice();
    const delayNs = this.current.delayMs * 1_000_000;
    const holdNs = reorder ? Math.max(REORDER_HOLD_NS, delayNs) : 0;
    if (reorder) stats.reordered++;
    this.clock.schedule(this.departure(direction, frame.length) + delayNs + holdNs, () =>
      deliver(copy),
    );
    if (duplicate) {
      stats.duplicated++;
      this.clock.schedule(this.departure(direction, frame.length) + delayNs, () => deliver(copy));
    }
  }

  saveState(): DeviceState {
    return {
      conditions: { ...this.current },
      fromGuest: { ...this.stats['from guest'] },
      toGuest: { ...this.stats['to guest'] },
      busyUntilNs: [this.busyUntilNs['from guest'], this.busyUntilNs['to guest']],
    };
  }

  private isIdeal(): boolean {
    const c = this.current;
    return (
      c.lossPercent === 0 &&
      c.duplicatePercent === 0 &&
      c.reorderPercent === 0 &&
      c.delayMs === 0 &&
      c.bandwidthKbps === 0
    );
  }

  /** When a frame of `length` bytes has left the sender: now, or after the frames queued before it. */
  private departure(direction: LinkDirection, length: number): number {
    const rate = this.current.bandwidthKbps;
    if (rate === 0) return this.clock.now;
    const start = Math.max(this.clock.now, this.busyUntilNs[direction]);
    this.busyUntilNs[direction] = start + (length * 8 * 1_000_000) / rate; // bits / (kbit/s) in ns
    return this.busyUntilNs[direction];
  }
}
