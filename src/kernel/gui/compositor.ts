/**
 * The compositor: builds each frame of the screen from the windows' own
 * pixels, in a back buffer, and copies the changed parts to the framebuffer.
 *
 * Every window draws into a surface of its own, never onto the screen
 * directly. The compositor stacks those surfaces in z-order (the painter's
 * algorithm: the desktop background first, then each layer from the bottom
 * up, then the mouse cursor, so what is drawn last is on top) into a back
 * buffer the size of the screen. This is the double buffering CottonOS uses
 * against flicker: the framebuffer only ever receives finished pixels, never
 * a half-drawn frame.
 *
 * Repainting is limited to damage (see rect.ts): for each damaged rectangle
 * the back buffer's clip is set to it and the whole stack is drawn through
 * that clip, so pixels outside the damage are not touched at all. The same
 * rectangles are then the only ones copied to video memory, through the
 * FramebufferTarget interface (the VBE driver implements it), which keeps
 * the compositor free of any knowledge of the hardware.
 */
import type { CursorImage } from './cursor';
import { intersect, rect, type Rect } from './rect';
import { Surface, type Color } from './surface';

/** One surface in the stack, with its top-left corner at (x, y) on screen. */
export interface Layer {
  readonly surface: Surface;
  readonly x: number;
  readonly y: number;
}

/** Where finished pixels go: the screen. */
export interface FramebufferTarget {
  /** Copy `area` of `source` to the same place on screen. */
  writeRect(source: Surface, area: Rect): void;
}

export class Compositor {
  readonly backBuffer: Surface;
  private cursorX = 0;
  private cursorY = 0;

  constructor(
    width: number,
    height: number,
    private readonly background: Color,
    private readonly cursor: CursorImage,
  ) {
    this.backBuffer = new Surface(width, height);
  }

  get screen(): Rect {
    return this.backBuffer.bounds;
  }

  /** The screen rectangle the cursor image covers now. */
  cursorRect(): Rect {
    const { image, hotX, hotY } = this.cursor;
    return rect(this.cursorX - hotX, this.cursorY - hotY, image.width, image.height);
  }

  /** Put the pointer at (x, y); returns the damage: where the cursor was and where it is now. */
  moveCursor(x: number, y: number): Rect[] {
    if (x === this.cursorX && y === this.cursorY) return [];
    const before = this.cursorRect();
    this.cursorX = x;
    this.cursorY = y;
    return [before, this.cursorRect()];
  }

  /**
   * Repaint the damaged rectangles of the back buffer from `layers` (bottom
   * to top). Returns the damage clipped to the screen: the rectangles whose
   * pixels may now differ from the framebuffer's.
   */
  compose(damage: readonly Rect[], layers: readonly Layer[]): Rect[] {
    const repainted: Rect[] = [];
    for (const area of damage) {
      const onScreen = intersect(area, this.screen);
      if (!onScreen) continue;
      this.repaint(onScreen, layers);
      repainted.push(onScreen);
    }
    this.backBuffer.setClip(null);
    return repainted;
  }

  private repaint(area: Rect, layers: readonly Layer[]): void {
    const buffer = this.backBuffer;
    buffer.setClip(area);
    buffer.fillRect(area, this.background);
    for (const layer of layers) buffer.blit(layer.surface, layer.surface.bounds, layer.x, layer.y);
    const cursor = this.cursorRect();
    buffer.blitTransparent(this.cursor.image, this.cursor.image.bounds, cursor.x, cursor.y);
  }

  /** Copy the given rectangles of the back buffer to the screen. */
  present(rects: readonly Rect[], target: FramebufferTarget): void {
    for (const area of rects) target.writeRect(this.backBuffer, area);
  }
}
