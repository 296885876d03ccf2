/**
 * The desktop as plain data: the window stack as the window manager keeps
 * it, and the rectangles the last frames copied to the screen.
 *
 * The serial console's `windows` and `damage` commands print these
 * snapshots (desktop-inspect-commands.ts), and the GUI chapter's figures
 * draw them, so the text and the picture come from one reading of the
 * kernel and cannot disagree. A snapshot holds only numbers, strings and
 * booleans: it is copied to the book's page as it is. Taking one changes
 * nothing on the desktop.
 */
import type { DesktopSession } from './desktop-session';
import { currentDesktop } from './desktop-thread';
import type { Rect } from './rect';
import { TASKBAR_HEIGHT } from './taskbar';

/** One window of the stack, as `windows` prints it. */
export interface WindowInfo {
  readonly id: number;
  readonly title: string;
  readonly frame: Rect;
  /** It has the keyboard: key events go to it. */
  readonly focused: boolean;
  /** Hidden in the taskbar: not drawn, never hit. */
  readonly minimised: boolean;
}

/** What the pointer is over, by the window manager's own hit test. */
export type PointerTarget =
  | { readonly kind: 'window'; readonly id: number; readonly part: string }
  | { readonly kind: 'taskbar'; readonly part: string }
  | { readonly kind: 'desktop' };

export interface WindowStackSnapshot {
  readonly screen: { readonly width: number; readonly height: number };
  /** The taskbar: drawn last, so hit before every window. */
  readonly taskbar: Rect;
  /** Top first: the order hit testing tries them in (after the taskbar). */
  readonly windows: readonly WindowInfo[];
  readonly pointer: { readonly x: number; readonly y: number; readonly over: PointerTarget };
  /** Frames drawn so far: the snapshot's moment. */
  readonly frame: number;
}

/** One frame that changed the screen: the rectangles copied, and their pixel count. */
export interface DamagedFrame {
  readonly number: number;
  readonly pixels: number;
  readonly rects: readonly Rect[];
}

export interface DamageSnapshot {
  readonly screen: { readonly width: number; readonly height: number };
  /** The last frames that changed the screen, oldest first. */
  readonly frames: readonly DamagedFrame[];
  /** Frames drawn so far. */
  readonly frameCount: number;
}

function plainRect({ x, y, width, height }: Rect): Rect {
  return { x, y, width, height };
}

function pointerTarget(session: DesktopSession, x: number, y: number): PointerTarget {
  const hit = session.windowManager.hitTest(x, y);
  if (!hit) return { kind: 'desktop' };
  if (hit.kind === 'taskbar') return { kind: 'taskbar', part: hit.part.kind };
  return { kind: 'window', id: hit.window.id, part: hit.part };
}

/** The window stack, top first, with the focus and what is under the pointer. */
export function windowStack(session: DesktopSession): WindowStackSnapshot {
  const manager = session.windowManager;
  const { x, y } = manager.pointer;
  return {
    screen: { width: session.width, height: session.height },
    taskbar: {
      x: 0,
      y: session.height - TASKBAR_HEIGHT,
      width: session.width,
      height: TASKBAR_HEIGHT,
    },
    windows: [...manager.windows].reverse().map((window) => ({
      id: window.id,
      title: window.app.title,
      frame: plainRect(window.frame),
      focused: window === manager.focused,
      minimised: window.minimised,
    })),
    pointer: { x, y, over: pointerTarget(session, x, y) },
    frame: session.frames,
  };
}

/** The damage of the last frames that changed the screen, oldest first. */
export function recentDamage(session: DesktopSession): DamageSnapshot {
  return {
    screen: { width: session.width, height: session.height },
    frames: session.recentFrames.map((frame) => ({
      number: frame.number,
      pixels: frame.rects.reduce((sum, r) => sum + r.width * r.height, 0),
      rects: frame.rects.map(plainRect),
    })),
    frameCount: session.frames,
  };
}

/** `read` of the running desktop, or null when none runs: the figures' views. */
export function ofCurrentDesktop<T>(read: (session: DesktopSession) => T): T | null {
  const session = currentDesktop();
  return session ? read(session) : null;
}
