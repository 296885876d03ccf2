/**
 * The mouse pointer's picture: the classic arrow, drawn as text so that it
 * can be read (and redrawn) in the source.
 *
 * '#' is the outline, '.' the fill, ' ' transparent: the cursor is a small
 * surface whose unused pixels hold TRANSPARENT, and the compositor copies it
 * onto the screen last with `blitTransparent`. The hot spot, the pixel that
 * "is" the pointer position, is the arrow's tip at (0, 0).
 */
import { Surface, TRANSPARENT, type Color } from './surface';

const ARROW = [
  '#           ',
  '##          ',
  '#.#         ',
  '#..#        ',
  '#...#       ',
  '#....#      ',
  '#.....#     ',
  '#......#    ',
  '#.......#   ',
  '#........#  ',
  '#.........# ',
  '#......#####',
  '#...#..#    ',
  '#..# #..#   ',
  '#.#  #..#   ',
  '##    #..#  ',
  '      #..#  ',
  '       ##   ',
];

const OUTLINE: Color = 0x000000;
const FILL: Color = 0xffffff;

export interface CursorImage {
  readonly image: Surface;
  /** The pixel of the image that sits at the pointer position. */
  readonly hotX: number;
  readonly hotY: number;
}

/** A surface from a picture drawn in text: '#' outline, '.' fill, anything else transparent. */
export function surfaceFromArt(art: readonly string[]): Surface {
  const surface = new Surface(Math.max(...art.map((line) => line.length)), art.length);
  surface.pixels.fill(TRANSPARENT);
  art.forEach((line, y) => {
    [...line].forEach((char, x) => {
      if (char === '#') surface.setPixel(x, y, OUTLINE);
      else if (char === '.') surface.setPixel(x, y, FILL);
    });
  });
  return surface;
}

export function arrowCursor(): CursorImage {
  return { image: surfaceFromArt(ARROW), hotX: 0, hotY: 0 };
}
