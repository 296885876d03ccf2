/**
 * A window: its geometry, its pixels and how its frame is drawn.
 *
 * CottonOS draws windows in the macOS manner: a title bar with three circular
 * buttons on the left (red closes, yellow minimises, green maximises), the
 * title centred, a one-pixel border, and a grip in the bottom-right corner to
 * resize by. Everything the window manager decides (z-order, focus, dragging)
 * lives in window-manager.ts; this file only knows the layout of one window,
 * answers "which part of the window is at this pixel" and paints itself into
 * its own surface, which the compositor then stacks with the others.
 *
 * The layout is given in frame coordinates, with (0, 0) at the window's
 * top-left corner, so that it does not change when the window moves:
 *
 *   +------------------------------------------+  ─┐
 *   | (o) (o) (o)         Title                 |   │ TITLE_BAR_HEIGHT
 *   +------------------------------------------+  ─┘
 *   |                                          |
 *   |   client area: the app's surface         |
 *   |                                      //  |  ← resize grip
 *   +------------------------------------------+
 */
import type { App } from './app';
import type { Layer } from './compositor';
import type { Psf2Font } from './psf2-font';
import { containsPoint, rect, type Rect } from './rect';
import { Surface, textWidth, type Color } from './surface';

export const TITLE_BAR_HEIGHT = 24;
export const BORDER_WIDTH = 1;
export const BUTTON_RADIUS = 6;
/** Button centres: the first 14 px from the left edge, then every 20 px; halfway down the bar. */
const BUTTON_FIRST_X = 14;
const BUTTON_SPACING = 20;
/** A click this close to a button's edge still counts (the discs are small). */
const BUTTON_HIT_SLACK = 1;
export const RESIZE_GRIP_SIZE = 12;
export const MIN_WINDOW_WIDTH = 120;
export const MIN_WINDOW_HEIGHT = TITLE_BAR_HEIGHT + 40;
const TITLE_TEXT_MARGIN = 8;

export type WindowButton = 'close' | 'minimise' | 'maximise';
export type WindowPart = WindowButton | 'title' | 'resize' | 'client' | 'border';

const BUTTONS: readonly WindowButton[] = ['close', 'minimise', 'maximise'];

const BUTTON_COLOURS: Readonly<Record<WindowButton, Color>> = {
  close: 0xff5f57,
  minimise: 0xfebc2e,
  maximise: 0x28c840,
};
const BUTTON_INACTIVE_COLOUR: Color = 0xc8c8c8;
const TITLE_BAR_ACTIVE: Color = 0xe8e8e8;
const TITLE_BAR_INACTIVE: Color = 0xf6f6f6;
const TITLE_TEXT_ACTIVE: Color = 0x202020;
const TITLE_TEXT_INACTIVE: Color = 0x9a9a9a;
const BORDER_COLOUR: Color = 0x7a7a7a;
const GRIP_COLOUR: Color = 0x9a9a9a;

// ---- layout, in frame coordinates ----

export function titleBarArea(width: number): Rect {
  return rect(0, 0, width, TITLE_BAR_HEIGHT);
}

export function clientArea(width: number, height: number): Rect {
  return rect(
    BORDER_WIDTH,
    TITLE_BAR_HEIGHT,
    width - 2 * BORDER_WIDTH,
    height - TITLE_BAR_HEIGHT - BORDER_WIDTH,
  );
}

export function buttonCentre(button: WindowButton): { x: number; y: number } {
  return { x: BUTTON_FIRST_X + BUTTONS.indexOf(button) * BUTTON_SPACING, y: TITLE_BAR_HEIGHT / 2 };
}

export function resizeGripArea(width: number, height: number): Rect {
  return rect(
    width - RESIZE_GRIP_SIZE,
    height - RESIZE_GRIP_SIZE,
    RESIZE_GRIP_SIZE,
    RESIZE_GRIP_SIZE,
  );
}

/** Which part of a window of this size is at (x, y), in frame coordinates; null if outside. */
export function partAt(width: number, height: number, x: number, y: number): WindowPart | null {
  if (!containsPoint(rect(0, 0, width, height), x, y)) return null;
  const reach = BUTTON_RADIUS + BUTTON_HIT_SLACK;
  for (const button of BUTTONS) {
    const centre = buttonCentre(button);
    if ((x - centre.x) ** 2 + (y - centre.y) ** 2 <= reach * reach) return button;
  }
  if (containsPoint(titleBarArea(width), x, y)) return 'title';
  if (containsPoint(resizeGripArea(width, height), x, y)) return 'resize';
  if (containsPoint(clientArea(width, height), x, y)) return 'client';
  return 'border';
}

