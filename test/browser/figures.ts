/**
 * Reading the book's live figures (<cotton-figure>, figure-element.ts) in the
 * browser tests: the SVG as built, the SVG as drawn now, and waiting for the
 * page to redraw a figure from its machine.
 */
import type { Page } from 'playwright-core';
import { PROMPT_TIMEOUT_MS } from './book';

/** The figure's SVG as the page shows it now (its box's markup). */
export function figureBox(page: Page, selector: string): Promise<string> {
  return page.$eval(`${selector} .cf-box`, (box) => box.innerHTML);
}

/** The figure's SVG as the build wrote it: the page's HTML fetched again and parsed by the browser. */
export function staticFigureBox(page: Page, selector: string): Promise<string> {
  return page.evaluate(async (wanted) => {
    const html = await (await fetch(location.href)).text();
    const built = new DOMParser().parseFromString(html, 'text/html');
    return built.querySelector(`${wanted} .cf-box`)?.innerHTML ?? '';
  }, selector);
}

/**
 * A message diagram without its times ("+2 ms", "2 ms"): the messages are the
 * machine's, but a millisecond depends on where the worker's slice ended when
 * the reader's command arrived, which the build cannot know.
 */
export const withoutTimes = (svg: string): string => svg.replace(/\+?\d+ ms/g, 'N ms');

/** How many times the figure has taken its view from the machine. */
export async function refreshesOf(page: Page, selector: string): Promise<number> {
  return Number(await page.getAttribute(selector, 'data-refreshes'));
}

/**
 * Wait until the figure has taken its view more than `before` times. The
 * reader scrolls to it first: a figure follows the machine once the reader
 * has come near it.
 */
export async function waitForRefresh(
  page: Page,
  selector: string,
  before: number,
  timeoutMs = PROMPT_TIMEOUT_MS,
): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForFunction(
    ({ wanted, count }) =>
      Number(document.querySelector(wanted)?.getAttribute('data-refreshes')) > count,
    { wanted: selector, count: before },
    { timeout: timeoutMs },
  );
}
