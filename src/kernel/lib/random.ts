/**
 * The kernel's random numbers: xorshift128+ over a pool seeded at boot.
 *
 * The Cotton PC has no hardware random number generator, so the pool is
 * seeded from what the kernel can read at boot — the RTC's date — and stirred
 * with the timer tick count at every request. That is predictable, which a
 * real kernel must never be (Linux gathers interrupt timing jitter and CPU
 * RNG output); here it is what keeps every run of the machine identical.
 */

export class RandomPool {
  private s0: bigint;
  private s1: bigint;

  constructor(seed: number) {
    this.s0 = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
    this.s1 = BigInt.asUintN(64, this.s0 ^ 0xbf58476d1ce4e5b9n);
  }

  /** Fill `bytes` with pseudo-random bytes, stirring in `tick` first. */
  fill(bytes: Uint8Array, tick: number): void {
    this.s0 ^= BigInt(tick >>> 0);
    for (let i = 0; i < bytes.length; i += 8) {
      const word = this.next();
      for (let j = 0; j < 8 && i + j < bytes.length; j++)
        bytes[i + j] = Number((word >> BigInt(8 * j)) & 0xffn);
    }
  }

  private next(): bigint {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x = BigInt.asUintN(64, x ^ (x << 23n));
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return BigInt.asUintN(64, this.s1 + y);
  }
}
