/**
 * A surface: a rectangle of 32-bit pixels in memory, and the drawing
 * primitives the desktop is made of.
 *
 * Pixels are 0x00RRGGBB numbers in a Uint32Array, row after row with no
 * padding: the layout of the framebuffer in a 32 bpp mode (a little-endian
 * store of 0x00RRGGBB puts B, G, R, 0 in memory, which is what VBE direct
 * colour expects), so a surface can be copied to video memory as it is.
 *
 * Every primitive draws through a clip rectangle and touches no pixel outside
 * it. The compositor relies on this: to repaint one damaged rectangle it sets
 * the clip to that rectangle and draws the whole scene, and nothing else on
 * screen changes. Shapes are rasterised with integer arithmetic, the classic
 * way: Bresenham's line algorithm (IBM Systems Journal, 1965) and circles by
 * testing x² + y² ≤ r² row by row, so every pixel is predictable and the
 * tests can check them exactly.
 */
import type { Psf2Font } from './psf2-font';
import { bottom, intersect, rect, right, type Rect } from './rect';

/** A pixel colour, 0x00RRGGBB. */
export type Color = number;

/**
 * A pixel value that no 0x00RRGGBB colour uses (its top byte is set): where a
 * source surface holds it, `blitTransparent` leaves the destination as it was.
 * The mouse cursor's shape is drawn this way.
 */
export const TRANSPARENT = 0xff000000;

