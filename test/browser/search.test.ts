/**
 * The book's search (Starlight's search box, Pagefind's UI): its code is not
 * fetched with the page nor in its idle time, only once the reader points at
 * the search button or opens the search (vite-plugin-search-on-open.ts); and
 * then it works: the button and Ctrl+K open it with the input focused, and a
 * query finds the chapter that speaks of it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requestedPaths, waitForSpareTime } from './book';
import { chapterBrowser } from './chapter-page';

const book = chapterBrowser();

/** Whether the page has requested Pagefind's UI (the `ui-core` chunk). */
const fetchedSearchUi = async (page: Page): Promise<boolean> =>
  (await requestedPaths(page, /\/ui-core\.[\w-]+\.js$/)).length > 0;

/** Search for `query` in the open search dialog; the results' link texts. */
async function searchFor(page: Page, query: string): Promise<string[]> {
  const input = page.locator('#starlight__search input');
  await expect
    .poll(() => input.evaluate((element) => element === document.activeElement))
    .toBe(true);
  await input.fill(query);
  const links = page.locator('#starlight__search .pagefind-ui__result-link');
  await links.first().waitFor({ timeout: 30_000 });
  return links.allTextContents();
}

describe('search', () => {
  it('is fetched only when the reader reaches for it, then finds chapters', async () => {
    const { page, errors } = await book.open('boot/');
    await waitForSpareTime(page);
    expect(await fetchedSearchUi(page)).toBe(false);
    const button = page.locator('site-search button[data-open-modal]');
    await button.hover();
    await expect.poll(() => fetchedSearchUi(page)).toBe(true);
    await button.click();
    const titles = await searchFor(page, 'page tables');
    expect(titles.join('\n')).toMatch(/Paging/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('opens with Ctrl+K, its code fetched then', async () => {
    const { page, errors } = await book.open('scheduler/');
    await waitForSpareTime(page);
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+k');
    expect(await searchFor(page, 'scheduler')).not.toEqual([]);
    expect(await fetchedSearchUi(page)).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
