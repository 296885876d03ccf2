/**
 * The structure window_event() fills in, byte for byte, as
 * src/userland/libc/window.h declares it:
 *
 *   struct window_event {           offset
 *     uint32_t type;                 0   WINDOW_EVENT_KEY, _MOUSE_MOVE, _MOUSE_DOWN, _MOUSE_UP, _CLOSE
 *     int32_t  x;                    4   mouse events: the pointer, from the window's top-left pixel
 *     int32_t  y;                    8     (negative or past the edge while a held button drags outside)
 *     uint32_t buttons;             12   mouse events: the buttons held after it (1 left, 2 right, 4 middle)
 *     uint32_t character;           16   key events: the character typed (Unicode), 0 for keys that type none
 *     uint32_t key_flags;           20   key events: WINDOW_KEY_PRESSED, _SHIFT, _CTRL, _ALT
 *   };                              24 bytes, little-endian
 *
 * One flat structure for every kind, as X11's XEvent and SDL's SDL_Event are
 * unions of one size: a program reads events in a loop into one variable and
 * switches on the type. This file only translates; window-calls.ts copies the
 * bytes out to the program.
 */
import { WINDOW_EVENT_BYTES } from './syscall-table';

export interface WindowEvent {
  readonly type: number;
  readonly x: number;
  readonly y: number;
  readonly buttons: number;
  readonly character: number;
  readonly keyFlags: number;
}

/** An event with the fields its kind does not use left zero. */
export function windowEvent(type: number, fields: Partial<WindowEvent> = {}): WindowEvent {
  return { type, x: 0, y: 0, buttons: 0, character: 0, keyFlags: 0, ...fields };
}

export function emitWindowEvent(event: WindowEvent): Uint8Array {
  const bytes = new Uint8Array(WINDOW_EVENT_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, event.type, true);
  view.setInt32(4, event.x, true);
  view.setInt32(8, event.y, true);
  view.setUint32(12, event.buttons, true);
  view.setUint32(16, event.character, true);
  view.setUint32(20, event.keyFlags, true);
  return bytes;
}
