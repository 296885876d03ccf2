/**
 * The window manager: which windows exist, in which order they are stacked,
 * which one has the keyboard, and what mouse clicks and drags do to them.
 *
 * Models the policy half of a desktop (what X11 leaves to a separate window
 * manager process, and CottonOS keeps in the kernel): the compositor paints,
 * the window manager decides. Its rules are the familiar ones:
 *   - Windows are kept in z-order, bottom first. Clicking a window raises it
 *     and gives it the focus; key events go to the focused window only.
 *   - Hit testing walks the stack from the top, so the topmost window under
 *     the pointer gets the click; the taskbar is above all windows.
 *   - Dragging the title bar moves a window, dragging the bottom-right grip
 *     resizes it; the red, yellow and green buttons close, minimise and
 *     maximise it (a second maximise restores it).
 *   - Mouse events over a client area go to that window's app. A press there
 *     captures the mouse: moves and the release go to the same window until
 *     every button is up, even if the pointer leaves it.
 *   - The taskbar shows one entry per window; clicking one restores a
 *     minimised window and raises it. The launcher button calls `onLauncher`.
 *
 * Every change adds exactly the screen area it affected to the damage list:
 * a move damages the old and the new frame, a focus change the two title
 * bars, a key press the focused window's client area. The desktop loop hands
 * that damage to the compositor and the compositor repaints only those pixels.
 */
import type { KeyEvent } from '../drivers/ps2-keyboard';
import { MOUSE_BUTTON_LEFT, type MousePacket } from '../drivers/ps2-mouse';
import type { App, AppMouseEvent } from './app';
import type { Layer } from './compositor';
import type { Psf2Font } from './psf2-font';
import { DamageList, rect, type Rect } from './rect';
import { TASKBAR_HEIGHT, Taskbar, type TaskbarPart } from './taskbar';
import {
  MIN_WINDOW_HEIGHT,
  MIN_WINDOW_WIDTH,
  TITLE_BAR_HEIGHT,
  Window,
  type WindowPart,
} from './window';

const DEFAULT_WINDOW_WIDTH = 480;
const DEFAULT_WINDOW_HEIGHT = 320;
/** New windows without a position open in a cascade: each this far right and down of the last. */
const CASCADE_STEP = 28;
const CASCADE_ORIGIN = { x: 48, y: 32 };
const CASCADE_LENGTH = 8;
/** How much of a window's title bar must stay on screen, so that it can always be dragged back. */
const KEEP_VISIBLE = 48;

export type Hit =
  | { readonly kind: 'window'; readonly window: Window; readonly part: WindowPart }
  | { readonly kind: 'taskbar'; readonly part: TaskbarPart };

/** What the held mouse button is doing: moving or resizing a window, or captured by a client. */
type Grab =
  | {
      readonly kind: 'move';
      readonly window: Window;
      readonly offsetX: number;
      readonly offsetY: number;
    }
  | {
      readonly kind: 'resize';
      readonly window: Window;
      readonly start: Rect;
      readonly fromX: number;
      readonly fromY: number;
    }
  | { readonly kind: 'client'; readonly window: Window };

