/**
 * The book as a new reader meets it, in Chromium: how long until the machine
 * of a chapter shows its first prompt, how long an edited kernel takes to
 * boot after Reboot, how long the editor takes to appear, and how much
 * JavaScript the page makes the browser download (issue 12).
 *
 *   browser.first_prompt_ms     navigation → the shell's first prompt in the
 *                               terminal, median of COLD_LOADS loads, each in
 *                               a new Chromium with a fresh profile (no HTTP
 *                               cache, no stored disk: a first visit) and no
 *                               automation attached (reader-loads.ts)
 *   browser.first_prompt_ms.<page>  the same for every page with a machine
 *                               (`index` is the front page; BENCH_PAGE_LOADS
 *                               loads each but the Boot chapter's, whose
 *                               are the headline's), since what a chapter's
 *                               page holds besides its machine can delay the
 *                               prompt (assets-once.ts)
 *   browser.first_prompt_automated_ms  the same in the loads Playwright drives,
 *                               each in a fresh browser context: slower, by
 *                               what the DevTools protocol costs the page
 *   browser.first_prompt_<phase>_ms  the automated loads cut into phases, from
 *                               the page and from the worker's own timings
 *                               (worker/milestones.ts): page (navigation →
 *                               the machine's worker is created),
 *                               worker_start (→ its thread runs), script (→
 *                               its script is loaded and evaluated),
 *                               kernel_compile (compiling the kernel's
 *                               modules), disk (opening the reader's disk:
 *                               IndexedDB, or the book's disk from the
 *                               book's files),
 *                               boot_asked (navigation → the page asks for
 *                               the boot; the first worker may have booted
 *                               ahead, before it was asked), link (the
 *                               kernel and the disk ready → the kernel
 *                               linked and the machine on),
 *                               kernel_boot (→ the shell's prompt: the
 *                               kernel booting in fast virtual time), show
 *                               (→ the page shows the prompt)
 *   browser.warm_prompt_ms      the same after a reload (cached scripts, the
 *                               stored disk: a returning reader)
 *   browser.reboot_edit_ms      Reboot with an edited kernel file → the new
 *                               machine's prompt (median)
 *   editor.open_ms              Edit pressed → Monaco showing the file (median)
 *
 * Like a reader, the benchmark looks at the first prompt for READER_PAUSE_MS
 * before it presses Edit, and at the editor as long before each Reboot: the
 * page uses such pauses to load the editor and start the next machine's
 * worker (browser/page-idle.ts). It presses buttons with the pointer, as a
 * reader does, so the page sees the reader at work.
 *   page.js_gzip_kb             gzipped JavaScript the page fetches without
 *                               the editor (everything but the editor's code,
 *                               from navigation until the editor shows: what
 *                               it runs before the first prompt and what it
 *                               loads when idle after it, the figures), the
 *                               worker's included, and the binary file of
 *                               the programs the worker fetches
 *   page.js_first_prompt_gzip_kb  the part of it fetched before the first
 *                               prompt (it can vary by a file or two with
 *                               how soon the prompt comes)
 *   page.gzip_kb.<file>         page.js_gzip_kb file by file (page-weight.ts)
 *   editor.js_gzip_kb           gzipped JavaScript of the editor (Monaco, its
 *                               workers, the transpiler: page-weight.ts
 *                               isEditorCode), whether fetched ahead on idle
 *                               or when Edit is pressed
 *   editor.gzip_kb.<file>       the same, file by file
 *   browser.failed_loads        loads that did not get through (a watchdog
 *                               that stopped a machine, a timeout)
 *
 * The steps after the first prompt, and the sizes, come from the loads
 * Playwright drives. Sizes come from the requests Chromium made for the page and its workers
 * (not the service worker's precache of the whole book for offline reading),
 * each file gzipped here at the default level, so they do not depend on what
 * pre-compressed twins a build has. Times are measured inside the page
 * (performance.now() since navigation, checked each animation frame), with
 * the worker's creation and first messages seen through a wrapped `Worker`.
 * It needs the built book (BOOK_DIST or dist/; built here when missing or
 * older than its sources, src/runtime/node/built-book.ts) and
 * Chromium (CHROMIUM, or /usr/bin/chromium); without Chromium it reports
 * nothing and says why. BENCH_COLD_LOADS changes the number of loads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { resolveFile, sendFile } from '../classroom/static-files';
import { bookPages } from '../runtime/node/book-pages';
import { buildBookIfStale } from '../runtime/node/built-book';
import { REPO_ROOT } from '../runtime/node/kernel-source-tree';
import { KERNEL_COMPILE, timingName } from '../runtime/worker/milestones';
import {
  breakdown,
  byRole,
  type FileWeight,
  isMachineCode,
  totalKb,
  weightOf,
} from './page-weight';
import { PROMPT, ReaderLoads, WINDOW } from './reader-loads';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const DIST_SETTING = process.env.BOOK_DIST ?? 'dist';
const DIST = isAbsolute(DIST_SETTING) ? DIST_SETTING : join(REPO_ROOT, DIST_SETTING);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHAPTER = '/boot/';
/** Reader loads of every other page with a machine, each. */
const OTHER_PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 3);
const COLD_LOADS = Number(process.env.BENCH_COLD_LOADS ?? 5);
const REBOOTS_PER_LOAD = 2;
/** How long the reader looks at the page before pressing the next button. */
const READER_PAUSE_MS = 5000;
const TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];

