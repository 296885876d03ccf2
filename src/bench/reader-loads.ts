/**
 * First prompts as a reader's browser shows them: Chromium started the way a
 * reader starts it, with no automation attached (browser-benchmarks.ts).
 *
 * Playwright drives Chromium through the DevTools protocol, and what it turns
 * on to do so costs the page: its Network domain keeps every response for the
 * protocol, its Emulation domain holds the page's metrics, and its launch
 * flags turn off features a reader's Chrome has on. On this project's 2-core
 * machine the same build showed its first prompt after ~1.5 s under
 * Playwright and ~1.0 s without it (2026-12-03; Network.enable alone added
 * ~150 ms). Readers do not browse with a debugger attached, so the first
 * prompt is measured here without one.
 *
 * Each load is a fresh Chromium process with a fresh profile (nothing cached,
 * nothing stored: a first visit) and the benchmark's window size. It opens a
 * start page on another site (`localhost`, the book being on `127.0.0.1`),
 * waits there until the new browser has settled, and goes to the chapter as
 * a reader following a link would. The chapter's HTML comes with one more
 * script at its end, which looks for the first machine's prompt each
 * animation frame, as the Playwright loads do, and sends the time since
 * navigation back with a beacon. The load's URL carries its number, which
 * the beacon names, so a late beacon never counts for another load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFile } from '../classroom/static-files';

const START_PATH = '/__bench/start';
const REPORT_PATH = '/__bench/first-prompt';
/** The chapter's query parameter that numbers a load (and asks for the reporting script). */
export const LOAD_PARAM = 'bench-load';
/** How long a new browser stays on the start page before it goes to the chapter. */
const SETTLE_MS = 2500;
/** The window of every browser of the benchmark, the automated ones' and the readers'. */
export const WINDOW = { width: 1280, height: 1000 };
/** A shell prompt at the start of a line of the terminal (`cotton:/ $ `). */
export const PROMPT = /^cotton:\S* ?\$ /m;

/**
 * The script added at the end of a measured chapter: each animation frame,
 * the first machine's terminal is read (machine-element.ts's terminalText)
 * for a shell prompt; the first one seen is reported once.
 */
const reporter = (load: string): string =>
  `<script>(function(){function look(){` +
  `var m=document.querySelector('cotton-machine');` +
  `var t=m&&m.terminalText?m.terminalText():'';` +
  `if(${PROMPT}.test(t)){navigator.sendBeacon(${JSON.stringify(`${REPORT_PATH}?${LOAD_PARAM}=${load}`)},String(performance.now()));return}` +
  `requestAnimationFrame(look)}requestAnimationFrame(look)})()</script>`;

/** `html` with the reporting script for `load` at the end of its body. */
export function withPromptReporter(html: string, load: string): string {
  const end = html.lastIndexOf('</body>');
  if (end < 0) throw new Error('the chapter has no </body> to put the reporting script before');
  return `${html.slice(0, end)}${reporter(load)}${html.slice(end)}`;
}

/** The start page: it waits for the new browser to settle, then goes to `target`. */
export const startPage = (target: string): string =>
  `<!doctype html><title>start</title><script>setTimeout(function(){location.href=${JSON.stringify(target)}},${SETTLE_MS})</script>`;

/** The Chromium command line of one reader load. */
export const readerArgs = (profile: string, startUrl: string): string[] => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  `--window-size=${WINDOW.width},${WINDOW.height}`,
  `--user-data-dir=${profile}`,
  startUrl,
];

/** The reader loads of one benchmark run, served by the benchmark's book server. */
export class ReaderLoads {
  private readonly waiting = new Map<string, (ms: number) => void>();
  private loads = 0;

  constructor(
    private readonly chromium: string,
    private readonly dist: string,
  ) {}

  /** Answer a request that belongs to a reader load; false for any other. */
  answer(url: URL, request: IncomingMessage, response: ServerResponse): boolean {
    if (url.pathname === START_PATH) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(startPage(url.searchParams.get('to') ?? '/'));
      return true;
    }
    const load = url.searchParams.get(LOAD_PARAM);
    if (load === null) return false;
    if (url.pathname === REPORT_PATH) {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk;
      });
      request.on('end', () => {
        response.writeHead(204).end();
        this.waiting.get(load)?.(Number(body));
      });
      return true;
    }
    const file = resolveFile(this.dist, url.pathname, '/');
    if (!file?.endsWith('.html')) return false;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(withPromptReporter(readFileSync(file, 'utf8'), load));
    return true;
  }

  /**
   * One cold load of `chapter` from the book at `bookUrl` (http://127.0.0.1:port)
   * in a new Chromium: milliseconds from navigation to the first prompt.
   */
  async firstPrompt(bookUrl: string, chapter: string, timeoutMs: number): Promise<number> {
    const load = String(this.loads++);
    const target = `${bookUrl}${chapter}?${LOAD_PARAM}=${load}`;
    const start = `${bookUrl.replace('127.0.0.1', 'localhost')}${START_PATH}?to=${encodeURIComponent(target)}`;
    const profile = mkdtempSync(join(tmpdir(), 'cotton-reader-'));
    // In a process group of its own, so that stopping it stops its renderers and helpers too.
    const browser = spawn(this.chromium, readerArgs(profile, start), {
      stdio: 'ignore',
      detached: true,
    });
    try {
      return await this.reported(load, browser, timeoutMs);
    } finally {
      this.waiting.delete(load);
      await stop(browser);
      // A helper may still be closing its files in the profile for a moment.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  }

  private reported(load: string, browser: ChildProcess, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no first prompt within ${timeoutMs} ms of a reader load`)),
        timeoutMs,
      );
      this.waiting.set(load, (ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
      browser.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited (${code}) before the first prompt`));
      });
    });
  }
}

/** Kill `browser` and its process group, and wait until it has gone. */
async function stop(browser: ChildProcess): Promise<void> {
  const running = browser.exitCode === null && browser.signalCode === null;
  const gone = running ? new Promise((resolve) => browser.once('exit', resolve)) : null;
  try {
    if (browser.pid !== undefined) process.kill(-browser.pid, 'SIGKILL');
  } catch {
    // The group has gone already.
  }
  await gone;
}
