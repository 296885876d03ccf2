/**
 * For the browser tests of the networking, TLS and GUI chapters' figures:
 * open a chapter, wait for its machine's first prompt, run a command at the
 * serial console and wait until a figure has been redrawn after it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  typeInTerminal,
  waitForTerminal,
} from './book';
import { refreshesOf, waitForRefresh } from './figures';

/** A first boot in a fresh browser builds the reader's disk: slow on a loaded machine. */
export const BOOT_TIMEOUT_MS = 90_000;
/** A command on the simulated network, then the figures' redraw. */
export const COMMAND_TIMEOUT_MS = 60_000;

export interface OpenChapter {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

/**
 * A browser for the test file (launched before its tests, closed after them)
 * and `open(path)`: the chapter at `path` ('networking/') in a fresh context,
 * its machine at its first prompt; each test's context is closed after it.
 */
export function chapterBrowser(): { open(path: string, width?: number): Promise<OpenChapter> } {
  let browser: Browser;
  let opened: OpenChapter | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await opened?.context.close();
    opened = null;
  });
  return {
    async open(path, width) {
      opened = await openBooted(browser, path, width);
      return opened;
    },
  };
}

async function openBooted(browser: Browser, path: string, width = 1280): Promise<OpenChapter> {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${inject('bookUrl')}/${path}`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
  return { context, page, errors };
}

/** Run `command` at the console and wait until each of `figures` has been redrawn after it. */
export async function runAndRedraw(
  page: Page,
  command: string,
  figures: readonly string[],
): Promise<void> {
  const prompts = countPrompts(await waitForTerminal(page, () => true));
  const before = await Promise.all(figures.map((figure) => refreshesOf(page, figure)));
  await typeInTerminal(page, `${command}\r`);
  await waitForTerminal(page, (text) => countPrompts(text) > prompts, COMMAND_TIMEOUT_MS);
  await Promise.all(
    figures.map((figure, i) => waitForRefresh(page, figure, before[i]!, COMMAND_TIMEOUT_MS)),
  );
}

/** The selector of the figure of `view`. */
export function figureOf(view: string): string {
  return `cotton-figure[data-view="${view}"]`;
}