export class Surface {
  readonly pixels: Uint32Array;
  private clipRect: Rect;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint32Array(width * height);
    this.clipRect = this.bounds;
  }

  /** The whole surface, at (0, 0). */
  get bounds(): Rect {
    return rect(0, 0, this.width, this.height);
  }

  /** Where drawing is allowed. */
  get clip(): Rect {
    return this.clipRect;
  }

  /** Restrict drawing to `area` (within the surface); null allows the whole surface again. */
  setClip(area: Rect | null): void {
    this.clipRect = area ? (intersect(area, this.bounds) ?? rect(0, 0, 0, 0)) : this.bounds;
  }

  getPixel(x: number, y: number): Color {
    return this.pixels[y * this.width + x]!;
  }

  setPixel(x: number, y: number, color: Color): void {
    const c = this.clipRect;
    if (x >= c.x && x < right(c) && y >= c.y && y < bottom(c))
      this.pixels[y * this.width + x] = color;
  }

  /** Fill columns x0 … x1 − 1 of row y: the one loop every filled shape ends in. */
  private fillSpan(y: number, x0: number, x1: number, color: Color): void {
    const c = this.clipRect;
    if (y < c.y || y >= bottom(c)) return;
    const from = Math.max(x0, c.x);
    const to = Math.min(x1, right(c));
    if (to > from) this.pixels.fill(color, y * this.width + from, y * this.width + to);
  }

  fillRect(area: Rect, color: Color): void {
    for (let y = area.y; y < bottom(area); y++) this.fillSpan(y, area.x, right(area), color);
  }

  /** A one-pixel outline along the inside edge of `area`. */
  strokeRect(area: Rect, color: Color): void {
    if (area.width <= 0 || area.height <= 0) return;
    this.fillSpan(area.y, area.x, right(area), color);
    this.fillSpan(bottom(area) - 1, area.x, right(area), color);
    for (let y = area.y + 1; y < bottom(area) - 1; y++) {
      this.setPixel(area.x, y, color);
      this.setPixel(right(area) - 1, y, color);
    }
  }

  /**
   * Half the width of row `dy` of a circle of radius `radius` (dy from the
   * centre): the largest dx with dx² + dy² ≤ r².
   */
  private static circleHalfWidth(radius: number, dy: number): number {
    return Math.floor(Math.sqrt(radius * radius - dy * dy));
  }

  /** A filled disc of 2r + 1 pixels across, centred on pixel (cx, cy). */
  fillCircle(cx: number, cy: number, radius: number, color: Color): void {
    for (let dy = -radius; dy <= radius; dy++) {
      const half = Surface.circleHalfWidth(radius, dy);
      this.fillSpan(cy + dy, cx - half, cx + half + 1, color);
    }
  }

  /**
   * A filled rectangle whose corners are quarter discs of radius `radius`
   * (the discs of fillCircle, centred `radius` pixels in from each corner).
   */
  fillRoundedRect(area: Rect, radius: number, color: Color): void {
    const r = Math.max(
      0,
      Math.min(radius, Math.floor((Math.min(area.width, area.height) - 1) / 2)),
    );
    for (let y = area.y; y < bottom(area); y++) {
      const fromTop = area.y + r - y;
      const fromBottom = y - (bottom(area) - 1 - r);
      const dy = Math.max(fromTop, fromBottom, 0);
      const inset = r - Surface.circleHalfWidth(r, dy);
      this.fillSpan(y, area.x + inset, right(area) - inset, color);
    }
  }

  /** Bresenham's line from (x0, y0) to (x1, y1), both ends included, in any direction. */
  drawLine(x0: number, y0: number, x1: number, y1: number, color: Color): void {
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const stepX = x0 < x1 ? 1 : -1;
    const stepY = y0 < y1 ? 1 : -1;
    let error = dx + dy; // how far the ideal line is from the pixel, scaled by 2·dx·dy
    let x = x0;
    let y = y0;
    for (;;) {
      this.setPixel(x, y, color);
      if (x === x1 && y === y1) return;
      const doubled = 2 * error;
      if (doubled >= dy) {
        error += dy;
        x += stepX;
      }
      if (doubled <= dx) {
        error += dx;
        y += stepY;
      }
    }
  }

  /**
   * Copy `from` (a rectangle of `source`) so that its top-left corner lands
   * on (x, y) here. Parts outside the source or outside this surface's clip
   * are left out.
   */
  blit(source: Surface, from: Rect, x: number, y: number): void {
    const span = this.blitSpan(source, from, x, y);
    if (!span) return;
    for (let row = 0; row < span.height; row++) {
      const start = (span.sourceY + row) * source.width + span.sourceX;
      const line = source.pixels.subarray(start, start + span.width);
      this.pixels.set(line, (span.y + row) * this.width + span.x);
    }
  }

  /** As blit, but source pixels equal to TRANSPARENT leave the destination unchanged. */
  blitTransparent(source: Surface, from: Rect, x: number, y: number): void {
    const span = this.blitSpan(source, from, x, y);
    if (!span) return;
    for (let row = 0; row < span.height; row++) {
      for (let col = 0; col < span.width; col++) {
        const pixel = source.getPixel(span.sourceX + col, span.sourceY + row);
        if (pixel !== TRANSPARENT) this.pixels[(span.y + row) * this.width + span.x + col] = pixel;
      }
    }
  }

  /** Where a blit writes (x, y, width, height here) and reads (sourceX, sourceY), both clipped. */
  private blitSpan(source: Surface, from: Rect, x: number, y: number) {
    const readable = intersect(from, source.bounds);
    if (!readable) return null;
    const landing = rect(
      x + readable.x - from.x,
      y + readable.y - from.y,
      readable.width,
      readable.height,
    );
    const written = intersect(landing, this.clipRect);
    if (!written) return null;
    const sourceX = readable.x + written.x - landing.x;
    const sourceY = readable.y + written.y - landing.y;
    return { ...written, sourceX, sourceY };
  }

  /**
   * Draw `text` with its first character's top-left corner at (x, y), set
   * glyph pixels in `color`, the rest left as they are. One glyph per
   * character, `font.width` pixels apart. Returns the x after the last glyph.
   */
  drawText(font: Psf2Font, x: number, y: number, text: string, color: Color): number {
    let penX = x;
    for (const char of text) {
      this.drawGlyph(font, penX, y, char.codePointAt(0)!, color);
      penX += font.width;
    }
    return penX;
  }

  private drawGlyph(font: Psf2Font, x: number, y: number, codePoint: number, color: Color): void {
    const glyphBox = rect(x, y, font.width, font.height);
    if (!intersect(glyphBox, this.clipRect)) return;
    const bitmap = font.glyph(codePoint);
    for (let row = 0; row < font.height; row++) {
      for (let col = 0; col < font.width; col++) {
        if (font.pixelSet(bitmap, col, row)) this.setPixel(x + col, y + row, color);
      }
    }
  }
}

/** How many pixels wide `text` is in `font`. */
export function textWidth(font: Psf2Font, text: string): number {
  let characters = 0;
  for (const _ of text) characters++;
  return characters * font.width;
}
