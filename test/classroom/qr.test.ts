/**
 * The QR encoder against known properties of ISO/IEC 18004: Reed–Solomon
 * codewords of the standard's worked example, the generator polynomial, the
 * format and version information tables, finder, timing and alignment
 * patterns, the dark module, both copies of the format bits, and a read-back
 * of the data through the zig-zag, the mask and the de-interleaving.
 * (During development the encoder's symbols were also compared module by
 * module with an independent implementation, for several versions and all
 * eight masks; see docs/classroom.md.)
 */
import { describe, expect, it } from 'vitest';
import {
  byteCapacity,
  chooseVersion,
  encodeData,
  encodeQr,
  formatBits,
  generatorPolynomial,
  interleave,
  QrCode,
  reedSolomon,
  sizeOf,
  toSvg,
  versionBits,
} from '../../src/classroom/qr';

const ROOM_LINK = 'http://192.168.1.23:8080/room/?id=k7m2q9xz';

/** log_α of a GF(256) element, by search (the test does not trust the encoder's tables). */
function logAlpha(value: number): number {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    if (x === value) return i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  throw new Error(`${value} is not a power of α`);
}

function readFormat(qr: QrCode, copy: 1 | 2): number {
  const n = qr.size;
  const cells: [number, number][] =
    copy === 1
      ? [
          [0, 8],
          [1, 8],
          [2, 8],
          [3, 8],
          [4, 8],
          [5, 8],
          [7, 8],
          [8, 8],
          [8, 7],
          [8, 5],
          [8, 4],
          [8, 3],
          [8, 2],
          [8, 1],
          [8, 0],
        ]
      : [
          ...Array.from({ length: 8 }, (_, i) => [8, n - 1 - i] as [number, number]),
          ...Array.from({ length: 7 }, (_, i) => [n - 7 + i, 8] as [number, number]),
        ];
  return cells.reduce((bits, [row, col], i) => bits | (qr.dark[row]![col] ? 1 << i : 0), 0);
}

/** Undo the mask and read the codeword bits back in placement order. */
function readCodewords(qr: QrCode): number[] {
  const copy = new QrCode(qr.version);
  copy.drawFunctionPatterns();
  for (let r = 0; r < qr.size; r++)
    for (let c = 0; c < qr.size; c++)
      if (!copy.isFunction(r, c)) copy.dark[r]![c] = qr.dark[r]![c]!;
  copy.applyMask(qr.mask);
  const bits: number[] = [];
  const n = qr.size;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((n - 1 - right) >> 1) % 2 === 0;
    for (let step = 0; step < n; step++) {
      const row = upward ? n - 1 - step : step;
      for (const col of [right, right - 1])
        if (!copy.isFunction(row, col)) bits.push(copy.dark[row]![col] ? 1 : 0);
    }
  }
  const words: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8)
    words.push(bits.slice(i, i + 8).reduce((b, bit) => (b << 1) | bit, 0));
  return words;
}

