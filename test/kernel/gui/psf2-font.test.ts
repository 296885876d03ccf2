import { describe, expect, it } from 'vitest';
import { MalformedFontError, Psf2Font } from '../../../src/kernel/gui/psf2-font';
import { buildPsf2, random, shippedFont, shippedFontBytes, testSeed } from './helpers';

/** The glyph's rows as strings of '#' and '.'. */
function picture(font: Psf2Font, char: string): string[] {
  const bitmap = font.glyph(char.codePointAt(0)!);
  return Array.from({ length: font.height }, (_, y) =>
    Array.from({ length: font.width }, (_, x) => (font.pixelSet(bitmap, x, y) ? '#' : '.')).join(
      '',
    ),
  );
}

function parseError(bytes: Uint8Array): string {
  try {
    Psf2Font.parse(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedFontError);
    return (error as Error).message;
  }
  throw new Error('parsed without complaint');
}

describe('PSF2 font', () => {
  it('parses the shipped 8×16 font with its Unicode table', () => {
    const font = shippedFont();
    expect([font.width, font.height, font.glyphCount, font.bytesPerRow]).toEqual([8, 16, 512, 1]);
    expect(font.has('A'.codePointAt(0)!)).toBe(true);
    expect(font.has(0x0416)).toBe(true); // Cyrillic Ж
    expect(font.has(0x4e00)).toBe(false); // no CJK in an 8×16 console font
    const letterA = picture(font, 'A');
    expect(letterA.some((row) => row.includes('#'))).toBe(true);
    expect(picture(font, ' ').every((row) => row === '........')).toBe(true);
  });

  it('maps each character the table lists to its glyph, several characters to one glyph', () => {
    const font = shippedFont();
    // The table lists U+0041 LATIN A and U+0391 GREEK ALPHA on the same glyph.
    expect(font.glyphIndex(0x41)).toBe(font.glyphIndex(0x391));
    expect(font.glyphIndex(0x41)).not.toBe(font.glyphIndex(0x42));
  });

  it('draws a character it lacks with the replacement glyph', () => {
    const font = shippedFont();
    const fallback = font.has(0xfffd) ? 0xfffd : 0x3f;
    expect(font.glyphIndex(0x4e00)).toBe(font.glyphIndex(fallback));
  });

  it('maps character n to glyph n in a font without a Unicode table', () => {
    const glyphs = [0, 1, 2].map((n) => [n, n]);
    const font = Psf2Font.parse(buildPsf2({ width: 8, height: 2, glyphs }));
    expect(Array.from(font.glyph(2))).toEqual([2, 2]);
    expect(font.has(3)).toBe(false);
    expect(Array.from(font.glyph(3))).toEqual([0, 0]); // no '?' or U+FFFD: glyph 0
  });

  it('reads rows wider than a byte, leftmost pixel in bit 7 of the first byte', () => {
    const font = Psf2Font.parse(
      buildPsf2({ width: 10, height: 1, glyphs: [[0x80, 0x40]], characters: ['x'] }),
    );
    const bitmap = font.glyph(0x78);
    const row = Array.from({ length: 10 }, (_, x) =>
      font.pixelSet(bitmap, x, 0) ? '#' : '.',
    ).join('');
    expect(row).toBe('#........#');
  });

  it('skips multi-character sequences in the Unicode table', () => {
    const bytes = buildPsf2({ width: 8, height: 1, glyphs: [[1], [2]], characters: ['a', 'b'] });
    // Glyph 0's entry becomes "a", 0xFE, "e" + U+0301: a sequence, not a mapping for "e".
    const table = bytes.length - 4;
    const patched = Uint8Array.from([
      ...bytes.subarray(0, table),
      0x61,
      0xfe,
      0x65,
      0xcc,
      0x81,
      0xff,
      0x62,
      0xff,
    ]);
    const font = Psf2Font.parse(patched);
    expect(font.glyphIndex(0x61)).toBe(0);
    expect(font.glyphIndex(0x62)).toBe(1);
    expect(font.has(0x65)).toBe(false);
  });

  describe('rejects malformed files', () => {
    const good = () =>
      buildPsf2({
        width: 8,
        height: 2,
        glyphs: [
          [1, 2],
          [3, 4],
        ],
        characters: ['a', 'b'],
      });
    const withField = (index: number, value: number) => {
      const bytes = good();
      new DataView(bytes.buffer).setUint32(index * 4, value, true);
      return bytes;
    };

    it.each([
      ['shorter than a header', () => good().subarray(0, 31), /shorter than a PSF2 header/],
      [
        'a PSF1 file',
        () => Uint8Array.from([0x36, 0x04, 0, 16, ...new Array(40).fill(0)]),
        /bad magic/,
      ],
      ['an unknown version', () => withField(1, 1), /unknown version 1/],
      ['a header size past the end', () => withField(2, 10_000), /header size/],
      ['a zero width', () => withField(7, 0), /glyph size 0×2/],
      ['a glyph size that does not match', () => withField(5, 3), /does not match 8×2/],
      ['no glyphs', () => withField(4, 0), /glyph count 0/],
      ['glyphs past the end', () => withField(4, 1000), /run past the end/],
      [
        'a Unicode table cut short',
        () => good().subarray(0, good().length - 1),
        /ends inside glyph 1/,
      ],
      [
        'broken UTF-8 in the table',
        () => Uint8Array.from([...good().subarray(0, 36), 0xc3, 0x28, 0xff, 0x62, 0xff]),
        /bad UTF-8 continuation/,
      ],
      [
        'an overlong UTF-8 encoding',
        () => Uint8Array.from([...good().subarray(0, 36), 0xe0, 0x81, 0x81, 0xff, 0x62, 0xff]),
        /invalid UTF-8 character/,
      ],
    ])('%s', (_name, bytes, message) => {
      expect(parseError(bytes())).toMatch(message);
    });
  });

  const seed = testSeed(0xf0_47);
  it(`accepts, or rejects with MalformedFontError and nothing else (fuzz, seed ${seed})`, () => {
    const rng = random(seed);
    const original = shippedFontBytes();
    let rejected = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = original.slice(
        0,
        rng.next() < 0.3 ? rng.int(original.length) : original.length,
      );
      for (let n = 1 + rng.int(8); n > 0; n--) {
        // Mostly the header and the table, where a wrong byte matters.
        const at =
          rng.next() < 0.5
            ? rng.int(32)
            : 32 + 512 * 16 + rng.int(Math.max(1, bytes.length - 8224));
        if (at < bytes.length) bytes[at] = rng.int(256);
      }
      try {
        const font = Psf2Font.parse(bytes);
        font.glyph(0x41);
        font.glyph(rng.int(0x110000));
      } catch (error) {
        expect(error, `seed ${seed}, round ${round}`).toBeInstanceOf(MalformedFontError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
