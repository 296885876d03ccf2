/**
 * The desktop is the same pixel for pixel in Node and in the browser: the
 * scripted sessions of the desktop's golden tests (test/kernel/gui) run in
 * Node, each ends in a snapshot, and Chromium restores each snapshot on the
 * GUI chapter's machine (gui-screen-page.ts, bundled here with the book's
 * kernel plugin) and digests its screen. The framebuffer and the canvas the
 * page draws from it must both match Node's framebuffer digest; the restore
 * itself checks that every device's state (RAM, video memory, disk) matches.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cottonKernel } from '../../src/runtime/node/vite-plugin-kernel';
import { DesktopMachine, FIRST_WINDOW } from '../kernel/gui/desktop-machine';
import { collectPageErrors, launchChromium } from './book';
import type { ScreenDigests } from './gui-screen-page';
import { serveStatic, type StaticServer } from './static-server';

/** The sessions: each a script on a freshly booted desktop, as the golden tests drive it. */
const SESSIONS: Record<string, (machine: DesktopMachine) => void> = {
  desktop: () => {},
  terminal: (machine) => launched(machine, 0),
  files: (machine) => launched(machine, 1),
  editor: (machine) => launched(machine, 2),
  sysinfo: (machine) => launched(machine, 3),
  'drag, type, minimise': (machine) => {
    machine.launch(0);
    const title = { x: FIRST_WINDOW.x + 200, y: FIRST_WINDOW.y + 8 };
    machine.drag(title, { x: title.x + 150, y: title.y + 200 });
    machine.keys('ls /\n');
    machine.settle(200);
    machine.launch(3);
    machine.click({ x: FIRST_WINDOW.x + 28 + 34, y: FIRST_WINDOW.y + 28 + 12 }); // its yellow button
    machine.settle(100);
  },
};

function launched(machine: DesktopMachine, row: number): void {
  machine.launch(row);
  machine.settle(300);
}

interface NodeRun {
  readonly snapshot: Uint8Array;
  readonly digest: string;
}

let folder: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[];
const runs = new Map<string, NodeRun>();

/** The page module bundled with the book's kernel plugin, beside a page that loads it. */
async function bundlePage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    plugins: [cottonKernel()],
    build: {
      outDir: folder,
      emptyOutDir: false,
      minify: false,
      lib: {
        entry: join(import.meta.dirname, 'gui-screen-page.ts'),
        formats: ['es'],
        fileName: () => 'gui-screen-page.js',
      },
    },
  });
  writeFileSync(
    join(folder, 'index.html'),
    '<!doctype html><link rel="icon" href="data:,"><script type="module">import * as page from "./gui-screen-page.js"; window.guiScreen = page;</script>',
  );
}

beforeAll(async () => {
  for (const [name, script] of Object.entries(SESSIONS)) {
    const machine = new DesktopMachine();
    script(machine);
    runs.set(name, { snapshot: machine.host.snapshot(), digest: machine.digest() });
  }
  folder = mkdtempSync(join(tmpdir(), 'gui-screen-'));
  await bundlePage();
  server = await serveStatic(folder);
  browser = await launchChromium();
  page = await browser.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => 'guiScreen' in window, null, { timeout: 60_000 });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("the desktop's screen in Node and in Chromium", () => {
  for (const name of Object.keys(SESSIONS)) {
    it(`${name}: the same framebuffer, and the canvas shows it`, async () => {
      const run = runs.get(name)!;
      const digests = await page.evaluate(
        (snapshot) =>
          (
            window as unknown as {
              guiScreen: { screenAfter(snapshot: Uint8Array): ScreenDigests };
            }
          ).guiScreen.screenAfter(new Uint8Array(snapshot)),
        [...run.snapshot],
      );
      expect(digests).toEqual({ framebuffer: run.digest, canvas: run.digest });
      expect(errors).toEqual([]);
    }, 120_000);
  }
});
