/**
 * The paging, scheduler and CottonFS chapters in a real browser: each page's
 * machine boots the full kernel (init, the programs on /bin, the reader's
 * disk), runs the chapter's inspection commands, and every exercise's Check
 * passes on the reference kernel in the page's worker, as it must before a
 * reader starts it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chapterBrowser, checkEveryExercise, runCommand } from './chapter-page';

const book = chapterBrowser();
let page: Page;

async function openChapter(path: string): Promise<string[]> {
  const chapter = await book.open(`${path}/`);
  page = chapter.page;
  return chapter.errors;
}

/** Type a command and wait for its output to match. */
async function run(command: string, expected: RegExp): Promise<void> {
  expect(await runCommand(page, command)).toMatch(expected);
}

describe('the kernel-core chapters', () => {
  it('paging: walk and vm read the live page tables, and the exercises pass on the reference', async () => {
    const errors = await openChapter('paging');
    await run('walk 1 0x10000', /PML4[\s\S]*PT[\s\S]*0x/);
    await run('crash kernel', /SIGSEGV: address not mapped at 0x00100000/);
    expect(await checkEveryExercise(page)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);

  it('scheduler: programs run in the background and the exercises pass on the reference', async () => {
    const errors = await openChapter('scheduler');
    await run('spin 3 A &', /\[\d+\]/);
    await run('ps', /\/bin\/init/);
    expect(await checkEveryExercise(page)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);

  it("CottonFS: the root is the reader's disk, blocks maps it, and the exercises pass on the reference", async () => {
    const errors = await openChapter('cottonfs');
    await run('mount', /cottonfs "cottonos" on \//);
    await run('blocks', /#/);
    expect(await checkEveryExercise(page)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 240_000);
});
