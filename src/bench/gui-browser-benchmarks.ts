/**
 * The desktop as a reader feels it, in Chromium: a window dragged across the
 * screen of the GUI chapter's machine, from the pointer to the moved window on
 * the canvas.
 *
 *   gui.frame_ms_p99   the 99th percentile, over the drag's 200 moves, of the
 *                      time from the page's pointermove to the putImageData
 *                      that puts the title bar at its new place on the
 *                      canvas (shown at the display's next frame): page →
 *                      worker → PS/2 packet → IRQ 12 → window manager →
 *                      compositor → framebuffer → worker → canvas
 *   gui.frame_ms_mean  the mean of the same times
 *   gui.drag_fps       frames per second the desktop shows while the pointer
 *                      moves once per display frame, as a hand on a mouse
 *                      does: new window positions on the canvas per second,
 *                      at most the display's rate (60 Hz headless)
 *
 * The pointer is Chromium's own (real input events, through the page's
 * ScreenView), and the times are taken inside the page, by a hook on the
 * canvas's putImageData, so they hold no DevTools round trips and no polling.
 * It needs Chromium (CHROMIUM, or /usr/bin/chromium; without it, it reports
 * nothing and says why) and the built book (dist/, or BOOK_DIST), which it
 * builds first when there is none or it is older than its sources.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildBookIfStale } from '../runtime/node/built-book';
import { REPO_ROOT } from '../runtime/node/kernel-source-tree';
import { serveBook } from './gui-book-server';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** The built book: dist/, or another build's folder (BOOK_DIST, relative to the repository). */
const DIST = resolve(REPO_ROOT, process.env.BOOK_DIST ?? 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Moves timed one by one: enough that the 99th percentile is not simply the slowest. */
const DRAG_STEPS = 200;
/** Display frames of the paced drag. */
const PACED_FRAMES = 120;
/** Where the Terminal's title bar is grabbed: the first window opens at (48, 32). */
const GRAB = { x: 300, y: 44 };
const STEP = { x: 2, y: 2 };
/** Apps in the taskbar, then the launcher's first row (Terminal). */
const APPS_BUTTON = { x: 36, y: 753 };
const LAUNCHER_TERMINAL = { x: 60, y: 641 };

/**
 * A point of the title bar, relative to the pointer that holds it: 200 px to
 * the right (clear of the cursor and the title's text) and 10 px down, in its
 * last row but one. A move of 2 px (or more) down turns that pixel from the window's
 * client area to the title bar's grey, so it says the new frame has arrived.
 */
const PROBE = { dx: 200, dy: 10 };

/**
 * Installed in the page: the time of the last pointermove, and a hook on the
 * canvas's putImageData, so that a frame is timed when its pixels reach the
 * canvas (not when a DevTools round trip comes to look, nor by polling the
 * canvas, which would take the CPU the machine's worker needs).
 */
function installProbe(): void {
  const canvas = document.querySelector<HTMLCanvasElement>('cotton-machine .cm-screen')!;
  const context = canvas.getContext('2d')!;
  const state = { lastMove: 0 };
  canvas.addEventListener('pointermove', () => (state.lastMove = performance.now()), true);
  const isTitleBar = (x: number, y: number) => {
    const [r, g, b] = context.getImageData(x, y, 1, 1).data;
    return r === 0xe8 && g === 0xe8 && b === 0xe8;
  };
  const drawListeners = new Set<() => void>();
  const putImageData = context.putImageData;
  context.putImageData = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    (putImageData as (...a: unknown[]) => void).apply(this, args);
    for (const listener of drawListeners) listener();
  } as typeof putImageData;
  /** Call `listener` after every putImageData on the canvas; returns how to stop. */
  const onDraw = (listener: () => void): (() => void) => {
    drawListeners.add(listener);
    return () => drawListeners.delete(listener);
  };
  let watched: Promise<number> | null = null;
  Object.assign(window, {
    guiProbe: {
      onDraw,
      /** Watch the pixel (x, y) until a draw makes it the title bar's (before the move that will). */
      watchForTitleBar(x: number, y: number): void {
        watched = new Promise((resolve, reject) => {
          const check = () => {
            if (!isTitleBar(x, y)) return;
            stop();
            clearTimeout(timeout);
            resolve(performance.now() - state.lastMove);
          };
          const stop = onDraw(check);
          const timeout = setTimeout(() => {
            stop();
            reject(new Error(`no title bar at (${x}, ${y})`));
          }, 10_000);
          check();
        });
      },
      /** Milliseconds from the last pointermove to the draw that put the watched pixel on the canvas. */
      waitForTitleBar(): Promise<number> {
        return watched!;
      },
    },
  });
}

interface GuiProbe {
  onDraw(listener: () => void): () => void;
  watchForTitleBar(x: number, y: number): void;
  waitForTitleBar(): Promise<number>;
}
declare const guiProbe: GuiProbe;

