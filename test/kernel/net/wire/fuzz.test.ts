import { describe, expect, it } from 'vitest';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

describe('the wire-format fuzzer', () => {
  it('is deterministic for a seed', () => {
    const a = uniformRandom(42);
    const b = uniformRandom(42);
    const c = uniformRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
  });

  it('reports a parser that throws anything but MalformedPacket, with the seed and input', () => {
    const sloppy = (bytes: Uint8Array) => bytes[3]!.toFixed(); // TypeError when short
    expect(() => fuzzParser(sloppy, [new Uint8Array(8)], { seed: 7, iterations: 1000 })).toThrow(
      /fuzz seed 7 .*TypeError.*for input/,
    );
  });

  it('counts MalformedPacket as a rejection, not a failure', () => {
    const strict = (bytes: Uint8Array) => {
      if (bytes.length !== 8) throw new MalformedPacket('test', 'wrong length');
    };
    const result = fuzzParser(strict, [new Uint8Array(8)], { iterations: 1000 });
    expect(result.accepted + result.rejected).toBe(1000);
    expect(result.rejected).toBeGreaterThan(0);
  });
});
