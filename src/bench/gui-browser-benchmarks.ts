/**
 * The desktop as a reader feels it, in Chromium: a window dragged across the
 * screen of the GUI chapter's machine, from the page's pointer event to the
 * moved window on the canvas.
 *
 *   gui.drag_fps       frames the reader sees per second while dragging: the
 *                      drag is 60 pointer moves, each waiting until the
 *                      canvas shows the title bar at its new place
 *   gui.frame_ms_p99   the 99th percentile of those waits, in milliseconds:
 *                      page → worker → PS/2 packet → IRQ 12 → window manager →
 *                      compositor → framebuffer patch → worker → canvas
 *
 * The moves are measured inside the page (pointer events dispatched on the
 * canvas, the pixel polled each animation frame), so the numbers hold no
 * DevTools round trips. It needs the built book (dist/, `npx astro build`)
 * and Chromium (CHROMIUM, or /usr/bin/chromium); without them it reports
 * nothing and says why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { contentType, resolveFile } from '../classroom/static-files';
import { REPO_ROOT } from '../runtime/node/kernel-source-tree';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** The built book: dist/, or another build's folder (BOOK_DIST). */
const DIST = process.env.BOOK_DIST ?? join(REPO_ROOT, 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const DRAG_STEPS = 60;

/** Runs in the page: open a Terminal from the launcher, then drag it across the desktop. */
async function dragInPage(steps: number): Promise<number[]> {
  const canvas = document.querySelector<HTMLCanvasElement>('cotton-machine .cm-screen')!;
  const context = canvas.getContext('2d')!;
  const box = canvas.getBoundingClientRect();
  const client = (x: number, y: number) => ({
    clientX: box.left + ((x + 0.5) * box.width) / canvas.width,
    clientY: box.top + ((y + 0.5) * box.height) / canvas.height,
  });
  const send = (type: string, x: number, y: number, buttons: number) =>
    canvas.dispatchEvent(
      new PointerEvent(type, { ...client(x, y), buttons, bubbles: true, pointerId: 1 }),
    );
  const isTitleBar = (x: number, y: number) => {
    const [r, g, b] = context.getImageData(x, y, 1, 1).data;
    return r === 0xe8 && g === 0xe8 && b === 0xe8;
  };
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const until = async (test: () => boolean) => {
    const deadline = performance.now() + 10_000;
    while (!test()) {
      if (performance.now() > deadline) throw new Error('the canvas never showed the change');
      await nextFrame();
    }
  };
  const click = async (x: number, y: number) => {
    send('pointermove', x, y, 0);
    send('pointerdown', x, y, 1);
    send('pointerup', x, y, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
  };
  await click(36, 753); // Apps
  await click(60, 641); // Terminal: a window at (48, 32)
  await until(() => isTitleBar(300, 44));
  send('pointermove', 300, 44, 0);
  send('pointerdown', 300, 44, 1);
  const waits: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const x = 300 + i * 6;
    const y = 44 + i * 4;
    const started = performance.now();
    send('pointermove', x, y, 1);
    await until(() => isTitleBar(x, y) && !isTitleBar(x - 200, y - 5));
    waits.push(performance.now() - started);
  }
  send('pointerup', 300 + steps * 6, 44 + steps * 4, 0);
  return waits;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function guiBrowserBenchmarks(): Promise<Result[]> {
  if (!existsSync(join(DIST, 'gui', 'index.html')) || !existsSync(CHROMIUM)) {
    console.error('gui.drag_fps: skipped (needs dist/ from `npx astro build` and Chromium)');
    return [];
  }
  const server = createServer((request, response) => {
    const file = resolveFile(DIST, request.url ?? '/', '/');
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': contentType(file) });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/gui/`);
    await page.waitForFunction(
      () =>
        document.querySelector('cotton-machine .cm-status')?.getAttribute('data-status') ===
        'running',
      null,
      { timeout: 60_000 },
    );
    const waits = await page.evaluate(dragInPage, DRAG_STEPS);
    const total = waits.reduce((sum, ms) => sum + ms, 0);
    const round = (n: number) => Math.round(n * 10) / 10;
    return [
      { name: 'gui.drag_fps', value: round((1000 * waits.length) / total), unit: 'fps' },
      { name: 'gui.frame_ms_p99', value: round(percentile(waits, 99)), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