/** Where framebuffer (x, y) is on the page (the canvas is scaled to its column). */
async function pagePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('cotton-machine .cm-screen').boundingBox())!;
  return { x: box.x + ((x + 0.5) * box.width) / 1024, y: box.y + ((y + 0.5) * box.height) / 768 };
}

async function openTerminal(page: Page): Promise<void> {
  await page.evaluate((at) => guiProbe.watchForTitleBar(at.x, at.y), {
    x: GRAB.x + PROBE.dx,
    y: GRAB.y + PROBE.dy,
  });
  for (const at of [APPS_BUTTON, LAUNCHER_TERMINAL]) {
    const point = await pagePoint(page, at.x, at.y);
    await page.mouse.click(point.x, point.y);
  }
  await page.evaluate(() => guiProbe.waitForTitleBar());
}

/** Each move waits for its frame: the time each takes to reach the canvas. */
async function timedMoves(page: Page, steps: number): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const x = GRAB.x + i * STEP.x;
    const y = GRAB.y + i * STEP.y;
    const point = await pagePoint(page, x, y);
    await page.evaluate((at) => guiProbe.watchForTitleBar(at.x, at.y), {
      x: x + PROBE.dx,
      y: y + PROBE.dy,
    });
    await page.mouse.move(point.x, point.y);
    waits.push(await page.evaluate(() => guiProbe.waitForTitleBar()));
  }
  return waits;
}

/**
 * Runs in the page, the left button held on the title bar at `from`: one
 * pointermove per display frame for `frames` frames, counting the frames in
 * which the canvas got new pixels; returns frames shown per second.
 */
async function pacedDrag({ from, step, frames }: PacedDrag): Promise<number> {
  const canvas = document.querySelector<HTMLCanvasElement>('cotton-machine .cm-screen')!;
  let drawn = false;
  const stop = guiProbe.onDraw(() => (drawn = true));
  const box = canvas.getBoundingClientRect();
  const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  let shown = 0;
  const started = await nextFrame();
  let last = started;
  for (let i = 1; i <= frames; i++) {
    const x = from.x + i * step.x;
    const y = from.y + i * step.y;
    canvas.dispatchEvent(
      new PointerEvent('pointermove', {
        clientX: box.left + ((x + 0.5) * box.width) / canvas.width,
        clientY: box.top + ((y + 0.5) * box.height) / canvas.height,
        buttons: 1,
        bubbles: true,
        pointerId: 1,
        isPrimary: true,
      }),
    );
    last = await nextFrame();
    if (drawn) shown++;
    drawn = false;
  }
  // `frames` display frames, from the one before the first move to the one after the last.
  const elapsed = last - started;
  stop();
  return (1000 * shown) / elapsed;
}

interface PacedDrag {
  readonly from: { x: number; y: number };
  readonly step: { x: number; y: number };
  readonly frames: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The GUI chapter open in `page`, its Terminal dragged: the three figures. */
async function measureDrag(page: Page): Promise<Result[]> {
  await page.waitForFunction(
    () =>
      document.querySelector('cotton-machine .cm-status')?.getAttribute('data-status') ===
      'running',
    null,
    { timeout: 120_000 },
  );
  await page.locator('cotton-machine .cm-screen').scrollIntoViewIfNeeded();
  await page.evaluate(installProbe);
  await openTerminal(page);
  const grab = await pagePoint(page, GRAB.x, GRAB.y);
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  const waits = await timedMoves(page, DRAG_STEPS);
  const from = { x: GRAB.x + DRAG_STEPS * STEP.x, y: GRAB.y + DRAG_STEPS * STEP.y };
  // Back up and to the left, one pixel-step per display frame.
  const back = { x: -STEP.x / 2, y: -STEP.y / 2 };
  const fps = await page.evaluate(pacedDrag, { from, step: back, frames: PACED_FRAMES });
  await page.mouse.up();
  const mean = waits.reduce((sum, ms) => sum + ms, 0) / waits.length;
  return [
    { name: 'gui.drag_fps', value: round(fps), unit: 'fps' },
    { name: 'gui.frame_ms_p99', value: round(percentile(waits, 99)), unit: 'ms' },
    { name: 'gui.frame_ms_mean', value: round(mean), unit: 'ms' },
  ];
}

export async function guiBrowserBenchmarks(): Promise<Result[]> {
  if (!existsSync(CHROMIUM)) {
    console.error(`gui.drag_fps: skipped (needs Chromium at ${CHROMIUM})`);
    return [];
  }
  buildBookIfStale(REPO_ROOT, DIST, 'gui.drag_fps');
  const server = await serveBook(DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // tsx compiles this file keeping function names, through a helper (__name) the page lacks.
    await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    await page.goto(`${server.url}/gui/`);
    return await measureDrag(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
