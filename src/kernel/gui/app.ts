/**
 * What the window manager needs from a program that lives in a window.
 *
 * CottonOS's desktop programs (Terminal, File Manager, Text Editor, System
 * Info) are kernel code, each an object with this shape. The window manager
 * owns the window: its frame, title bar, position and size. The app owns only
 * the pixels of the client area, the part of the window below the title bar,
 * and the input the window manager routes to it: key events while its window
 * has the focus, mouse events while the pointer is over its client area (or
 * while a button pressed there is still held: the window has "captured" the
 * mouse, so a drag that leaves the window still reaches it).
 *
 * Drawing is on demand, as in most window systems: the window manager calls
 * `draw` when the window is created or resized, and again after an event
 * whose handler says the picture changed. The surface is exactly the client
 * area's size, with (0, 0) at its top-left corner.
 */
import type { KeyEvent } from '../drivers/ps2-keyboard';
import type { Surface } from './surface';

export interface AppMouseEvent {
  /** 'down' / 'up': a button was pressed or released; 'move': the pointer moved. */
  readonly kind: 'down' | 'up' | 'move';
  /** The pointer, relative to the client area's top-left corner. */
  readonly x: number;
  readonly y: number;
  /** The buttons held after the event (MOUSE_BUTTON_LEFT | …, drivers/ps2-mouse.ts). */
  readonly buttons: number;
}

export interface App {
  /** Shown in the title bar and on the window's taskbar entry. */
  readonly title: string;
  /** The client area the app would like when its window opens (the window manager's default if absent). */
  readonly preferredSize?: { readonly width: number; readonly height: number };
  /** Paint the whole client area. */
  draw(surface: Surface): void;
  /** A key event for the focused window; returns true if the client area must be redrawn. */
  onKey(event: KeyEvent): boolean;
  /** A mouse event in client coordinates; returns true if the client area must be redrawn. */
  onMouse(event: AppMouseEvent): boolean;
  /** The clock moved on (a few times a second); returns true if the client area must be redrawn. */
  onTick?(): boolean;
  /** The window was closed: let go of what the app holds (a shell, a user program's window). */
  onClose?(): void;
}
