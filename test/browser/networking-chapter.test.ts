/**
 * The networking chapter in a real browser: the page's machine boots with
 * its network card on the simulated network (the lease taken at boot), asks
 * for a lease again, resolves example.com and fetches its page, the figures
 * drawn from the build-time capture are on the page, Capture downloads the
 * machine's frames as a pcap file, and every exercise's
 * Check passes on the reference kernel in the page's worker.
 */
import { readFileSync } from 'node:fs';
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

describe('the networking chapter', () => {
  it('boots on the simulated network: dhcp, dns and httpget work, and the exercises pass on the reference', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${inject('bookUrl')}/networking/`);
    const boot = await waitForTerminal(page, (text) => countPrompts(text) > 0);
    expect(boot).toMatch(/dhcp: lease 10\.0\.2\.15\/24/);

    await run('dhcp', /lease 10\.0\.2\.15\/24 from 10\.0\.2\.2/);
    await run('dns example.com', /example\.com has address 93\.184\.215\.14/);
    await run('httpget example.com /', /HTTP 200 OK[\s\S]*Example Domain[\s\S]*bytes in/);

    // Capture downloads the frames since boot as a pcap file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('cotton-machine [data-action="capture"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('cottonos-network.pcap');
    const pcap = readFileSync((await download.path())!);
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.length).toBeGreaterThan(2000); // DHCP, DNS and the HTTP exchange

    // The figures come from the capture made at build time.
    await expect.poll(() => page.locator('.pc-list').first().textContent()).toMatch(/DHCPDISCOVER/);
    expect(await page.locator('.ts-svg').count()).toBeGreaterThanOrEqual(2);

    const exercises = page.locator('cotton-exercise');
    const count = await exercises.count();
    expect(count).toBeGreaterThanOrEqual(3);
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
