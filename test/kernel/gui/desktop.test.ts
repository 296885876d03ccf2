import { describe, expect, it } from 'vitest';
import { VbeFramebuffer } from '../../../src/kernel/drivers/vbe-framebuffer';
import type { App } from '../../../src/kernel/gui/app';
import { DESKTOP_BACKGROUND, Desktop } from '../../../src/kernel/gui/desktop';
import { rect, union } from '../../../src/kernel/gui/rect';
import { LFB_ADDRESS, driverMachine } from '../drivers/machine';
import { containsRect, shippedFont } from './helpers';

const WIDTH = 640;
const HEIGHT = 480;
const CLIENT_COLOUR = 0x00c0ff;

const app: App = {
  title: 'Test',
  draw: (surface) => surface.fillRect(surface.bounds, CLIENT_COLOUR),
  onKey: () => false,
  onMouse: () => false,
};

function setup() {
  const m = driverMachine();
  const vbe = new VbeFramebuffer(m.cpu, LFB_ADDRESS);
  vbe.setMode(WIDTH, HEIGHT);
  const desktop = new Desktop(WIDTH, HEIGHT, shippedFont(), vbe);
  const rgb = (x: number, y: number) => {
    const [r, g, b] = m.display.readRgba(rect(x, y, 1, 1));
    return (r! << 16) | (g! << 8) | b!;
  };
  return { m, desktop, rgb };
}

describe('desktop on the emulated display', () => {
  it('shows the first frame whole: background, window, taskbar', () => {
    const { desktop, rgb } = setup();
    desktop.windowManager.open(app, rect(100, 100, 200, 150));
    expect(desktop.render()).toEqual([rect(0, 0, WIDTH, HEIGHT)]);
    expect(rgb(50, 50)).toBe(DESKTOP_BACKGROUND);
    expect(rgb(150, 200)).toBe(CLIENT_COLOUR);
    expect(rgb(WIDTH - 1, HEIGHT - 1)).not.toBe(DESKTOP_BACKGROUND);
    expect(desktop.render()).toEqual([]); // nothing changed, nothing drawn
  });

  it('moving the mouse repaints and copies only where the cursor was and is', () => {
    const { m, desktop } = setup();
    desktop.render();
    m.display.takeDirtyRects();
    desktop.handleMouse({ dx: 300, dy: 200, buttons: 0 });
    const updated = desktop.render();
    const cursor = desktop.compositor.cursorRect();
    expect(cursor.x).toBe(300);
    expect(updated.every((r) => r.width <= cursor.width && r.height <= cursor.height)).toBe(true);
    const dirty = m.display.takeDirtyRects(); // the device's 64×16 tiles around both spots
    expect(dirty.every((r) => r.y < 64 || (r.y >= 192 && r.y < 240))).toBe(true);
  });

  it('dragging a window repaints its old and new place on screen', () => {
    const { desktop, rgb } = setup();
    const window = desktop.windowManager.open(app, rect(100, 100, 200, 150));
    desktop.render();
    const cursorBefore = desktop.compositor.cursorRect();
    const wm = desktop.windowManager;
    wm.pointerTo(200, 105, 0);
    wm.pointerTo(200, 105, 1);
    wm.pointerTo(350, 205, 1);
    wm.pointerTo(350, 205, 0);
    const updated = desktop.render();
    const moved = union(rect(100, 100, 200, 150), window.frame);
    const allowed = [union(moved, desktop.compositor.cursorRect()), cursorBefore];
    expect(updated.every((r) => allowed.some((a) => containsRect(a, r)))).toBe(true);
    expect(rgb(150, 200)).toBe(DESKTOP_BACKGROUND); // where it was
    expect(rgb(300, 300)).toBe(CLIENT_COLOUR); // where it is
  });
});