// ---- the window ----

export class Window implements Layer {
  /** Where the window is on screen (its outer edge). */
  frame: Rect;
  /** The whole window's pixels: what the compositor stacks. */
  surface: Surface;
  /** The client area's pixels: what the app draws into. */
  private client: Surface;
  /** Drawn with the focus colours. */
  active = false;
  minimised = false;
  /** While maximised, the frame to go back to. */
  restoreFrame: Rect | null = null;

  constructor(
    readonly id: number,
    readonly app: App,
    frame: Rect,
    private readonly font: Psf2Font,
  ) {
    this.frame = frame;
    this.surface = new Surface(frame.width, frame.height);
    this.client = this.newClientSurface();
    this.paint();
  }

  get x(): number {
    return this.frame.x;
  }
  get y(): number {
    return this.frame.y;
  }
  get maximised(): boolean {
    return this.restoreFrame !== null;
  }

  /** The client area on screen. */
  get clientRect(): Rect {
    const local = clientArea(this.frame.width, this.frame.height);
    return rect(this.frame.x + local.x, this.frame.y + local.y, local.width, local.height);
  }

  /** The title bar on screen. */
  get titleBarRect(): Rect {
    return rect(this.frame.x, this.frame.y, this.frame.width, TITLE_BAR_HEIGHT);
  }

  /** Which part of this window is at screen position (x, y); null if outside. */
  partAt(x: number, y: number): WindowPart | null {
    return partAt(this.frame.width, this.frame.height, x - this.frame.x, y - this.frame.y);
  }

  /** Move and/or resize; a new size means new surfaces and a full repaint. */
  setFrame(frame: Rect): void {
    const resized = frame.width !== this.frame.width || frame.height !== this.frame.height;
    this.frame = frame;
    if (!resized) return;
    this.surface = new Surface(frame.width, frame.height);
    this.client = this.newClientSurface();
    this.paint();
  }

  private newClientSurface(): Surface {
    const area = clientArea(this.frame.width, this.frame.height);
    return new Surface(area.width, area.height);
  }

  paint(): void {
    this.surface.strokeRect(this.surface.bounds, BORDER_COLOUR);
    this.paintTitleBar();
    this.paintClient();
  }

  /** The title bar: background, buttons (grey when inactive), the title centred after them. */
  paintTitleBar(): void {
    const s = this.surface;
    const bar = titleBarArea(this.frame.width);
    s.fillRect(bar, this.active ? TITLE_BAR_ACTIVE : TITLE_BAR_INACTIVE);
    s.strokeRect(bar, BORDER_COLOUR);
    for (const button of BUTTONS) {
      const { x, y } = buttonCentre(button);
      s.fillCircle(
        x,
        y,
        BUTTON_RADIUS,
        this.active ? BUTTON_COLOURS[button] : BUTTON_INACTIVE_COLOUR,
      );
    }
    const textLeft = buttonCentre('maximise').x + BUTTON_RADIUS + TITLE_TEXT_MARGIN;
    const textArea = rect(
      textLeft,
      0,
      this.frame.width - TITLE_TEXT_MARGIN - textLeft,
      TITLE_BAR_HEIGHT,
    );
    const title = this.app.title;
    const centred = Math.floor((this.frame.width - textWidth(this.font, title)) / 2);
    s.setClip(textArea);
    s.drawText(
      this.font,
      Math.max(textArea.x, centred),
      Math.floor((TITLE_BAR_HEIGHT - this.font.height) / 2),
      title,
      this.active ? TITLE_TEXT_ACTIVE : TITLE_TEXT_INACTIVE,
    );
    s.setClip(null);
  }

  /** Let the app draw, then copy its picture into the window and draw the resize grip over it. */
  paintClient(): void {
    this.app.draw(this.client);
    const area = clientArea(this.frame.width, this.frame.height);
    this.surface.blit(this.client, this.client.bounds, area.x, area.y);
    const corner = {
      x: this.frame.width - BORDER_WIDTH - 1,
      y: this.frame.height - BORDER_WIDTH - 1,
    };
    for (const offset of [3, 6, 9]) {
      this.surface.drawLine(corner.x - offset, corner.y, corner.x, corner.y - offset, GRIP_COLOUR);
    }
  }
}
