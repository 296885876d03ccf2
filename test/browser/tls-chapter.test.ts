/**
 * The TLS chapter in a real browser: the page's machine boots with the book's
 * disk (the root CA in /etc/ssl/certs) on the simulated network, fetches
 * example.com's page over HTTPS, refuses a certificate for another name, and
 * every exercise's Check passes on the reference kernel in the page's worker.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
  await context?.close();
  await browser?.close();
});

/** Type a command and wait for its output to match. */
async function run(command: string, expected: RegExp): Promise<void> {
  const prompts = countPrompts(await waitForTerminal(page, () => true));
  await typeInTerminal(page, `${command}\r`);
  const text = await waitForTerminal(page, (t) => countPrompts(t) > prompts);
  expect(text.slice(text.lastIndexOf(command))).toMatch(expected);
}

describe('the TLS chapter', () => {
  it('fetches a page over HTTPS, refuses a wrong host, and the exercises pass on the reference', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${inject('bookUrl')}/tls/`);
    await waitForTerminal(page, (text) => countPrompts(text) > 0);

    await run('tlsroots', /CottonOS Book Root CA/);
    await run(
      'httpsget example.com /',
      /certificate for example\.com trusted[\s\S]*HTTP 200 OK[\s\S]*Example Domain/,
    );
    await run('httpsget wrong-host.cotton.test /', /hostname mismatch/);

    const exercises = page.locator('cotton-exercise');
    const count = await exercises.count();
    expect(count).toBe(3);
    for (let i = 0; i < count; i++) {
      const exercise = exercises.nth(i);
      await exercise.locator('[data-action="check"]').click();
      const summary = exercise.locator('.cx-summary');
      await expect
        .poll(() => summary.textContent(), { timeout: 120_000, interval: 250 })
        .toMatch(/checks pass/);
      expect(await summary.textContent(), `exercise ${i + 1}`).toMatch(/^All \d+ checks pass/);
    }
    expect(errors).toEqual([]);
  }, 300_000);
});
