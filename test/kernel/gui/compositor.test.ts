import { describe, expect, it } from 'vitest';
import { Compositor, type FramebufferTarget, type Layer } from '../../../src/kernel/gui/compositor';
import { arrowCursor, surfaceFromArt } from '../../../src/kernel/gui/cursor';
import { rect, type Rect } from '../../../src/kernel/gui/rect';
import { Surface } from '../../../src/kernel/gui/surface';

const BACKGROUND = 0x000080;
const RED = 0xff0000;
const GREEN = 0x00ff00;

function solid(width: number, height: number, colour: number): Surface {
  const s = new Surface(width, height);
  s.fillRect(s.bounds, colour);
  return s;
}

/** A 1×1 cursor far away, so that it stays out of the way unless a test moves it. */
function compositor(width = 40, height = 30): Compositor {
  const c = new Compositor(width, height, BACKGROUND, {
    image: solid(1, 1, 0xffffff),
    hotX: 0,
    hotY: 0,
  });
  c.moveCursor(width - 1, height - 1);
  return c;
}

describe('compositor', () => {
  it('paints the background, then the layers bottom to top', () => {
    const c = compositor();
    const layers: Layer[] = [
      { surface: solid(10, 10, RED), x: 0, y: 0 },
      { surface: solid(10, 10, GREEN), x: 5, y: 5 },
    ];
    c.compose([c.screen], layers);
    const b = c.backBuffer;
    expect([b.getPixel(2, 2), b.getPixel(7, 7), b.getPixel(12, 12), b.getPixel(20, 20)]).toEqual([
      RED,
      GREEN,
      GREEN,
      BACKGROUND,
    ]);
  });

  it('repaints only the damaged rectangles: a pixel outside the damage is not touched', () => {
    const c = compositor();
    const window = solid(20, 20, RED);
    const layers = [{ surface: window, x: 0, y: 0 }];
    c.compose([c.screen], layers);
    window.fillRect(window.bounds, GREEN); // changed everywhere, but only this is damaged:
    const updated = c.compose([rect(2, 3, 4, 5)], layers);
    expect(updated).toEqual([rect(2, 3, 4, 5)]);
    const b = c.backBuffer;
    expect(b.getPixel(2, 3)).toBe(GREEN);
    expect(b.getPixel(5, 7)).toBe(GREEN);
    expect(b.getPixel(6, 7)).toBe(RED); // just right of the damage
    expect(b.getPixel(5, 8)).toBe(RED); // just below it
    expect(b.getPixel(1, 3)).toBe(RED);
  });

  it('clips damage to the screen and drops damage entirely off screen', () => {
    const c = compositor();
    expect(c.compose([rect(-5, -5, 10, 10), rect(100, 100, 5, 5)], [])).toEqual([rect(0, 0, 5, 5)]);
  });

  it('draws the cursor on top, its transparent pixels showing what is below', () => {
    const c = new Compositor(20, 20, BACKGROUND, {
      image: surfaceFromArt(['#.', '# ']),
      hotX: 0,
      hotY: 0,
    });
    const layers = [{ surface: solid(20, 20, RED), x: 0, y: 0 }];
    c.moveCursor(4, 6);
    c.compose([c.screen], layers);
    const b = c.backBuffer;
    expect([b.getPixel(4, 6), b.getPixel(5, 6), b.getPixel(4, 7), b.getPixel(5, 7)]).toEqual([
      0x000000,
      0xffffff,
      0x000000,
      RED,
    ]);
  });

  it('damages where the cursor was and where it is when it moves, nothing if it stays', () => {
    const c = new Compositor(100, 100, BACKGROUND, arrowCursor());
    const { width, height } = c.cursorRect();
    expect(c.moveCursor(10, 20)).toEqual([rect(0, 0, width, height), rect(10, 20, width, height)]);
    expect(c.moveCursor(10, 20)).toEqual([]);
  });

  it('presents exactly the rectangles it is given, from the back buffer', () => {
    const c = compositor();
    const copied: Rect[] = [];
    const target: FramebufferTarget = {
      writeRect: (source, area) => {
        expect(source).toBe(c.backBuffer);
        copied.push(area);
      },
    };
    c.present([rect(1, 2, 3, 4), rect(10, 10, 1, 1)], target);
    expect(copied).toEqual([rect(1, 2, 3, 4), rect(10, 10, 1, 1)]);
  });
});