describe('the QR encoder', () => {
  it('computes the Reed–Solomon codewords of the standard\'s worked example (Annex I: "01234567", 1-M)', () => {
    const data = [
      0b00010000,
      0b00100000,
      0b00001100,
      0b01010110,
      0b01100001,
      0b10000000,
      ...Array.from({ length: 10 }, (_, i) => (i % 2 ? 0x11 : 0xec)),
    ];
    const ec = [
      '10100101',
      '00100100',
      '11010100',
      '11000001',
      '11101101',
      '00110110',
      '11000111',
      '10000111',
      '00101100',
      '01010101',
    ];
    expect(reedSolomon(data, 10)).toEqual(ec.map((bits) => parseInt(bits, 2)));
  });

  it('builds the generator polynomial for 10 codewords: α^0, α^251, α^67, α^46, α^61, α^118, α^70, α^64, α^94, α^32, α^45', () => {
    expect(generatorPolynomial(10).map(logAlpha)).toEqual([
      0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45,
    ]);
  });

  it("writes the format information of level M for every mask as the standard's table", () => {
    const table = [
      '101010000010010',
      '101000100100101',
      '101111001111100',
      '101101101001011',
      '100010111111001',
      '100000011001110',
      '100111110010111',
      '100101010100000',
    ];
    expect(
      Array.from({ length: 8 }, (_, mask) => formatBits(mask).toString(2).padStart(15, '0')),
    ).toEqual(table);
  });

  it("writes the version information of versions 7 to 10 as the standard's table", () => {
    expect([7, 8, 9, 10].map((v) => versionBits(v).toString(16).padStart(5, '0'))).toEqual([
      '07c94',
      '085bc',
      '09a99',
      '0a4d3',
    ]);
  });

  it('picks the smallest version that holds the text, and says when nothing does', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(byteCapacity)).toEqual([
      14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
    ]);
    expect(chooseVersion(ROOM_LINK.length)).toBe(3);
    expect(chooseVersion(14)).toBe(1);
    expect(chooseVersion(15)).toBe(2);
    expect(() => chooseVersion(214)).toThrow(/at most 213 bytes/);
  });

  it('draws the three finder patterns with their separators, the timing patterns and the dark module', () => {
    const qr = encodeQr(ROOM_LINK);
    const n = qr.size;
    expect(n).toBe(sizeOf(qr.version));
    const finder = ['1111111', '1000001', '1011101', '1011101', '1011101', '1000001', '1111111'];
    const block = (row: number, col: number): string[] =>
      Array.from({ length: 7 }, (_, r) =>
        qr.dark[row + r]!.slice(col, col + 7)
          .map((d) => (d ? '1' : '0'))
          .join(''),
      );
    for (const [row, col] of [
      [0, 0],
      [0, n - 7],
      [n - 7, 0],
    ] as const)
      expect(block(row, col)).toEqual(finder);
    for (let i = 0; i < 8; i++) {
      expect(qr.dark[7]![i]).toBe(false); // separators
      expect(qr.dark[i]![7]).toBe(false);
      expect(qr.dark[7]![n - 1 - i]).toBe(false);
      expect(qr.dark[n - 8]![i]).toBe(false);
    }
    for (let i = 8; i < n - 8; i++) {
      expect(qr.dark[6]![i]).toBe(i % 2 === 0);
      expect(qr.dark[i]![6]).toBe(i % 2 === 0);
    }
    expect(qr.dark[n - 8]![8]).toBe(true);
  });

  it('places an alignment pattern where version 3 has one (centre 22,22)', () => {
    const qr = encodeQr(ROOM_LINK);
    const rows = Array.from({ length: 5 }, (_, r) =>
      qr.dark[20 + r]!.slice(20, 25)
        .map((d) => (d ? '1' : '0'))
        .join(''),
    );
    expect(rows).toEqual(['11111', '10001', '10101', '10001', '11111']);
  });

  it('writes the same format bits, naming level M and the chosen mask, in both copies', () => {
    for (const text of [ROOM_LINK, 'a', 'x'.repeat(150)]) {
      const qr = encodeQr(text);
      expect(readFormat(qr, 1)).toBe(formatBits(qr.mask));
      expect(readFormat(qr, 2)).toBe(formatBits(qr.mask));
      const unmasked = formatBits(qr.mask) ^ 0x5412;
      expect(unmasked >> 13).toBe(0b00); // level M
      expect((unmasked >> 10) & 0b111).toBe(qr.mask);
    }
  });

  it('puts both copies of the version information in a version 7 symbol', () => {
    const qr = encodeQr('v'.repeat(110));
    expect(qr.version).toBe(7);
    let a = 0;
    let b = 0;
    for (let i = 0; i < 18; i++) {
      const row = Math.floor(i / 3);
      const col = qr.size - 11 + (i % 3);
      if (qr.dark[row]![col]) a |= 1 << i;
      if (qr.dark[col]![row]) b |= 1 << i;
    }
    expect(a).toBe(versionBits(7));
    expect(b).toBe(versionBits(7));
  });

  it('reads back: the modules, unmasked in zig-zag order, are the interleaved codewords of the text', () => {
    for (const text of [ROOM_LINK, 'é', 'w'.repeat(200)]) {
      const qr = encodeQr(text);
      const data = encodeData(new TextEncoder().encode(text), qr.version);
      const words = readCodewords(qr);
      expect(words.slice(0, interleave(data, qr.version).length)).toEqual(
        interleave(data, qr.version),
      );
      expect(data[0]! >> 4).toBe(0b0100); // byte mode
    }
  });

  it('chooses each mask by penalty: the chosen one scores no worse than any other', () => {
    const chosen = encodeQr(ROOM_LINK);
    const scores = Array.from({ length: 8 }, (_, mask) => encodeQr(ROOM_LINK, mask).penalty());
    expect(chosen.penalty()).toBe(Math.min(...scores));
  });

  it('renders an SVG with a quiet zone of four modules', () => {
    const qr = encodeQr(ROOM_LINK);
    const svg = toSvg(qr);
    expect(svg).toContain(`viewBox="0 0 ${qr.size + 8} ${qr.size + 8}"`);
    expect(svg).toContain('M4,4h1v1h-1z'); // the top-left finder's corner
  });
});
