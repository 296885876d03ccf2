/**
 * Seeded random bytes for tests: the same seed gives the same sequence on
 * every run, so a failure can be replayed from the seed it prints. The
 * generator is the project's one (src/runtime/host/seeded-random.ts), whose
 * `uniformRandom` tests use for numbers in [0, 1).
 */
import { mulberry32 } from '../../src/runtime/host/seeded-random';

export interface SeededRandom {
  bytes(length: number): Uint8Array;
  /** An integer in [0, limit). */
  below(limit: number): number;
}

/** Random bytes and integers below a limit. */
export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  return {
    bytes: (length) => Uint8Array.from({ length }, () => next() & 0xff),
    below: (limit) => next() % limit,
  };
}
