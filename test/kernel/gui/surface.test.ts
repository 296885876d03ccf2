import { describe, expect, it } from 'vitest';
import { Psf2Font } from '../../../src/kernel/gui/psf2-font';
import { rect } from '../../../src/kernel/gui/rect';
import { Surface, TRANSPARENT, textWidth } from '../../../src/kernel/gui/surface';
import { buildPsf2, random, testSeed } from './helpers';

const INK = 0x00ff00;

/** The surface as rows of '#' (INK) and '.' (anything else). */
function picture(s: Surface, ink = INK): string[] {
  return Array.from({ length: s.height }, (_, y) =>
    Array.from({ length: s.width }, (_, x) => (s.getPixel(x, y) === ink ? '#' : '.')).join(''),
  );
}

describe('surface', () => {
  it('fills a rectangle, cut off at the clip', () => {
    const s = new Surface(6, 4);
    s.setClip(rect(0, 0, 4, 3));
    s.fillRect(rect(2, 1, 10, 10), INK);
    expect(picture(s)).toEqual(['......', '..##..', '..##..', '......']);
  });

  it('outlines a rectangle along its inside edge', () => {
    const s = new Surface(5, 4);
    s.strokeRect(rect(0, 0, 5, 4), INK);
    expect(picture(s)).toEqual(['#####', '#...#', '#...#', '#####']);
  });

  it('fills a disc of 2r + 1 pixels across', () => {
    const s = new Surface(7, 7);
    s.fillCircle(3, 3, 2, INK);
    expect(picture(s)).toEqual([
      '.......',
      '...#...',
      '..###..',
      '.#####.',
      '..###..',
      '...#...',
      '.......',
    ]);
  });

  it('rounds the corners of a rectangle with quarter discs', () => {
    const s = new Surface(8, 5);
    s.fillRoundedRect(rect(1, 0, 6, 5), 2, INK);
    expect(picture(s)).toEqual(['...##...', '..####..', '.######.', '..####..', '...##...']);
  });

  it('limits the corner radius to half the shorter side', () => {
    const s = new Surface(4, 3);
    s.fillRoundedRect(rect(0, 0, 4, 3), 10, INK);
    expect(picture(s)).toEqual(['.##.', '####', '.##.']);
  });

  it("draws Bresenham's line, both ends included", () => {
    const s = new Surface(6, 3);
    s.drawLine(0, 0, 5, 2, INK);
    expect(picture(s)).toEqual(['##....', '..##..', '....##']);
  });

  const seed = testSeed(0x11e5);
  it(`draws lines of connected pixels, one per step along the longer axis (seed ${seed})`, () => {
    const rng = random(seed);
    for (let round = 0; round < 100; round++) {
      const s = new Surface(20, 20);
      const [x0, y0, x1, y1] = [rng.int(20), rng.int(20), rng.int(20), rng.int(20)];
      s.drawLine(x0, y0, x1, y1, INK);
      const lit = picture(s).flatMap((row, y) =>
        [...row].flatMap((c, x) => (c === '#' ? [[x, y]] : [])),
      );
      const context = `seed ${seed}: (${x0}, ${y0}) to (${x1}, ${y1})`;
      expect(lit.length, context).toBe(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) + 1);
      expect(s.getPixel(x0, y0), context).toBe(INK);
      expect(s.getPixel(x1, y1), context).toBe(INK);
    }
  });

  it('blits a rectangle of another surface, clipped at both surfaces', () => {
    const source = new Surface(4, 4);
    source.fillRect(source.bounds, INK);
    const target = new Surface(5, 5);
    target.setClip(rect(0, 0, 5, 4));
    target.blit(source, rect(1, 1, 10, 10), 3, 2); // 3×3 readable, at (3, 2), row 4 clipped
    expect(picture(target)).toEqual(['.....', '.....', '...##', '...##', '.....']);
    target.setClip(null);
    target.blit(source, source.bounds, -3, -3); // only the source's last pixel lands, at (0, 0)
    expect(picture(target)[0]).toBe('#....');
  });

  it('blits pixel values exactly, row by row', () => {
    const source = new Surface(3, 2);
    source.pixels.set([1, 2, 3, 4, 5, 6]);
    const target = new Surface(4, 3);
    target.blit(source, source.bounds, 1, 1);
    expect(Array.from(target.pixels)).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6]);
  });

  it('leaves the destination alone where the source is TRANSPARENT', () => {
    const source = new Surface(2, 1);
    source.pixels.set([TRANSPARENT, 0x123456]);
    const target = new Surface(2, 1);
    target.pixels.fill(0xabcdef);
    target.blitTransparent(source, source.bounds, 0, 0);
    expect(Array.from(target.pixels)).toEqual([0xabcdef, 0x123456]);
  });

  it('draws text glyph by glyph, set bits only, through the clip', () => {
    // A 3×2 font: 'a' is a diagonal, 'b' a full top row.
    const font = Psf2Font.parse(
      buildPsf2({
        width: 3,
        height: 2,
        glyphs: [
          [0x80, 0x40],
          [0xe0, 0x00],
        ],
        characters: ['a', 'b'],
      }),
    );
    const s = new Surface(8, 2);
    s.pixels.fill(0x111111);
    s.setClip(rect(0, 0, 7, 2));
    expect(s.drawText(font, 1, 0, 'aba', INK)).toBe(10);
    expect(picture(s)).toEqual(['.#..###.', '..#.....']); // the second 'a' at x = 7 is clipped
    expect(s.getPixel(0, 1)).toBe(0x111111); // background untouched
    expect(textWidth(font, 'aba')).toBe(9);
  });
});
