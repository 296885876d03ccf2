/**
 * The networking chapter in a real browser: the page's machine boots with
 * its network card on the simulated network (the lease taken at boot), asks
 * for a lease again, resolves example.com and fetches its page, the figures
 * drawn from the build-time capture are on the page, Capture downloads the
 * machine's frames as a pcap file, and every exercise's
 * Check passes on the reference kernel in the page's worker.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chapterBrowser, checkEveryExercise, runCommand } from './chapter-page';

const book = chapterBrowser();
let page: Page;

/** Type a command and wait for its output to match. */
async function run(command: string, expected: RegExp): Promise<void> {
  expect(await runCommand(page, command)).toMatch(expected);
}

describe('the networking chapter', () => {
  it('boots on the simulated network: dhcp, dns and httpget work, and the exercises pass on the reference', async () => {
    const chapter = await book.open('networking/');
    page = chapter.page;
    const { errors } = chapter;
    expect(chapter.boot).toMatch(/dhcp: lease 10\.0\.2\.15\/24/);

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

    const count = await checkEveryExercise(page);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 300_000);
});
