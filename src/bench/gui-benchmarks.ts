/**
 * Speed of the desktop's software rendering, in Node.
 *
 *   gui.compose_ms  one full-screen recomposition of a 1024×768 desktop with
 *                   four overlapping windows and the taskbar: the whole
 *                   screen damaged, every layer blitted through the clip,
 *                   the cursor drawn, the back buffer presented to a
 *                   framebuffer in memory; mean milliseconds per frame over
 *                   about a second
 *
 * This is the worst case the damage tracking exists to avoid (a window
 * dragged across the whole screen comes close to it); an ordinary frame
 * repaints a title bar or a clock and costs a fraction of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyEvent } from '../kernel/drivers/ps2-keyboard';
import type { App } from '../kernel/gui/app';
import { Desktop } from '../kernel/gui/desktop';
import { Psf2Font } from '../kernel/gui/psf2-font';
import { rect, type Rect } from '../kernel/gui/rect';
import type { Surface } from '../kernel/gui/surface';
import { REPO_ROOT } from '../runtime/node/kernel-source-tree';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const DURATION_MS = 1000;
const WIDTH = 1024;
const HEIGHT = 768;
const round = (n: number): number => Math.round(n * 1000) / 1000;

/** A window of text lines, like a Terminal full of output. */
function textApp(font: Psf2Font, title: string): App {
  return {
    title,
    draw(surface: Surface) {
      surface.fillRect(surface.bounds, 0x1e1e1e);
      for (let y = 0; y + font.height <= surface.height; y += font.height)
        surface.drawText(
          font,
          4,
          y,
          `${title}: the quick brown fox jumps over the lazy dog`,
          0xd4d4d4,
        );
    },
    onKey: (_event: KeyEvent) => false,
    onMouse: () => false,
  };
}

function composeMs(): Result {
  const font = Psf2Font.parse(
    new Uint8Array(readFileSync(join(REPO_ROOT, 'disk/usr/share/fonts/cotton-8x16.psf'))),
  );
  const screen = new Uint32Array(WIDTH * HEIGHT);
  const target = {
    writeRect(source: Surface, area: Rect) {
      for (let y = area.y; y < area.y + area.height; y++) {
        const from = y * source.width + area.x;
        screen.set(source.pixels.subarray(from, from + area.width), y * WIDTH + area.x);
      }
    },
  };
  const desktop = new Desktop(WIDTH, HEIGHT, font, target);
  for (let i = 0; i < 4; i++)
    desktop.windowManager.open(
      textApp(font, `Window ${i + 1}`),
      rect(40 + 120 * i, 30 + 90 * i, 560, 380),
    );
  const whole = rect(0, 0, WIDTH, HEIGHT);
  const frame = (): void => {
    const updated = desktop.compositor.compose([whole], desktop.windowManager.layers());
    desktop.compositor.present(updated, target);
  };
  frame();
  const start = performance.now();
  let frames = 0;
  while (performance.now() - start < DURATION_MS) {
    frame();
    frames++;
  }
  return { name: 'gui.compose_ms', value: round((performance.now() - start) / frames), unit: 'ms' };
}

export function guiBenchmarks(): Result[] {
  return [composeMs()];
}
