/**
 * The book's machine boots the kernel it ships transpiled: the first load
 * fetches no transpiler, the boot log keeps its virtual timestamps (the boot
 * runs in fast mode up to the prompt), and an edited kernel, transpiled in
 * the worker on demand, still boots after Reboot, twice in a row (the second
 * time on a worker started ahead).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  press,
  replaceFile,
  waitForStatus,
  waitForTerminal,
} from './book';

const ENTRY = 'src/kernel/boot/entry.ts';
const ORIGINAL = readFileSync(join(import.meta.dirname, '..', '..', ENTRY), 'utf8');
/** Scripts Vite names after the transpiler's module, or the transpiler's package. */
const TRANSPILER = /\/(transpile|sucrase)[^/]*\.js$/;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
const scripts: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  // The context sees the requests of the page's workers too; the service worker's precache
  // (the whole book, for offline reading) is not what the machine loads.
  context.on('request', (request) => {
    if (request.url().endsWith('.js') && !request.serviceWorker()) scripts.push(request.url());
  });
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

/** Make the reader's version of ENTRY say `label` in its frame-allocator line, and reboot. */
async function rebootWithEdit(label: string): Promise<string> {
  const edited = ORIGINAL.replace('`frame allocator: ', `\`frame allocator (${label}): `);
  expect(edited).not.toBe(ORIGINAL);
  await replaceFile(page, ENTRY, edited);
  await press(page, 'reboot');
  return waitForTerminal(
    page,
    (text) => text.includes(`frame allocator (${label}): `) && countPrompts(text) > 0,
  );
}

describe('the pre-transpiled kernel', () => {
  it('boots to the prompt without fetching the transpiler, with virtual timestamps', async () => {
    await page.goto(`${inject('bookUrl')}/boot/`);
    const text = await waitForTerminal(page, (shown) => countPrompts(shown) > 0);
    await waitForStatus(page, 'running');
    expect(text).toMatch(/\[ {4}0\.0\d{5}\] mm: frame allocator: /);
    expect(scripts.some((url) => url.includes('machine-worker'))).toBe(true);
    expect(scripts.filter((url) => TRANSPILER.test(url))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('boots an edited kernel after Reboot, transpiling the edit in the worker', async () => {
    await rebootWithEdit('first edit');
    await waitForStatus(page, 'running');
    expect(scripts.filter((url) => TRANSPILER.test(url)).length).toBeGreaterThan(0);
    await rebootWithEdit('second edit');
    await waitForStatus(page, 'running');
    expect(errors).toEqual([]);
  });
});
