/**
 * The Cotton PC's display in a chapter page: a <canvas> the size of the
 * framebuffer mode, scaled by CSS to the widget's width (machine.css).
 *
 * `draw()` copies only the changed rectangles the worker reported
 * (putImageData) and resizes the canvas when the kernel sets another mode,
 * then hands their buffer back (`drawn`), for the worker to fill again.
 * Scaled up, pixels stay square (`data-scale="up"`: image-rendering:
 * pixelated); scaled down, the browser's smoothing keeps text legible.
 *
 * A click gives the canvas the keyboard: keys go to the machine's PS/2
 * keyboard as KeyboardEvent.code, except Escape, which the page keeps: it
 * leaves the screen (and a pointer lock), so the reader is never trapped.
 *
 * The pointer is absolute by default: wherever it is over the canvas is where
 * the machine's pointer goes. The page sends positions in framebuffer pixels
 * and the host turns them into the relative packets a PS/2 mouse reports (as
 * gui-input.ts does for the CLI). A press captures the pointer, so a drag goes
 * on outside the canvas. `lockPointer()` (the toolbar's button) switches to
 * pointer lock for games and long drags: then movement moves the position
 * this view keeps, within the screen, as the desktop does with its own.
 */
import type { FramebufferUpdate } from '../../emu/bochs-vbe';

export interface ScreenInput {
  key(code: string, pressed: boolean): void;
  /** The pointer is at (x, y) in framebuffer pixels with these buttons: 1 left, 2 right, 4 middle. */
  pointer(x: number, y: number, buttons: number): void;
  /** An update's pixels are on the canvas: `buffer`, which held them, may carry a later update. */
  drawn(buffer: ArrayBuffer): void;
}

/** PointerEvent.buttons has the PS/2 mouse's bits already: left 1, right 2, middle 4. */
const MOUSE_BUTTONS = 0b111;

export class ScreenView {
  private readonly context: CanvasRenderingContext2D;
  /** Where this view has put the machine's pointer, and the buttons it holds. */
  private x = 0;
  private y = 0;
  private buttons = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly input: ScreenInput,
  ) {
    this.context = canvas.getContext('2d')!;
    canvas.tabIndex = 0;
    canvas.addEventListener('keydown', (event) => this.onKey(event, true));
    canvas.addEventListener('keyup', (event) => this.onKey(event, false));
    canvas.addEventListener('pointermove', (event) => this.onPointer(event));
    canvas.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    canvas.addEventListener('pointerup', (event) => this.onPointer(event));
    canvas.addEventListener('contextmenu', (event) => event.preventDefault());
    new ResizeObserver(() => this.updateScale()).observe(canvas);
  }

  get pointerLocked(): boolean {
    return document.pointerLockElement === this.canvas;
  }

  draw(update: FramebufferUpdate): void {
    if (this.canvas.width !== update.width || this.canvas.height !== update.height) {
      this.canvas.width = update.width;
      this.canvas.height = update.height;
      this.updateScale();
    }
    for (const { x, y, width, height, rgba } of update.patches) {
      this.context.putImageData(
        new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height),
        x,
        y,
      );
    }
    const buffers = new Set(update.patches.map((patch) => patch.rgba.buffer as ArrayBuffer));
    for (const buffer of buffers) this.input.drawn(buffer);
  }

  /** Pointer lock: relative movement without bounds, until Escape. */
  lockPointer(): void {
    this.canvas.focus();
    void this.canvas.requestPointerLock()?.catch(() => {});
  }

  private updateScale(): void {
    const shown = this.canvas.clientWidth;
    this.canvas.dataset.scale = shown > this.canvas.width ? 'up' : 'down';
  }

  private onKey(event: KeyboardEvent, pressed: boolean): void {
    if (event.code === 'Escape') {
      if (pressed) this.canvas.blur(); // the browser ends a pointer lock by itself
      return;
    }
    event.preventDefault();
    this.input.key(event.code, pressed);
  }

  private onPointerDown(event: PointerEvent): void {
    // Without preventScroll, focusing a canvas the page shows only in part scrolls it into
    // view under the pressed pointer, and the drag that follows jumps by that much.
    this.canvas.focus({ preventScroll: true });
    if (!this.pointerLocked) this.canvas.setPointerCapture(event.pointerId);
    this.onPointer(event);
  }

  private onPointer(event: PointerEvent): void {
    const [x, y] = this.pointerLocked ? this.movedBy(event) : this.positionOf(event);
    const buttons = event.buttons & MOUSE_BUTTONS;
    if (x === this.x && y === this.y && buttons === this.buttons) return;
    this.x = x;
    this.y = y;
    this.buttons = buttons;
    event.preventDefault();
    this.input.pointer(x, y, buttons);
  }

  /** The framebuffer pixel under the pointer (the canvas may be shown at another size), kept on screen. */
  private positionOf(event: PointerEvent): [number, number] {
    const box = this.canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) * this.canvas.width) / (box.width || 1);
    const y = ((event.clientY - box.top) * this.canvas.height) / (box.height || 1);
    return this.clamped(Math.floor(x), Math.floor(y));
  }

  /** Under pointer lock: the last position moved by the event's movement, in framebuffer pixels. */
  private movedBy(event: PointerEvent): [number, number] {
    const scale = this.canvas.width / (this.canvas.clientWidth || this.canvas.width);
    return this.clamped(
      this.x + Math.round(event.movementX * scale),
      this.y + Math.round(event.movementY * scale),
    );
  }

  private clamped(x: number, y: number): [number, number] {
    const { width, height } = this.canvas;
    return [Math.max(0, Math.min(width - 1, x)), Math.max(0, Math.min(height - 1, y))];
  }
}