/** Milestones of one load, in page milliseconds since navigation. */
interface LoadTimes {
  readonly workerCreated: number;
  readonly diskMs: number;
  readonly prompt: number;
  /** The first worker's timings (worker/milestones.ts) by name, in page time; a measure's is its duration. */
  readonly worker: Readonly<Record<string, number>>;
}

/**
 * Runs in the page before its scripts: timestamps the machine worker's
 * creation, and notes the disk's open time from its answer to `boot()`.
 */
function watchWorkers(): void {
  const times: Record<string, number> = {};
  (window as unknown as { cottonBench: Record<string, number> }).cottonBench = times;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      // Named 'cotton-machine', or 'cotton-machine first' when the page's HTML starts it (worker/preparation.ts).
      if (!options?.name?.startsWith('cotton-machine') || times.workerCreated !== undefined) return;
      times.workerCreated = performance.now();
      this.addEventListener('message', (event: MessageEvent) => {
        const value = (event.data as { value?: { disk?: { openMs?: number } } } | null)?.value;
        if (value && typeof value === 'object' && value.disk?.openMs !== undefined)
          times.diskMs ??= value.disk.openMs;
      });
    }
  };
}

/** The shell's prompt as the page's functions take it: a RegExp's source and flags. */
const PROMPT_IN_PAGE: [string, string] = [PROMPT.source, PROMPT.flags];

/** Runs in the page: performance.now() once the first machine's terminal shows a prompt. */
function promptShown([source, flags]: [string, string]): number | false {
  const machine = document.querySelector('cotton-machine') as
    | (HTMLElement & { terminalText?: () => string })
    | null;
  const text = machine?.terminalText?.() ?? '';
  return new RegExp(source, flags).test(text) ? performance.now() : false;
}

/** Runs in the page: the first machine's status and the end of its terminal, for a failure's message. */
function machineShows(): string {
  const machine = document.querySelector('cotton-machine') as
    | (HTMLElement & { terminalText?: () => string })
    | null;
  const status = machine?.querySelector('.cm-status');
  const text = machine?.terminalText?.() ?? '';
  return `status ${status?.getAttribute('data-status')} (${status?.getAttribute('title')}); the terminal shows:\n${text.slice(-1500)}`;
}

/**
 * Wait until `condition` (run in the page each frame, given the prompt's
 * pattern) returns a time; fails saying what the machine shows.
 */
