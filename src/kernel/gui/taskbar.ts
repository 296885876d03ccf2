/**
 * The taskbar: the strip along the bottom of the screen with a launcher
 * button, one entry per open window and a clock.
 *
 * It is a layer like a window (its own surface, stacked by the compositor),
 * always on top. It draws what the window manager tells it (the entries'
 * titles and states, the clock's text) and answers which of its parts is at a
 * pixel; what a click on a part does is the window manager's decision.
 *
 *   +--------+ +-------------+ +-------------+              +-------+
 *   |  Apps  | | Terminal    | | Text Editor |   ...        | 12:34 |
 *   +--------+ +-------------+ +-------------+              +-------+
 */
import type { Layer } from './compositor';
import type { Psf2Font } from './psf2-font';
import { containsPoint, rect, type Rect } from './rect';
import { Surface, textWidth, type Color } from './surface';

export const TASKBAR_HEIGHT = 28;
const PADDING = 4;
const LAUNCHER_WIDTH = 64;
const ENTRY_WIDTH = 140;
const CLOCK_WIDTH = 88;
const LAUNCHER_LABEL = 'Apps';

const BAR_COLOUR: Color = 0x2b2d31;
const LAUNCHER_COLOUR: Color = 0x3d7eff;
const ENTRY_COLOUR: Color = 0x43464d;
const ENTRY_ACTIVE_COLOUR: Color = 0x60646e;
const TEXT_COLOUR: Color = 0xf0f0f0;
const TEXT_MINIMISED_COLOUR: Color = 0x9a9ca3;
const BUTTON_CORNER_RADIUS = 4;

/** What the taskbar shows for one window. */
export interface TaskbarEntry {
  readonly title: string;
  readonly active: boolean;
  readonly minimised: boolean;
}

export type TaskbarPart =
  | { readonly kind: 'launcher' }
  | { readonly kind: 'entry'; readonly index: number }
  | { readonly kind: 'clock' }
  | { readonly kind: 'bar' };

export class Taskbar implements Layer {
  readonly surface: Surface;
  readonly x = 0;
  readonly y: number;
  private entries: readonly TaskbarEntry[] = [];
  private clock = '';

  constructor(
    screenWidth: number,
    screenHeight: number,
    private readonly font: Psf2Font,
  ) {
    this.surface = new Surface(screenWidth, TASKBAR_HEIGHT);
    this.y = screenHeight - TASKBAR_HEIGHT;
    this.paint();
  }

  /** The taskbar on screen. */
  get area(): Rect {
    return rect(this.x, this.y, this.surface.width, TASKBAR_HEIGHT);
  }

  /** Everything but the clock on screen: what changes when the entries do. */
  get entriesArea(): Rect {
    return rect(this.x, this.y, this.surface.width - CLOCK_WIDTH, TASKBAR_HEIGHT);
  }

  /** The clock on screen. */
  get clockArea(): Rect {
    return this.onScreen(this.clockBox());
  }

  /** How many entries fit between the launcher and the clock. */
  get capacity(): number {
    const room = this.surface.width - CLOCK_WIDTH - this.entryBox(0).x;
    return Math.max(0, Math.floor(room / (ENTRY_WIDTH + PADDING)));
  }

  // ---- layout, in taskbar coordinates ----

  private launcherBox(): Rect {
    return rect(PADDING, PADDING, LAUNCHER_WIDTH, TASKBAR_HEIGHT - 2 * PADDING);
  }

  private entryBox(index: number): Rect {
    const first = PADDING + LAUNCHER_WIDTH + 2 * PADDING;
    return rect(
      first + index * (ENTRY_WIDTH + PADDING),
      PADDING,
      ENTRY_WIDTH,
      TASKBAR_HEIGHT - 2 * PADDING,
    );
  }

  private clockBox(): Rect {
    return rect(this.surface.width - CLOCK_WIDTH, 0, CLOCK_WIDTH, TASKBAR_HEIGHT);
  }

  private onScreen(box: Rect): Rect {
    return rect(this.x + box.x, this.y + box.y, box.width, box.height);
  }

  /** Which part of the taskbar is at screen position (x, y); null if outside it. */
  partAt(x: number, y: number): TaskbarPart | null {
    if (!containsPoint(this.area, x, y)) return null;
    const local = { x: x - this.x, y: y - this.y };
    if (containsPoint(this.launcherBox(), local.x, local.y)) return { kind: 'launcher' };
    const shown = Math.min(this.entries.length, this.capacity);
    for (let index = 0; index < shown; index++) {
      if (containsPoint(this.entryBox(index), local.x, local.y)) return { kind: 'entry', index };
    }
    if (containsPoint(this.clockBox(), local.x, local.y)) return { kind: 'clock' };
    return { kind: 'bar' };
  }

  // ---- drawing ----

  /** Show these entries (as many as fit); returns the screen area that changed. */
  setEntries(entries: readonly TaskbarEntry[]): Rect {
    this.entries = entries;
    this.paint();
    return this.entriesArea;
  }

  /** Show this clock text; returns the screen area that changed (null: the text is the same). */
  setClock(text: string): Rect | null {
    if (text === this.clock) return null;
    this.clock = text;
    this.paintClock();
    return this.clockArea;
  }

  private paint(): void {
    const s = this.surface;
    s.fillRect(s.bounds, BAR_COLOUR);
    this.paintButton(this.launcherBox(), LAUNCHER_COLOUR, LAUNCHER_LABEL, TEXT_COLOUR);
    this.entries.slice(0, this.capacity).forEach((entry, index) => {
      const colour = entry.active ? ENTRY_ACTIVE_COLOUR : ENTRY_COLOUR;
      this.paintButton(
        this.entryBox(index),
        colour,
        entry.title,
        entry.minimised ? TEXT_MINIMISED_COLOUR : TEXT_COLOUR,
      );
    });
    this.paintClock();
  }

  private paintClock(): void {
    const box = this.clockBox();
    this.surface.fillRect(box, BAR_COLOUR);
    this.drawCentredText(box, this.clock, TEXT_COLOUR);
  }

  private paintButton(box: Rect, background: Color, label: string, textColour: Color): void {
    this.surface.fillRoundedRect(box, BUTTON_CORNER_RADIUS, background);
    this.drawCentredText(box, label, textColour);
  }

  /** Text centred in `box`, cut off at its edges (with a margin) if too long. */
  private drawCentredText(box: Rect, text: string, colour: Color): void {
    const s = this.surface;
    const inner = rect(box.x + PADDING, box.y, box.width - 2 * PADDING, box.height);
    const x = Math.max(inner.x, box.x + Math.floor((box.width - textWidth(this.font, text)) / 2));
    const y = box.y + Math.floor((box.height - this.font.height) / 2);
    s.setClip(inner);
    s.drawText(this.font, x, y, text, colour);
    s.setClip(null);
  }
}
