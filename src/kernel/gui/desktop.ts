/**
 * The desktop: one frame of the GUI, from input to pixels on screen.
 *
 * This is the whole pipeline in one place. Input events go to the window
 * manager, which changes windows and records damage; the pointer's new
 * position moves the cursor, which damages where it was and where it is;
 * `render` merges all that damage, has the compositor repaint those
 * rectangles of the back buffer from the window stack, and copies exactly
 * them to the framebuffer. Nothing is drawn when nothing changed.
 */
import type { KeyEvent } from '../drivers/ps2-keyboard';
import type { MousePacket } from '../drivers/ps2-mouse';
import { Compositor, type FramebufferTarget } from './compositor';
import { arrowCursor } from './cursor';
import type { Psf2Font } from './psf2-font';
import { DamageList, type Rect } from './rect';
import type { Color } from './surface';
import { WindowManager } from './window-manager';

export const DESKTOP_BACKGROUND: Color = 0x3a6ea5;

export class Desktop {
  readonly windowManager: WindowManager;
  readonly compositor: Compositor;

  constructor(
    width: number,
    height: number,
    font: Psf2Font,
    private readonly screen: FramebufferTarget,
  ) {
    this.windowManager = new WindowManager(width, height, font);
    this.compositor = new Compositor(width, height, DESKTOP_BACKGROUND, arrowCursor());
  }

  handleKey(event: KeyEvent): void {
    this.windowManager.handleKey(event);
  }

  handleMouse(packet: MousePacket): void {
    this.windowManager.handleMouse(packet);
  }

  /** Repaint and show what changed since the last call; returns the screen rectangles updated. */
  render(): Rect[] {
    const damage = new DamageList();
    damage.addAll(this.windowManager.takeDamage());
    const { x, y } = this.windowManager.pointer;
    damage.addAll(this.compositor.moveCursor(x, y));
    const updated = this.compositor.compose(damage.take(), this.windowManager.layers());
    this.compositor.present(updated, this.screen);
    return updated;
  }
}