async function timeInPage(
  page: Page,
  condition: (prompt: [string, string]) => number | false,
): Promise<number> {
  try {
    const handle = await page.waitForFunction(condition, PROMPT_IN_PAGE, {
      polling: 'raf',
      timeout: TIMEOUT_MS,
    });
    return (await handle.jsonValue()) as number;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await page.evaluate(machineShows)}`);
  }
}

/**
 * The User Timing of the worker that sent the first prompt (worker/milestones.ts),
 * by name without its prefix, in the page's time (`start` for the worker's
 * time origin); empty if no worker has it.
 */
async function workerTimings(page: Page): Promise<Record<string, number>> {
  const pageOrigin = await page.evaluate(() => performance.timeOrigin);
  const firstPrompt = timingName('first-prompt');
  for (const worker of page.workers()) {
    const timing = await worker
      .evaluate(() => ({
        origin: performance.timeOrigin,
        entries: performance
          .getEntries()
          .filter((entry) => entry.name.startsWith('cotton:'))
          .map(({ name, entryType, startTime, duration }) => ({
            name,
            entryType,
            startTime,
            duration,
          })),
      }))
      .catch(() => null);
    if (!timing?.entries.some((entry) => entry.name === firstPrompt)) continue;
    const shift = timing.origin - pageOrigin;
    const times: Record<string, number> = { start: shift };
    for (const entry of timing.entries)
      times[entry.name.slice('cotton:'.length)] =
        entry.entryType === 'measure' ? entry.duration : entry.startTime + shift;
    return times;
  }
  return {};
}

async function loadTimes(page: Page): Promise<LoadTimes> {
  const prompt = await timeInPage(page, promptShown);
  const times = await page.evaluate(
    () => (window as unknown as { cottonBench: Record<string, number> }).cottonBench,
  );
  return {
    workerCreated: times.workerCreated ?? Number.NaN,
    diskMs: times.diskMs ?? Number.NaN,
    prompt,
    worker: await workerTimings(page),
  };
}

/**
 * Press a toolbar button as a reader does, with the pointer (the page tells a
 * reader at work from an idle page by such events, page-idle.ts); returns the
 * page's time of the press.
 */
async function pressButton(page: Page, action: string): Promise<number> {
  await page.evaluate(() => {
    const bench = window as unknown as { cottonBenchPressed?: number };
    delete bench.cottonBenchPressed;
    document.addEventListener(
      'pointerdown',
      () => {
        bench.cottonBenchPressed = performance.now();
      },
      { capture: true, once: true },
    );
  });
  await page.click(`cotton-machine [data-action="${action}"]`);
  return page.evaluate(
    () => (window as unknown as { cottonBenchPressed: number }).cottonBenchPressed,
  );
}

/** Edit `file` (the reader's version plus a comment), press Reboot, wait for the new machine's prompt. */
async function rebootWithEdit(page: Page, round: number): Promise<number> {
  await page.evaluate(async (round) => {
    const machine = document.querySelector('cotton-machine') as HTMLElement & {
      files: readonly string[];
      replaceFile(file: string, text: string): Promise<void>;
    };
    const file = machine.files[0]!;
    const text = await fetch(`/__bench/source?file=${encodeURIComponent(file)}`).then((r) =>
      r.text(),
    );
    await machine.replaceFile(file, `${text}\n// edited by the benchmark, round ${round}\n`);
  }, round);
  await page.evaluate(() => {
    const machine = document.querySelector('cotton-machine') as HTMLElement & {
      terminalText(): string;
    };
    (window as unknown as { cottonBenchMark: string }).cottonBenchMark = machine.terminalText();
  });
  const clicked = await pressButton(page, 'reboot');
  const shown = await timeInPage(page, ([source, flags]) => {
    const machine = document.querySelector('cotton-machine') as HTMLElement & {
      terminalText(): string;
    };
    const text = machine.terminalText();
    const before = (window as unknown as { cottonBenchMark: string }).cottonBenchMark;
    return text !== before && !text.startsWith(before) && new RegExp(source, flags).test(text)
      ? performance.now()
      : false;
  });
  return shown - clicked;
}

/** Press Edit and wait until Monaco shows the file's lines. */
async function openEditor(page: Page): Promise<number> {
  const pressed = await pressButton(page, 'edit');
  const shown = await timeInPage(page, () => {
    const lines = document.querySelector('cotton-machine .cm-monaco .view-lines');
    return lines && lines.childElementCount > 0 ? performance.now() : false;
  });
  return shown - pressed;
}

/**
 * The book's server: the built files, plus a kernel file's original text for
 * the edit step, and what `readers` serve to their loads.
 */
