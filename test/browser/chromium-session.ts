/**
 * Shared set-up of the browser tests that go through many pages: one Chromium
 * for the test file, a fresh context (empty storage) per page, closed after
 * each test.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './book';

export interface ChromiumSession {
  /** A fresh context (the last one is closed): 1280×1000 unless `options` say otherwise. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Launch Chromium before the file's tests and close it after; close each test's context. */
export function useChromium(): ChromiumSession {
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = null;
  });
  return {
    async newContext(options = {}) {
      await context?.close();
      context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
      return context;
    },
  };
}
