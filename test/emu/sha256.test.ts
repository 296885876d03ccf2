import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { incrementalSha256, sha256, toHex } from '../../src/emu/sha256';
import { uniformRandom } from '../../src/runtime/host/seeded-random';

describe('SHA-256', () => {
  it("gives FIPS 180-2's digests", () => {
    expect(toHex(sha256('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(sha256(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('agrees with the pure-JavaScript implementation the browser uses, whole and in pieces', () => {
    const random = uniformRandom(7);
    const data = Uint8Array.from({ length: 100_000 }, () => Math.floor(random() * 256));
    expect(toHex(sha256(data))).toBe(toHex(nobleSha256(data)));
    const hash = incrementalSha256();
    for (let at = 0; at < data.length; at += 9_999) hash.update(data.subarray(at, at + 9_999));
    expect(toHex(hash.digest())).toBe(toHex(nobleSha256(data)));
  });
});
