import { describe, expect, it } from 'vitest';
import {
  DerReader,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeIntegerHex,
  decodeObjectIdentifier,
  decodeString,
  decodeTime,
  parseDer,
  readElement,
  TAG_INTEGER,
  TAG_SEQUENCE,
} from '../../../../src/kernel/net/pki/der.ts';
import { PkiError } from '../../../../src/kernel/net/pki/pki-error.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);
const element = (...values: number[]) => parseDer(bytes(...values), 'test');
const ascii = (tag: number, text: string) =>
  element(tag, text.length, ...new TextEncoder().encode(text));

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PkiError);
    return (error as Error).message;
  }
  throw new Error('accepted input that should have been refused');
}

describe('DER lengths', () => {
  it('reads short and long form lengths', () => {
    expect(element(0x04, 0x02, 1, 2).content).toEqual(bytes(1, 2));
    const long = bytes(0x04, 0x81, 0x80, ...new Array<number>(128).fill(7));
    expect(parseDer(long, 'test').content.length).toBe(128);
    const twoOctets = bytes(0x04, 0x82, 0x01, 0x00, ...new Array<number>(256).fill(7));
    expect(parseDer(twoOctets, 'test').content.length).toBe(256);
  });

  it('refuses lengths that DER forbids or the data cannot hold', () => {
    expect(refusal(() => element(0x30, 0x80, 0, 0))).toContain('indefinite length');
    expect(refusal(() => element(0x04, 0x81, 0x05, 1, 2, 3, 4, 5))).toContain('shortest form');
    expect(refusal(() => element(0x04, 0x82, 0x00, 0x80))).toContain('shortest form');
    expect(refusal(() => element(0x04, 0x85, 1, 1, 1, 1, 1))).toContain('length of 5 octets');
    expect(refusal(() => element(0x04, 0x03, 1, 2))).toContain('runs past the end');
    expect(refusal(() => element(0x04))).toContain('length missing');
    expect(refusal(() => element(0x04, 0x82, 0x01))).toContain('runs past the end');
    expect(refusal(() => element(0x1f, 0x01, 0))).toContain('multi-octet tag');
  });

  it('refuses bytes after the element', () => {
    expect(refusal(() => element(0x05, 0x00, 0x00))).toContain('1 bytes after the end');
  });

  it('keeps the whole encoding of an element read from the middle', () => {
    const data = bytes(0x05, 0x00, 0x02, 0x01, 0x2a, 0xff);
    const read = readElement(data, 2, 'test');
    expect(read.encoded).toEqual(bytes(0x02, 0x01, 0x2a));
    expect(read.tag).toBe(TAG_INTEGER);
  });
});

describe('DerReader', () => {
  const sequence = element(0x30, 0x06, 0x02, 0x01, 0x05, 0x80, 0x01, 0x09);

  it('reads required and optional children in order', () => {
    const reader = new DerReader(sequence, 'seq');
    expect(reader.optional(0xa0, 'version')).toBeNull();
    expect(decodeInteger(reader.next(TAG_INTEGER, 'n'), 'n')).toBe(5n);
    expect(reader.optional(0x80, 'tagged')?.content).toEqual(bytes(9));
    reader.finish();
  });

  it('names the field when a child has the wrong tag or is missing', () => {
    const reader = new DerReader(sequence, 'seq');
    expect(refusal(() => reader.next(TAG_SEQUENCE, 'inner'))).toBe(
      'seq.inner: expected SEQUENCE, found INTEGER',
    );
    const short = new DerReader(element(0x30, 0x00), 'empty');
    expect(refusal(() => short.next(TAG_INTEGER, 'n'))).toBe(
      'empty.n: expected an element, found end of data',
    );
  });

  it('refuses leftover children and primitive elements', () => {
    const reader = new DerReader(sequence, 'seq');
    reader.next(TAG_INTEGER, 'n');
    expect(refusal(() => reader.finish())).toContain('unexpected extra element');
    expect(refusal(() => new DerReader(element(0x02, 0x01, 0x00), 'x'))).toContain(
      'expected a constructed element',
    );
  });
});