async function serveBook(readers?: ReaderLoads): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://book');
    if (readers?.answer(url, request, response)) return;
    if (url.pathname === '/__bench/source') {
      const file = url.searchParams.get('file') ?? '';
      if (!/^src\/kernel\/[\w/-]+\.ts$/.test(file)) return void response.writeHead(400).end();
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void response.end(readFileSync(join(REPO_ROOT, file)));
    }
    const file = resolveFile(DIST, url.pathname, '/');
    if (!file) return void response.writeHead(404).end();
    sendFile(request, response, file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/**
 * Gzipped kilobytes of what among `files` a machine needs: its scripts and
 * the programs' binary file (page-weight.ts).
 */
function jsGzipKb(files: Iterable<string>): number {
  return totalKb(weightOf(files, isMachineCode));
}

function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (name: string, values: readonly number[]): Result => ({
  name,
  value: Math.round(median(values)),
  unit: 'ms',
});

/** Note in `requests` the built files the page and its workers fetch (not the service worker's offline precache). */
function recordRequests(context: BrowserContext, requests: string[]): void {
  context.on('request', (request) => {
    if (request.serviceWorker()) return;
    const file = resolveFile(DIST, new URL(request.url()).pathname, '/');
    if (file) requests.push(file);
  });
}

/**
 * One load of `chapter` in a fresh context: what it fetched up to its first
 * prompt, then, once a reader's pause and Edit have passed, the page's files
 * and the editor's (page-weight.ts, run alone).
 */
export async function measureChapterWeight(
  chapter: string,
): Promise<{ firstPrompt: FileWeight[]; page: FileWeight[]; editor: FileWeight[] }> {
  buildBookIfStale(REPO_ROOT, DIST, 'browser benchmarks');
  const server = await serveBook();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: WINDOW });
    const requests: string[] = [];
    recordRequests(context, requests);
    await context.addInitScript(watchWorkers);
    const page = await context.newPage();
    await page.goto(`${server.url}${chapter}`);
    await loadTimes(page);
    const firstPrompt = weightOf(requests);
    await page.waitForTimeout(READER_PAUSE_MS);
    await openEditor(page);
    const { page: pageFiles, editor } = byRole(DIST, requests);
    return { firstPrompt, page: weightOf(pageFiles), editor: weightOf(editor) };
  } finally {
    await browser.close();
    server.close();
  }
}

/** `browser.first_prompt_ms.<page>`: `index` for the front page, the chapter's slug for the others. */
const firstPromptOf = (path: string): string =>
  `browser.first_prompt_ms.${path.replaceAll('/', '') || 'index'}`;

interface Samples {
  loads: LoadTimes[];
  warm: number[];
  editor: number[];
  reboots: number[];
  /** The page's weight up to its first prompt, its whole weight without the editor, the editor's. */
  firstPromptJs: number[];
  pageJs: number[];
  editorJs: number[];
  /** What the first load fetched, file by file (the breakdown lines). */
  pageFiles: string[];
  editorFiles: string[];
  failures: number;
  /** The first prompts of the reader loads (reader-loads.ts), by page. */
  readerPrompts: Map<string, number[]>;
}

/**
 * One cold load in a fresh context: first prompt, the editor, reboots with
 * edits, a warm reload. A step that fails (a watchdog on a loaded machine)
 * is counted in `failures` and ends this load; the samples taken so far stay.
 */
async function coldLoad(browser: Browser, url: string, requests: string[], samples: Samples) {
  const context = await browser.newContext({ viewport: WINDOW });
  recordRequests(context, requests);
  try {
    await context.addInitScript(watchWorkers);
    const page = await context.newPage();
    requests.length = 0;
    await page.goto(`${url}${CHAPTER}`);
    samples.loads.push(await loadTimes(page));
    samples.firstPromptJs.push(jsGzipKb(requests));
    await page.waitForTimeout(READER_PAUSE_MS);
    samples.editor.push(await openEditor(page));
    for (let round = 0; round < REBOOTS_PER_LOAD; round++) {
      await page.waitForTimeout(READER_PAUSE_MS);
      samples.reboots.push(await rebootWithEdit(page, round));
    }
    const { page: pageFiles, editor: editorFiles } = byRole(DIST, requests);
    samples.pageJs.push(jsGzipKb(pageFiles));
    samples.editorJs.push(jsGzipKb(editorFiles));
    if (samples.pageFiles.length === 0) {
      samples.pageFiles = pageFiles;
      samples.editorFiles = editorFiles;
    }
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    samples.warm.push((await loadTimes(page)).prompt);
  } catch (error) {
    samples.failures++;
    console.error(`browser benchmarks: a load failed: ${(error as Error).message}`);
  } finally {
    await context.close();
  }
}