export class WindowManager {
  /** Bottom first: the last window is on top. */
  private readonly stack: Window[] = [];
  private focusedWindow: Window | null = null;
  private readonly taskbar: Taskbar;
  private readonly damage = new DamageList();
  private grab: Grab | null = null;
  private pointerX = 0;
  private pointerY = 0;
  private buttons = 0;
  private nextId = 1;
  private opened = 0;
  /** Called when the taskbar's launcher button is clicked. */
  onLauncher: (() => void) | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly font: Psf2Font,
  ) {
    this.taskbar = new Taskbar(width, height, font);
    this.damage.add(rect(0, 0, width, height)); // the first frame paints everything
  }

  /** The screen above the taskbar, where windows live (and what maximise fills). */
  get desktopArea(): Rect {
    return rect(0, 0, this.width, this.height - TASKBAR_HEIGHT);
  }

  get windows(): readonly Window[] {
    return this.stack;
  }

  get focused(): Window | null {
    return this.focusedWindow;
  }

  get pointer(): { x: number; y: number } {
    return { x: this.pointerX, y: this.pointerY };
  }

  /** The surfaces to compose, bottom first: visible windows, then the taskbar. */
  layers(): Layer[] {
    return [...this.stack.filter((w) => !w.minimised), this.taskbar];
  }

  /** Everything damaged since the last call; the list is empty afterwards. */
  takeDamage(): Rect[] {
    return this.damage.take();
  }

  // ---- windows ----

  /** Open a window for `app` (cascaded if no frame is given), on top and focused. */
  open(app: App, frame?: Rect): Window {
    const { x, y, width, height } = frame ?? this.cascadeFrame();
    const placed = rect(
      x,
      y,
      Math.max(width, MIN_WINDOW_WIDTH),
      Math.max(height, MIN_WINDOW_HEIGHT),
    );
    const window = new Window(this.nextId++, app, placed, this.font);
    this.stack.push(window);
    this.damage.add(window.frame);
    this.focus(window); // also adds its taskbar entry
    return window;
  }

  private cascadeFrame(): Rect {
    const step = (this.opened++ % CASCADE_LENGTH) * CASCADE_STEP;
    const area = this.desktopArea;
    const width = Math.min(DEFAULT_WINDOW_WIDTH, area.width);
    const height = Math.min(DEFAULT_WINDOW_HEIGHT, area.height);
    return rect(CASCADE_ORIGIN.x + step, CASCADE_ORIGIN.y + step, width, height);
  }

  close(window: Window): void {
    const index = this.stack.indexOf(window);
    if (index < 0) return;
    this.stack.splice(index, 1);
    if (this.grab?.window === window) this.grab = null;
    if (!window.minimised) this.damage.add(window.frame);
    if (this.focusedWindow === window) this.focusTopmost();
    this.updateTaskbar();
    window.app.onClose?.();
  }

  minimise(window: Window): void {
    if (window.minimised) return;
    window.minimised = true;
    if (this.grab?.window === window) this.grab = null;
    this.damage.add(window.frame);
    if (this.focusedWindow === window) this.focusTopmost();
    this.updateTaskbar();
  }

  /** Show a minimised window again, on top and focused. */
  restore(window: Window): void {
    if (!window.minimised) return;
    window.minimised = false;
    this.damage.add(window.frame);
    this.raise(window);
    this.focus(window); // a minimised window never has the focus, so this updates the taskbar
  }

  /** Maximise to the whole desktop area, or, if maximised, go back to the frame it had. */
  toggleMaximise(window: Window): void {
    if (window.restoreFrame) {
      const previous = window.restoreFrame;
      window.restoreFrame = null;
      this.setFrame(window, previous);
    } else {
      const previous = window.frame;
      this.setFrame(window, this.desktopArea);
      window.restoreFrame = previous;
    }
  }

  // #region exercise:clamp-drag
  /** Move a window's top-left corner, keeping part of its title bar on the desktop. */
  moveTo(window: Window, x: number, y: number): void {
    const { width, height } = window.frame;
    const area = this.desktopArea;
    const clampedX = clamp(x, KEEP_VISIBLE - width, area.width - KEEP_VISIBLE);
    const clampedY = clamp(y, 0, area.height - TITLE_BAR_HEIGHT);
    this.setFrame(window, rect(clampedX, clampedY, width, height));
  }
  // #endregion exercise:clamp-drag

  /** Resize a window, no smaller than the minimum size. */
  resizeTo(window: Window, width: number, height: number): void {
    const { x, y } = window.frame;
    this.setFrame(
      window,
      rect(x, y, Math.max(width, MIN_WINDOW_WIDTH), Math.max(height, MIN_WINDOW_HEIGHT)),
    );
  }

  /**
   * Any change of frame: damage where the window was and where it is now.
   * A maximised window moved or resized by hand is no longer maximised.
   */
  private setFrame(window: Window, frame: Rect): void {
    const before = window.frame;
    if (
      frame.x === before.x &&
      frame.y === before.y &&
      frame.width === before.width &&
      frame.height === before.height
    )
      return;
    window.restoreFrame = null;
    window.setFrame(frame);
    if (window.minimised) return;
    this.damage.add(before);
    this.damage.add(frame);
  }

  /** Put a window on top of the stack; its whole frame is damaged, as parts of it were covered. */
  raise(window: Window): void {
    const index = this.stack.indexOf(window);
    if (index < 0 || index === this.stack.length - 1) return;
    this.stack.splice(index, 1);
    this.stack.push(window);
    if (!window.minimised) this.damage.add(window.frame);
  }

  /** Give the keyboard to `window` (or nobody): the two title bars and the taskbar change. */
  focus(window: Window | null): void {
    const previous = this.focusedWindow;
    if (previous === window) return;
    this.focusedWindow = window;
    for (const changed of [previous, window]) {
      if (!changed || !this.stack.includes(changed)) continue; // null, or just closed
      changed.active = changed === window;
      changed.paintTitleBar();
      if (!changed.minimised) this.damage.add(changed.titleBarRect);
    }
    this.updateTaskbar();
  }

  private focusTopmost(): void {
    const visible = this.stack.filter((w) => !w.minimised);
    this.focus(visible[visible.length - 1] ?? null);
  }

  /** Repaint a whole window, e.g. after its app changed its title or content by itself. */
  redraw(window: Window): void {
    window.paint();
    if (!window.minimised) this.damage.add(window.frame);
    this.updateTaskbar();
  }

  /** Repaint a window's client area, after its app's picture changed by itself (output, a clock). */
  redrawClient(window: Window): void {
    window.paintClient();
    if (!window.minimised) this.damage.add(window.clientRect);
  }

  /** Windows in the order they were opened: the taskbar's order (z-order changes at each click). */
  private get openingOrder(): Window[] {
    return [...this.stack].sort((a, b) => a.id - b.id);
  }

  private updateTaskbar(): void {
    const entries = this.openingOrder.map((w) => ({
      title: w.app.title,
      active: w === this.focusedWindow,
      minimised: w.minimised,
    }));
    this.damage.add(this.taskbar.setEntries(entries));
  }

  /** The taskbar clock's text (the caller formats the time it read from the RTC). */
  setClock(text: string): void {
    const changed = this.taskbar.setClock(text);
    if (changed) this.damage.add(changed);
  }

  // ---- hit testing ----

  // #region exercise:hit-test
  /** What is at screen position (x, y): the taskbar, else the topmost visible window there. */
  hitTest(x: number, y: number): Hit | null {
    const onTaskbar = this.taskbar.partAt(x, y);
    if (onTaskbar) return { kind: 'taskbar', part: onTaskbar };
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const window = this.stack[i]!;
      if (window.minimised) continue;
      const part = window.partAt(x, y);
      if (part) return { kind: 'window', window, part };
    }
    return null;
  }
  // #endregion exercise:hit-test

  // ---- input ----

  /** A key event: to the focused window's app. */
  handleKey(event: KeyEvent): void {
    const window = this.focusedWindow;
    if (window && window.app.onKey(event)) this.redrawClient(window);
  }

  /** A packet from the mouse driver: relative movement, the buttons held now. */
  handleMouse(packet: MousePacket): void {
    this.pointerTo(this.pointerX + packet.dx, this.pointerY + packet.dy, packet.buttons);
  }

  /** The pointer is at (x, y), kept on screen, with these buttons held. */
  pointerTo(x: number, y: number, buttons: number): void {
    const previousButtons = this.buttons;
    const nextX = clamp(x, 0, this.width - 1);
    const nextY = clamp(y, 0, this.height - 1);
    const moved = nextX !== this.pointerX || nextY !== this.pointerY;
    this.pointerX = nextX;
    this.pointerY = nextY;
    this.buttons = buttons;
    if (moved) this.pointerMoved();
    if (buttons & ~previousButtons) this.buttonPressed(buttons & ~previousButtons);
    if (previousButtons & ~buttons) this.buttonReleased();
  }

  private pointerMoved(): void {
    const grab = this.grab;
    const { x, y } = this.pointer;
    if (grab?.kind === 'move') return this.moveTo(grab.window, x - grab.offsetX, y - grab.offsetY);
    if (grab?.kind === 'resize') {
      return this.resizeTo(
        grab.window,
        grab.start.width + x - grab.fromX,
        grab.start.height + y - grab.fromY,
      );
    }
    if (grab?.kind === 'client') return this.sendMouse(grab.window, 'move');
    const hit = this.hitTest(x, y);
    if (hit?.kind === 'window' && hit.part === 'client') this.sendMouse(hit.window, 'move');
  }

  private buttonPressed(newButtons: number): void {
    if (this.grab?.kind === 'client') return this.sendMouse(this.grab.window, 'down');
    if (this.grab) return; // another button during a move or resize: ignored
    const hit = this.hitTest(this.pointerX, this.pointerY);
    if (hit?.kind === 'window' && hit.part === 'client') {
      this.activate(hit.window);
      this.grab = { kind: 'client', window: hit.window };
      return this.sendMouse(hit.window, 'down');
    }
    if (!(newButtons & MOUSE_BUTTON_LEFT)) return; // frames and the taskbar answer the left button
    if (!hit) return this.focus(null);
    if (hit.kind === 'taskbar') return this.clickTaskbar(hit.part);
    this.pressOnFrame(hit.window, hit.part);
  }

  private pressOnFrame(window: Window, part: WindowPart): void {
    const { x, y } = this.pointer;
    switch (part) {
      case 'close':
        return this.close(window);
      case 'minimise':
        return this.minimise(window);
      case 'maximise':
        this.activate(window);
        return this.toggleMaximise(window);
      case 'title':
        this.activate(window);
        this.grab = {
          kind: 'move',
          window,
          offsetX: x - window.frame.x,
          offsetY: y - window.frame.y,
        };
        return;
      case 'resize':
        this.activate(window);
        this.grab = { kind: 'resize', window, start: window.frame, fromX: x, fromY: y };
        return;
      default:
        return this.activate(window);
    }
  }

  private clickTaskbar(part: TaskbarPart): void {
    if (part.kind === 'launcher') this.onLauncher?.();
    if (part.kind !== 'entry') return;
    const window = this.openingOrder[part.index];
    if (!window) return;
    if (window.minimised) this.restore(window);
    else this.activate(window);
  }

  private buttonReleased(): void {
    const grab = this.grab;
    if (grab?.kind === 'client') {
      this.sendMouse(grab.window, 'up');
      if (this.buttons === 0) this.grab = null;
    } else if (grab && !(this.buttons & MOUSE_BUTTON_LEFT)) {
      this.grab = null;
    }
  }

  /** Raise and focus: what a click on a window does. */
  private activate(window: Window): void {
    this.raise(window);
    this.focus(window);
  }

  private sendMouse(window: Window, kind: AppMouseEvent['kind']): void {
    const client = window.clientRect;
    const event = {
      kind,
      x: this.pointerX - client.x,
      y: this.pointerY - client.y,
      buttons: this.buttons,
    };
    if (window.app.onMouse(event)) this.redrawClient(window);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