describe('DER values', () => {
  it("decodes INTEGER in two's complement and refuses padding", () => {
    expect(decodeInteger(element(0x02, 0x01, 0x7f), 'i')).toBe(127n);
    expect(decodeInteger(element(0x02, 0x02, 0x00, 0x80), 'i')).toBe(128n);
    expect(decodeInteger(element(0x02, 0x01, 0x80), 'i')).toBe(-128n);
    expect(decodeInteger(element(0x02, 0x02, 0xff, 0x7f), 'i')).toBe(-129n);
    expect(decodeIntegerHex(element(0x02, 0x03, 0x00, 0x8f, 0x01), 'i')).toBe('8F01');
    expect(refusal(() => decodeInteger(element(0x02, 0x02, 0x00, 0x7f), 'i'))).toContain(
      'shortest form',
    );
    expect(refusal(() => decodeInteger(element(0x02, 0x02, 0xff, 0x80), 'i'))).toContain(
      'shortest form',
    );
    expect(refusal(() => decodeInteger(element(0x02, 0x00), 'i'))).toContain('empty INTEGER');
  });

  it('decodes OBJECT IDENTIFIER arcs, including the packed first two and large ones', () => {
    const ecPublicKey = element(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
    expect(decodeObjectIdentifier(ecPublicKey, 'o')).toBe('1.2.840.10045.2.1');
    expect(decodeObjectIdentifier(element(0x06, 0x03, 0x55, 0x1d, 0x11), 'o')).toBe('2.5.29.17');
    expect(decodeObjectIdentifier(element(0x06, 0x02, 0x81, 0x34), 'o')).toBe('2.100');
    expect(refusal(() => decodeObjectIdentifier(element(0x06, 0x02, 0x80, 0x01), 'o'))).toContain(
      'leading zero',
    );
    expect(refusal(() => decodeObjectIdentifier(element(0x06, 0x01, 0x81), 'o'))).toContain(
      'ends inside an arc',
    );
    expect(refusal(() => decodeObjectIdentifier(element(0x06, 0x00), 'o'))).toContain('empty');
    const huge = element(0x06, 0x0a, 0x2a, ...new Array<number>(8).fill(0xff), 0x7f);
    expect(refusal(() => decodeObjectIdentifier(huge, 'o'))).toContain('too large');
  });

  it('decodes BOOLEAN and BIT STRING as DER allows', () => {
    expect(decodeBoolean(element(0x01, 0x01, 0xff), 'b')).toBe(true);
    expect(decodeBoolean(element(0x01, 0x01, 0x00), 'b')).toBe(false);
    expect(refusal(() => decodeBoolean(element(0x01, 0x01, 0x01), 'b'))).toContain('00 or ff');
    expect(decodeBitString(element(0x03, 0x02, 0x07, 0x80), 'k')).toEqual({
      bytes: bytes(0x80),
      unusedBits: 7,
    });
    expect(refusal(() => decodeBitString(element(0x03, 0x02, 0x07, 0x81), 'k'))).toContain(
      'must be zero',
    );
    expect(refusal(() => decodeBitString(element(0x03, 0x01, 0x01), 'k'))).toContain('malformed');
    expect(refusal(() => decodeBitString(element(0x03, 0x02, 0x08, 0x00), 'k'))).toContain(
      'malformed',
    );
  });

  it('decodes the string types of names', () => {
    expect(decodeString(ascii(0x13, 'Cotton OS'), 's')).toBe('Cotton OS');
    expect(decodeString(element(0x0c, 0x03, 0xc3, 0xa9, 0x65), 's')).toBe('ée');
    expect(decodeString(element(0x1e, 0x04, 0x00, 0xe9, 0x20, 0xac), 's')).toBe('é€');
    expect(decodeString(element(0x1c, 0x04, 0x00, 0x01, 0xf6, 0x00), 's')).toBe('😀');
    expect(decodeString(element(0x14, 0x01, 0xe9), 's')).toBe('é');
    expect(refusal(() => decodeString(element(0x0c, 0x02, 0xc3, 0x28), 's'))).toContain(
      'invalid UTF-8',
    );
    expect(refusal(() => decodeString(element(0x16, 0x01, 0xe9), 's'))).toContain('non-ASCII');
    expect(refusal(() => decodeString(element(0x1e, 0x01, 0x00), 's'))).toContain('truncated');
    expect(refusal(() => decodeString(element(0x02, 0x01, 0x00), 's'))).toContain(
      'character string',
    );
  });

  it('decodes UTCTime (1950..2049) and GeneralizedTime to unix seconds', () => {
    expect(decodeTime(ascii(0x17, '250101000000Z'), 't')).toBe(Date.UTC(2025, 0, 1) / 1000);
    expect(decodeTime(ascii(0x17, '491231235959Z'), 't')).toBe(
      Date.UTC(2049, 11, 31, 23, 59, 59) / 1000,
    );
    expect(decodeTime(ascii(0x17, '500101000000Z'), 't')).toBe(Date.UTC(1950, 0, 1) / 1000);
    expect(decodeTime(ascii(0x18, '20550101000000Z'), 't')).toBe(Date.UTC(2055, 0, 1) / 1000);
    expect(decodeTime(ascii(0x18, '20240229120000Z'), 't')).toBe(Date.UTC(2024, 1, 29, 12) / 1000);
  });

  it('refuses times that are not in the RFC 5280 form or not real dates', () => {
    for (const [tag, text] of [
      [0x17, '2501010000Z'],
      [0x17, '250101000000+0100'],
      [0x18, '20250101000000.5Z'],
      [0x18, '250101000000Z'],
      [0x17, '230229000000Z'],
      [0x17, '251301000000Z'],
      [0x17, '250101240000Z'],
      [0x17, '250101006000Z'],
      [0x17, '250100000000Z'],
    ] as const) {
      expect(() => decodeTime(ascii(tag, text), 't'), text).toThrow(PkiError);
    }
    expect(refusal(() => decodeTime(ascii(0x13, '250101000000Z'), 't'))).toContain(
      'expected UTCTime',
    );
  });
});
