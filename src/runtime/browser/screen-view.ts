/**
 * The Cotton PC's display in a chapter page: a <canvas> the size of the
 * framebuffer mode, scaled by CSS to the widget's width (machine.css).
 *
 * `draw()` copies only the changed rectangles the worker reported
 * (putImageData) and resizes the canvas when the kernel sets another mode.
 * While focused, the canvas sends keys to the machine's PS/2 keyboard and
 * pointer movement and buttons to its PS/2 mouse; a click also asks for
 * pointer lock, so the mouse can move without bounds (Escape releases it).
 */
import type { FramebufferUpdate } from '../../emu/bochs-vbe';

export interface ScreenInput {
  key(code: string, pressed: boolean): void;
  /** Movement in screen pixels (y down) and the buttons held: 1 left, 2 right, 4 middle. */
  mouse(dx: number, dy: number, buttons: number): void;
}

/** PointerEvent.buttons has the PS/2 mouse's bits already: left 1, right 2, middle 4. */
const MOUSE_BUTTONS = 0b111;

export class ScreenView {
  private readonly context: CanvasRenderingContext2D;
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
  }

  draw(update: FramebufferUpdate): void {
    if (this.canvas.width !== update.width || this.canvas.height !== update.height) {
      this.canvas.width = update.width;
      this.canvas.height = update.height;
    }
    for (const { x, y, width, height, rgba } of update.patches) {
      this.context.putImageData(
        new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height),
        x,
        y,
      );
    }
  }

  private onKey(event: KeyboardEvent, pressed: boolean): void {
    event.preventDefault();
    this.input.key(event.code, pressed);
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.focus();
    if (document.pointerLockElement !== this.canvas)
      void this.canvas.requestPointerLock()?.catch(() => {});
    this.onPointer(event);
  }

  /** Movement in framebuffer pixels: the canvas may be shown smaller than its mode. */
  private onPointer(event: PointerEvent): void {
    const scale = this.canvas.width / (this.canvas.clientWidth || this.canvas.width);
    const buttons = event.buttons & MOUSE_BUTTONS;
    const dx = Math.round(event.movementX * scale);
    const dy = Math.round(event.movementY * scale);
    if (dx === 0 && dy === 0 && buttons === this.buttons) return;
    this.buttons = buttons;
    event.preventDefault();
    this.input.mouse(dx, dy, buttons);
  }
}
