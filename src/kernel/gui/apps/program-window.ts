/**
 * Program Window: a user program's window on the desktop.
 *
 * Models the compositor's side of a client window (a Wayland surface, an X11
 * window with MIT-SHM): the program draws in its own memory and presents the
 * rectangles it changed (syscall/window-calls.ts copies them out); this app
 * keeps the window's last picture, so the window manager can repaint it at
 * any time — when it is uncovered, moved or resized — without asking the
 * program, which may be busy or asleep. Input goes the other way: every key
 * and mouse event the window manager routes here is posted to the program's
 * event queue (syscall/window-file.ts), and the close button posts a close
 * event and leaves the window up until the program closes its descriptor or
 * exits, as a well-behaved client is asked, not killed.
 *
 * The window keeps the size the program asked for; if the user makes the
 * window larger, the rest of the client area shows a plain background, and
 * a smaller one shows the picture's top-left part.
 */
import type { KeyEvent } from '../../drivers/ps2-keyboard';
import {
  WINDOW_EVENT_CLOSE,
  WINDOW_EVENT_KEY,
  WINDOW_EVENT_MOUSE_DOWN,
  WINDOW_EVENT_MOUSE_MOVE,
  WINDOW_EVENT_MOUSE_UP,
  WINDOW_KEY_ALT,
  WINDOW_KEY_CTRL,
  WINDOW_KEY_PRESSED,
  WINDOW_KEY_SHIFT,
} from '../../syscall/syscall-table';
import type { DisplayWindow, SurfaceArea, WindowEventSink } from '../../syscall/window-file';
import { windowEvent } from '../../syscall/window-structs';
import type { App, AppMouseEvent } from '../app';
import type { DesktopServices } from '../desktop-services';
import { Surface } from '../surface';

/** The client area outside the program's picture (a window made larger than the program asked). */
const OUTSIDE_COLOUR = 0xd0d0d0;

const MOUSE_EVENT_TYPES: Readonly<Record<AppMouseEvent['kind'], number>> = {
  move: WINDOW_EVENT_MOUSE_MOVE,
  down: WINDOW_EVENT_MOUSE_DOWN,
  up: WINDOW_EVENT_MOUSE_UP,
};

export class ProgramWindow implements App, DisplayWindow {
  readonly preferredSize: { readonly width: number; readonly height: number };
  /** The program's picture as last presented. */
  private readonly picture: Surface;
  /** The program closed its descriptor (or exited): nothing more goes to its queue. */
  private released = false;

  constructor(
    private readonly services: DesktopServices,
    readonly title: string,
    width: number,
    height: number,
    private readonly events: WindowEventSink,
  ) {
    this.preferredSize = { width, height };
    this.picture = new Surface(width, height);
  }

  draw(surface: Surface): void {
    surface.fillRect(surface.bounds, OUTSIDE_COLOUR);
    surface.blit(this.picture, this.picture.bounds, 0, 0);
  }

  onKey(event: KeyEvent): boolean {
    const flags =
      (event.pressed ? WINDOW_KEY_PRESSED : 0) |
      (event.shift ? WINDOW_KEY_SHIFT : 0) |
      (event.ctrl ? WINDOW_KEY_CTRL : 0) |
      (event.alt ? WINDOW_KEY_ALT : 0);
    const character = event.char?.codePointAt(0) ?? 0;
    this.events.post(windowEvent(WINDOW_EVENT_KEY, { character, keyFlags: flags }));
    return false;
  }

  onMouse(event: AppMouseEvent): boolean {
    const { x, y, buttons } = event;
    this.events.post(windowEvent(MOUSE_EVENT_TYPES[event.kind], { x, y, buttons }));
    return false;
  }

  /** The close button (or the program's own close, which posts nothing: it is gone). */
  onClose(): void {
    if (!this.released) this.events.post(windowEvent(WINDOW_EVENT_CLOSE));
  }

  // ---- the program's side (DisplayWindow) ----

  present(area: SurfaceArea, pixels: Uint32Array): void {
    for (let row = 0; row < area.height; row++) {
      const start = row * area.width;
      this.picture.pixels.set(
        pixels.subarray(start, start + area.width),
        (area.y + row) * this.picture.width + area.x,
      );
    }
    this.services.invalidate(this);
  }

  close(): void {
    this.released = true;
    this.services.close(this);
  }
}
