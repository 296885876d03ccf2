/**
 * The Boot chapter's live figures in a real browser (the memory map and the
 * boot's stages): the build-time figure is in the page before the machine
 * boots; once the machine is at its prompt and the reader comes near it, the
 * page redraws it from the running kernel, the same SVG as the build's (Node
 * and the browser boot the same machine); a command that changes the
 * kernel's state changes the figure; a part shows its details on focus; on a
 * narrow screen the figure scrolls in its box instead of widening the page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  PROMPT_TIMEOUT_MS,
  typeInTerminal,
  requestedPaths,
  waitForSpareTime,
  waitForTerminal,
} from './book';
import { useChromium } from './chromium-session';
import { figureBox, refreshesOf, staticFigureBox, waitForRefresh } from './figures';

const chromium = useChromium();
let page: Page;
let errors: string[];

async function openChapter(width = 1280): Promise<void> {
  const context = await chromium.newContext({ viewport: { width, height: 1000 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${inject('bookUrl')}/boot/`);
}

/** Wait for the machine's first prompt, and for the figures to have followed it. */
async function booted(): Promise<void> {
  await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
  await waitForRefresh(page, MEMORY_MAP, 0);
}

const MEMORY_MAP = 'cotton-figure[data-view="memory-map"]';
const BOOT_STAGES = 'cotton-figure[data-view="boot-stages"]';
/** A first boot in a fresh browser builds the reader's disk: slow on a loaded machine. */
const BOOT_TIMEOUT_MS = 90_000;

describe(
  'the Boot chapter’s memory map figure',
  () => {
    it('is drawn at build time, then redrawn from the booted machine, identical', async () => {
      await openChapter();
      const built = await staticFigureBox(page, MEMORY_MAP);
      expect(built).toContain('cf-part');
      await booted();
      expect(await page.getAttribute(MEMORY_MAP, 'data-state')).toBe('live');
      expect(await figureBox(page, MEMORY_MAP)).toBe(built);
      await waitForRefresh(page, BOOT_STAGES, 0);
      expect(await figureBox(page, BOOT_STAGES)).toBe(await staticFigureBox(page, BOOT_STAGES));
      expect(await page.textContent(`${MEMORY_MAP} .cf-source`)).toMatch(/in your machine\.$/);
      expect(errors).toEqual([]);
    });

    it('follows the machine: a new process takes frames and the figure shows them', async () => {
      await openChapter();
      await booted();
      const before = await figureBox(page, MEMORY_MAP);
      const frames = (svg: string) => /frames: \d+ of 4 KiB, (\d+) used/.exec(svg)?.[1];
      const refreshes = await refreshesOf(page, MEMORY_MAP);
      await typeInTerminal(page, 'spin &\r');
      await waitForTerminal(page, (text) => countPrompts(text) >= 2);
      await waitForRefresh(page, MEMORY_MAP, refreshes);
      const after = await figureBox(page, MEMORY_MAP);
      expect(Number(frames(after))).toBeGreaterThan(Number(frames(before)));
    });

    it('waits for the reader to come near before it follows the machine', async () => {
      await openChapter();
      await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
      await typeInTerminal(page, 'spin &\r');
      await waitForTerminal(page, (text) => countPrompts(text) >= 2);
      await waitForSpareTime(page);
      expect(await refreshesOf(page, MEMORY_MAP)).toBe(0);
      expect(await page.getAttribute(MEMORY_MAP, 'data-state')).toBe('built');
      const renderers = async () =>
        (await requestedPaths(page, /\/figures\.[\w-]+\.js$/)).length > 0;
      expect(await renderers()).toBe(false);
      await waitForRefresh(page, MEMORY_MAP, 0);
      expect(await page.getAttribute(MEMORY_MAP, 'data-state')).toBe('live');
      expect(await refreshesOf(page, MEMORY_MAP)).toBe(1);
      expect(await renderers()).toBe(true);
      expect(errors).toEqual([]);
    });

    it('shows a part’s details when it has keyboard focus', async () => {
      await openChapter();
      const part = page.locator(`${MEMORY_MAP} .cf-part`).nth(1);
      const label = await part.getAttribute('aria-label');
      await part.focus();
      expect(await page.textContent(`${MEMORY_MAP} .cf-detail`)).toBe(label);
    });

    it('scrolls in its box on a narrow screen instead of widening the page', async () => {
      await openChapter(375);
      const sizes = await page.$eval(MEMORY_MAP, (figure) => {
        const box = figure.querySelector('.cf-box')!;
        return {
          figureRight: figure.getBoundingClientRect().right,
          viewport: document.documentElement.clientWidth,
          boxScrolls: box.scrollWidth > box.clientWidth,
        };
      });
      expect(sizes.figureRight).toBeLessThanOrEqual(sizes.viewport);
      expect(sizes.boxScrolls).toBe(true);
    });
  },
  BOOT_TIMEOUT_MS + PROMPT_TIMEOUT_MS * 2,
);
