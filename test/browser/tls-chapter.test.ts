/**
 * The TLS chapter in a real browser: the page's machine boots with the book's
 * disk (the root CA in /etc/ssl/certs) on the simulated network, fetches
 * example.com's page over HTTPS, refuses a certificate for another name, and
 * every exercise's Check passes on the reference kernel in the page's worker.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chapterBrowser, checkEveryExercise, runCommand } from './chapter-page';

const book = chapterBrowser();
let page: Page;

/** Type a command and wait for its output to match. */
async function run(command: string, expected: RegExp): Promise<void> {
  expect(await runCommand(page, command)).toMatch(expected);
}

describe('the TLS chapter', () => {
  it('fetches a page over HTTPS, refuses a wrong host, and the exercises pass on the reference', async () => {
    const chapter = await book.open('tls/');
    page = chapter.page;
    const { errors } = chapter;

    await run('tlsroots', /CottonOS Book Root CA/);
    await run(
      'httpsget example.com /',
      /certificate for example\.com trusted[\s\S]*HTTP 200 OK[\s\S]*Example Domain/,
    );
    await run('httpsget wrong-host.cotton.test /', /hostname mismatch/);

    const count = await checkEveryExercise(page);
    expect(count).toBe(3);
    expect(errors).toEqual([]);
  }, 300_000);
});
