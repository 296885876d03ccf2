// Mutation fuzzing of the certificate parser: fixtures with bits flipped, bytes changed,
// ranges cut, repeated or spliced in from other certificates. Whatever comes in, parsing must
// either succeed or throw PkiError, quickly; validation must return a verdict, never throw.
// 10,000 certificates by default; FUZZ_SCALE=10 for 100,000. PKI_SEED replays a run.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../../../src/kernel/net/pki/chain.ts';
import { parsePem } from '../../../../src/kernel/net/pki/pem.ts';
import { PkiError } from '../../../../src/kernel/net/pki/pki-error.ts';
import { parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';
import { FIXTURES, fixtureCertificate, NOW } from './certificate-builder.ts';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const COUNT = 10_000 * SCALE;
const SEED = Number(process.env.PKI_SEED ?? 0x5eed_2026);
const VALIDATE_EVERY = 97;
const MAX_PARSE_MILLISECONDS = 2000;
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x05, 0x30, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xa3, 0xff];

const seeds = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.pem') && !file.endsWith('.key.pem'))
  .flatMap((file) => parsePem(readFileSync(join(FIXTURES, file), 'utf8')));

function mutate(original: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes = Array.from(original);
  for (let rounds = 1 + pick(4); rounds > 0; rounds--) {
    const at = pick(bytes.length);
    const span = 1 + pick(Math.min(64, bytes.length - at));
    switch (pick(8)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << pick(8));
        break;
      case 1:
        bytes[at] = pick(256);
        break;
      case 2:
        bytes[at] = INTERESTING_BYTES[pick(INTERESTING_BYTES.length)]!;
        break;
      case 3:
        bytes = bytes.slice(0, at);
        break;
      case 4:
        bytes.splice(at, span);
        break;
      case 5:
        bytes.splice(at, 0, ...Array.from({ length: 1 + pick(8) }, () => pick(256)));
        break;
      case 6:
        bytes.splice(at, 0, ...bytes.slice(at, at + span));
        break;
      default: {
        const donor = seeds[pick(seeds.length)]!;
        const from = pick(donor.length);
        bytes.splice(at, span, ...donor.subarray(from, from + span));
      }
    }
    if (bytes.length === 0) break;
  }
  return Uint8Array.from(bytes);
}

describe('parser fuzzing', () => {
  it(
    `parses or refuses ${COUNT} mutated certificates with PkiError only (seed ${SEED})`,
    () => {
      const random = uniformRandom(SEED);
      const roots = [fixtureCertificate('root-ca')];
      const intermediate = fixtureCertificate('intermediate-ca').der;
      let parsed = 0;
      let slowest = 0;
      for (let i = 0; i < COUNT; i++) {
        const mutated = mutate(seeds[i % seeds.length]!, random);
        const replay = `seed ${SEED}, certificate ${i}`;
        const started = performance.now();
        try {
          parseCertificate(mutated);
          parsed++;
        } catch (error) {
          if (!(error instanceof PkiError)) {
            throw new Error(`${replay}: ${String(error)} is not a PkiError`, { cause: error });
          }
          expect(error.message.length, replay).toBeGreaterThan(0);
        }
        slowest = Math.max(slowest, performance.now() - started);
        if (i % VALIDATE_EVERY === 0) {
          const verdict = validateChain([mutated, intermediate], {
            serverName: 'example.com',
            now: NOW,
            roots,
          });
          expect(typeof verdict.ok, replay).toBe('boolean');
        }
      }
      // A parser caught in a loop would time the test out; this bound catches blow-ups that merely
      // take long. Typical parses take microseconds, garbage collection on a busy machine ~100 ms.
      expect(slowest).toBeLessThan(MAX_PARSE_MILLISECONDS);
      expect(parsed).toBeGreaterThan(0);
      expect(parsed).toBeLessThan(COUNT / 2);
    },
    60_000 * SCALE,
  );
});
