/**
 * The virtual network's one source of randomness: a seeded pseudo-random
 * generator (xorshift32, Marsaglia 2003, "Xorshift RNGs" §3), so the link
 * model's losses and the hosts' initial sequence numbers are the same on
 * every run with the same seed and inputs.
 *
 * A real TCP picks initial sequence numbers that an attacker cannot guess
 * (RFC 6528); here predictability is the point: a run must replay exactly.
 * The generator's whole state is one 32-bit word, which `saveState` exposes
 * for machine snapshots.
 */

/** The seed used when the machine's configuration names none. */
export const DEFAULT_NETWORK_SEED = 0x2545f491;

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // xorshift never leaves zero, so a zero seed is replaced.
    this.state = seed >>> 0 || DEFAULT_NETWORK_SEED;
  }

  /** The next 32-bit unsigned value. */
  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** A number in [0, 1). */
  nextFraction(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** True with probability `percent` / 100. */
  chance(percent: number): boolean {
    return this.nextFraction() * 100 < percent;
  }

  saveState(): number {
    return this.state;
  }
}
