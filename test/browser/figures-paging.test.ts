/**
 * The Paging chapter's live figures in a real browser: the page-walk figure
 * drawn at build time after `walk 1 0x7ffff000` is redrawn from the reader's
 * machine when they walk another address, and equals the build's when they
 * walk the same one; the address-space figure follows `vm`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  PROMPT_TIMEOUT_MS,
  terminalText,
  typeInTerminal,
  waitForTerminal,
} from './book';
import { figureBox, refreshesOf, staticFigureBox, waitForRefresh } from './figures';

const PAGE_WALK = 'cotton-figure[data-view="page-walk"]';
const ADDRESS_SPACE = 'cotton-figure[data-view="address-space"]';
/** A first boot in a fresh browser builds the reader's disk: slow on a loaded machine. */
const BOOT_TIMEOUT_MS = 90_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${inject('bookUrl')}/paging/`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
}, BOOT_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(() => {
  expect(errors).toEqual([]);
});

/** Type a command, wait for its prompt and for `figure` to have followed it. */
async function run(line: string, figure: string): Promise<void> {
  const before = await refreshesOf(page, figure);
  const prompts = countPrompts(await terminalText(page));
  await typeInTerminal(page, `${line}\r`);
  await waitForTerminal(page, (text) => text.includes(line) && countPrompts(text) > prompts);
  await waitForRefresh(page, figure, before);
}

describe(
  'the Paging chapter’s figures',
  () => {
    it('keep the book’s picture until the reader runs a command', async () => {
      expect(await page.getAttribute(PAGE_WALK, 'data-state')).toBe('built');
      expect(await page.textContent(`${PAGE_WALK} .cf-source`)).toContain(
        "in the book's machine after “walk 1 0x7ffff000”",
      );
    });

    it('redraw the walk tree for a new address, with its indices', async () => {
      const built = await staticFigureBox(page, PAGE_WALK);
      await run('walk 1 0x10000', PAGE_WALK);
      const tree = await figureBox(page, PAGE_WALK);
      expect(tree).not.toBe(built);
      expect(tree).toContain('walk 0x10000 in pid 1 (init)');
      expect(tree).toContain('[16] P US A OWN');
      expect(await page.getAttribute(PAGE_WALK, 'data-state')).toBe('live');
      await run('walk 1 0x7f800000', PAGE_WALK);
      expect(await figureBox(page, PAGE_WALK)).toContain('[508] not present');
    });

    it('draw the same SVG as the build for the same walk', async () => {
      await run('walk 1 0x7ffff000', PAGE_WALK);
      expect(await figureBox(page, PAGE_WALK)).toBe(await staticFigureBox(page, PAGE_WALK));
    });

    it('show an entry’s flags when it has keyboard focus', async () => {
      const entry = page.locator(`${PAGE_WALK} .cf-part[aria-label^="PT["]`);
      await entry.focus();
      expect(await page.textContent(`${PAGE_WALK} .cf-detail`)).toMatch(
        /^PT\[511\] = 0x80000000_[0-9a-f]{8}: P RW US A D OWN NX → page at 0x/,
      );
    });

    it('follow vm to the process the reader asks about', async () => {
      await run('httpd &', ADDRESS_SPACE);
      await run('vm 6', ADDRESS_SPACE);
      const space = await figureBox(page, ADDRESS_SPACE);
      expect(space).toContain('pid 6 (httpd)');
      expect(space).toContain('data  rw-');
    });
  },
  PROMPT_TIMEOUT_MS * 3,
);
