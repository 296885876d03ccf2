/**
 * Damaged and hostile files: every reader answers with a NexFormatError that
 * names the problem (and the line), returns what was valid before it, and
 * never crashes or hangs.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseAsciicast, writeAsciicast } from '../../src/nex/asciicast';
import { NexFormatError, PartialReadError } from '../../src/nex/errors';
import { parseNex, readNex, writeNex } from '../../src/nex/nex-format';
import { extractCommands } from '../../src/nex/osc133';
import { shellSession } from './sessions';

const MANIFEST =
  '{"version":"1.0","created_at":"2026-01-01T09:00:00Z","recorder_version":"0.2","duration_seconds":1.0}';
const nex = (session: string, manifest: string | null = MANIFEST): Uint8Array =>
  zipSync({
    ...(manifest === null ? {} : { 'manifest.json': strToU8(manifest) }),
    'session.json': strToU8(session),
  });
const good = (t: number, text = 'hi') =>
  JSON.stringify({ t, data: Buffer.from(text).toString('base64') });

/** A deterministic pseudo-random generator for the fuzz loops. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('malformed .nex files', () => {
  const cases: [string, Uint8Array, RegExp, number][] = [
    [
      'bad base64',
      nex(`${good(0)}\n{"t":1,"data":"aGk*"}`),
      /^session\.json line 2: "data" is not valid base64: invalid base64 character "\*" at offset 3$/,
      1,
    ],
    [
      'out-of-order times',
      nex(`${good(0)}\n${good(2)}\n${good(1)}`),
      /^session\.json line 3: time 1 s is before the previous event's 2 s/,
      2,
    ],
    ['not JSON', nex(`${good(0)}\n{"t":1,"data":`), /^session\.json line 2: not JSON \(/, 1],
    [
      'wrong type of t',
      nex(`${good(0)}\n{"t":"1","data":"aGk="}`),
      /^session\.json line 2: "t" must be a number, found string$/,
      1,
    ],
    [
      'wrong type of data',
      nex(`{"t":1,"data":[1,2]}`),
      /^session\.json line 1: "data" must be a string, found array$/,
      0,
    ],
    [
      'a line that is an array',
      nex(`${good(0)}\n[1,2]`),
      /^session\.json line 2: expected a JSON object, found array$/,
      1,
    ],
    [
      'an event of no kind',
      nex(`{"t":1}`),
      /^session\.json line 1: an event needs "t" and "data" \(output\) or a "type" string, found keys "t"$/,
      0,
    ],
    [
      'a bad command phase',
      nex(`{"type":"command","phase":3,"t":1}`),
      /^session\.json line 1: a command event needs "phase"/,
      0,
    ],
    [
      'a non-integer rc',
      nex(`{"type":"command","phase":"end","t":1,"rc":"0"}`),
      /^session\.json line 1: "rc" must be an integer, found string$/,
      0,
    ],
    [
      'a bad resize',
      nex(`{"type":"resize","t":1,"cols":0,"rows":24}`),
      /^session\.json line 1: "cols" must be between 1 and 10000, found 0$/,
      0,
    ],
    ['a negative time', nex(`{"t":-1,"data":""}`), /"t" must not be negative, found -1/, 0],
    [
      'missing session.json',
      zipSync({ 'manifest.json': strToU8(MANIFEST) }),
      /^not a \.nex recording: the archive has no session\.json$/,
      0,
    ],
    [
      'missing manifest.json',
      nex(good(0), null),
      /^not a \.nex recording: the archive has no manifest\.json$/,
      1,
    ],
    [
      'a manifest of the wrong type',
      nex(good(0), '[1]'),
      /^manifest\.json: expected a JSON object, found array$/,
      1,
    ],
    [
      'a wrong created_at',
      nex(good(0), '{"created_at":12}'),
      /^manifest\.json: "created_at" must be a string, found number$/,
      1,
    ],
    [
      'a bad created_at',
      nex(good(0), '{"created_at":"yesterday"}'),
      /^manifest\.json: "created_at" is not an RFC 3339 timestamp: "yesterday"$/,
      1,
    ],
    [
      'a wrong duration',
      nex(good(0), '{"duration_seconds":"long"}'),
      /^manifest\.json: "duration_seconds" must be a non-negative number or null, found "long"$/,
      1,
    ],
    ['not a ZIP', strToU8('hello, I am text'), /^not a \.nex file: it is not a ZIP archive$/, 0],
    ['an empty file', new Uint8Array(0), /^not a \.nex file/, 0],
  ];
  for (const [name, bytes, message, kept] of cases) {
    it(`${name}: a clear error, and the events before it`, () => {
      const { value, error } = parseNex(bytes);
      expect(error).toBeInstanceOf(NexFormatError);
      expect(error!.message).toMatch(message);
      expect(value.events).toHaveLength(kept);
      let thrown: unknown;
      try {
        readNex(bytes);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(PartialReadError);
      expect((thrown as PartialReadError<unknown>).partial).toBe(
        (thrown as PartialReadError<typeof value>).partial,
      );
    });
  }

  it('huge lines: refused over the limit, with the line number', () => {
    const { value, error } = parseNex(nex(`${good(0)}\n${good(1, 'x'.repeat(3000))}`), {
      maxLineLength: 1000,
    });
    expect(error!.message).toBe(
      'session.json line 2: line is 4017 characters long, over the limit of 1000',
    );
    expect(value.events).toHaveLength(1);
    const junk = parseNex(nex(`${good(0)}\n${'{'.repeat(2_000_000)}`));
    expect(junk.error!.message).toMatch(/^session\.json line 2: not JSON/);
  });

  it('a truncated ZIP: the output up to the cut, so a player can play it', () => {
    const events = Array.from({ length: 3000 }, (_, i) =>
      good(i / 100, `line ${i} ${'abcdefghij'.repeat(i % 7)}\r\n`),
    ).join('\n');
    const whole = nex(events);
    const { value, error } = parseNex(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(error!.message).toMatch(
      /^the ZIP archive is damaged or truncated \(.*\); read what came before the damage$/,
    );
    expect(value.info.recorderVersion).toBe('0.2');
    expect(value.events.length).toBeGreaterThan(500);
    expect(value.events.length).toBeLessThan(3000);
    expect(value.events.every((e, i) => e.t === i / 100)).toBe(true);
  });

  it('fuzz: random truncations and byte flips never crash', () => {
    const session = shellSession();
    const whole = writeNex({ ...session, commands: extractCommands(session.events) });
    const next = random(42);
    for (let round = 0; round < 150; round++) {
      const bytes = whole.slice(0, round % 2 ? Math.floor(next() * whole.length) : whole.length);
      for (let flips = round % 5; flips > 0 && bytes.length > 0; flips--)
        bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      const { value, error } = parseNex(bytes);
      expect(Array.isArray(value.events)).toBe(true);
      if (error) expect(error).toBeInstanceOf(NexFormatError);
    }
  });

  it('fuzz: random line damage in session.json and in casts never crashes', () => {
    const session = shellSession();
    const cast = writeAsciicast(session, 3);
    const next = random(7);
    const alphabet = '{}[]":,0123456789.-eE tdatypeAZaz\\\n';
    for (let round = 0; round < 150; round++) {
      const text = [...cast]
        .map((ch) => (next() < 0.01 ? alphabet[Math.floor(next() * alphabet.length)] : ch))
        .join('');
      const r1 = parseAsciicast(text);
      if (r1.error) expect(r1.error.line ?? 0).toBeGreaterThanOrEqual(0);
      const r2 = parseNex(nex(text));
      if (r2.error) expect(r2.error).toBeInstanceOf(NexFormatError);
    }
  });
});
