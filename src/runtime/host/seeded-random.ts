/**
 * mulberry32, a small seeded 32-bit generator: what exercise checks, the
 * benchmarks and the tests draw their "random" inputs from, so that a run
 * can be repeated from its seed. (Not the machine's randomness: the Cotton
 * PC has its own seeded device.)
 */

/** The generator: each call gives the next 32-bit unsigned integer. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same sequence as numbers uniform in [0, 1), as Math.random gives them. */
export function uniformRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 2 ** 32;
}
