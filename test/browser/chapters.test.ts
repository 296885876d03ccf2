/**
 * The paging, scheduler and CottonFS chapters in a real browser: each page's
 * machine boots the full kernel (init, the programs on /bin, the reader's
 * disk), runs the chapter's inspection commands, and every exercise's Check
 * passes on the reference kernel in the page's worker, as it must before a
 * reader starts it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  typeInTerminal,
  waitForTerminal,
} from './book';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await context?.close();
});

async function openChapter(path: string): Promise<string[]> {
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${inject('bookUrl')}/${path}/`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0);
  return errors;
}

/** Type a command and wait for its output to match. */
async function run(command: string, expected: RegExp): Promise<void> {
  const prompts = countPrompts(await waitForTerminal(page, () => true));
  await typeInTerminal(page, `${command}\r`);
  const text = await waitForTerminal(page, (t) => countPrompts(t) > prompts);
  expect(text).toMatch(expected);
}

/** Press Check on every exercise of the page, one after the other; each must pass on the reference kernel. */
async function checkEveryExercise(): Promise<number> {
  const exercises = page.locator('cotton-exercise');
  const count = await exercises.count();
  for (let i = 0; i < count; i++) {
    const exercise = exercises.nth(i);
    await exercise.locator('[data-action="check"]').click();
    const summary = exercise.locator('.cx-summary');
    await expect
      .poll(() => summary.textContent(), { timeout: 120_000, interval: 250 })
      .toMatch(/checks pass/);
    expect(await summary.textContent(), `exercise ${i + 1}`).toMatch(/^All \d+ checks pass/);
  }
  return count;
}

describe('the kernel-core chapters', () => {
  it('paging: walk and vm read the live page tables, and the exercises pass on the reference', async () => {
    const errors = await openChapter('paging');
    await run('walk 1 0x10000', /PML4[\s\S]*PT[\s\S]*0x/);
    await run('crash kernel', /SIGSEGV: address not mapped at 0x00100000/);
    expect(await checkEveryExercise()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);

  it('scheduler: programs run in the background and the exercises pass on the reference', async () => {
    const errors = await openChapter('scheduler');
    await run('spin 3 A &', /\[\d+\]/);
    await run('ps', /\/bin\/init/);
    expect(await checkEveryExercise()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);

  it("CottonFS: the root is the reader's disk, blocks maps it, and the exercises pass on the reference", async () => {
    const errors = await openChapter('cottonfs');
    await run('mount', /cottonfs "cottonos" on \//);
    await run('blocks', /#/);
    expect(await checkEveryExercise()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);
});