/** One cold load of `path` in a reader's browser (reader-loads.ts); a failure is counted, as in `coldLoad`. */
async function readerLoad(
  readers: ReaderLoads,
  url: string,
  path: string,
  samples: Samples,
): Promise<void> {
  try {
    const prompts = samples.readerPrompts.get(path) ?? [];
    prompts.push(await readers.firstPrompt(url, path, TIMEOUT_MS));
    samples.readerPrompts.set(path, prompts);
  } catch (error) {
    samples.failures++;
    console.error(`browser benchmarks: a reader load failed: ${(error as Error).message}`);
  }
}

export async function browserBenchmarks(): Promise<Result[]> {
  if (!existsSync(CHROMIUM)) {
    console.error(
      'browser.first_prompt_ms: skipped (needs Chromium: CHROMIUM or /usr/bin/chromium)',
    );
    return [];
  }
  buildBookIfStale(REPO_ROOT, DIST, 'browser benchmarks');
  const requests: string[] = [];
  const readers = new ReaderLoads(CHROMIUM, DIST);
  const server = await serveBook(readers);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const samples: Samples = {
    loads: [],
    warm: [],
    editor: [],
    reboots: [],
    firstPromptJs: [],
    pageJs: [],
    editorJs: [],
    pageFiles: [],
    editorFiles: [],
    failures: 0,
    readerPrompts: new Map(),
  };
  try {
    try {
      for (let i = 0; i < COLD_LOADS; i++) await coldLoad(browser, server.url, requests, samples);
    } finally {
      await browser.close();
    }
    // Alone on the machine: the reader's browser shares the CPU with no other.
    for (let i = 0; i < COLD_LOADS; i++) await readerLoad(readers, server.url, CHAPTER, samples);
    for (const path of bookPages('machines')
      .map((page) => `/${page}`)
      .filter((path) => path !== CHAPTER))
      for (let i = 0; i < OTHER_PAGE_LOADS; i++)
        await readerLoad(readers, server.url, path, samples);
  } finally {
    server.close();
  }
  const { loads } = samples;
  const phase = (name: string, of: (load: LoadTimes) => number): Result =>
    ms(`browser.first_prompt_${name}_ms`, loads.map(of));
  // A timing the worker did not take is undefined: NaN, which median() leaves out.
  const at = (load: LoadTimes, name: string): number => load.worker[name] ?? Number.NaN;
  return [
    ms('browser.first_prompt_ms', samples.readerPrompts.get(CHAPTER) ?? []),
    ...[...samples.readerPrompts].map(([path, prompts]) => ms(firstPromptOf(path), prompts)),
    ms(
      'browser.first_prompt_automated_ms',
      loads.map((load) => load.prompt),
    ),
    phase('page', (load) => load.workerCreated),
    phase('worker_start', (load) => at(load, 'start') - load.workerCreated),
    phase('script', (load) => at(load, 'worker-ready') - at(load, 'start')),
    phase('kernel_compile', (load) => at(load, KERNEL_COMPILE)),
    phase('disk', (load) => load.diskMs),
    phase('boot_asked', (load) => at(load, 'boot-asked')),
    phase('link', (load) => at(load, 'powered-on') - at(load, 'linking')),
    phase('kernel_boot', (load) => at(load, 'first-prompt') - at(load, 'powered-on')),
    phase('show', (load) => load.prompt - at(load, 'first-prompt')),
    ms('browser.warm_prompt_ms', samples.warm),
    ms('browser.reboot_edit_ms', samples.reboots),
    ms('editor.open_ms', samples.editor),
    { name: 'page.js_gzip_kb', value: median(samples.pageJs), unit: 'KB' },
    { name: 'page.js_first_prompt_gzip_kb', value: median(samples.firstPromptJs), unit: 'KB' },
    { name: 'editor.js_gzip_kb', value: median(samples.editorJs), unit: 'KB' },
    { name: 'browser.failed_loads', value: samples.failures, unit: 'loads' },
    ...breakdown('page.gzip_kb', weightOf(samples.pageFiles, isMachineCode)),
    ...breakdown('editor.gzip_kb', weightOf(samples.editorFiles, isMachineCode)),
  ];
}
