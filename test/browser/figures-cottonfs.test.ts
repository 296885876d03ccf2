/**
 * The CottonFS chapter's live figures in a real browser: the disk's layout,
 * the block map, a file's pointer tree and the journal keep the book's picture until the
 * reader acts; after the reader types the chapter's own script the page draws
 * the same SVGs as the build (Node and the browser run the same machine); a
 * file written adds blocks to the map and a transaction to the journal;
 * `inode` points the tree at another file; a cell shows its blocks' file when
 * it has keyboard focus.
 */
import { describe, expect, it } from 'vitest';
import { PROMPT_TIMEOUT_MS } from './book';
import { figureBox, staticFigureBox } from './figures';
import {
  BOOT_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  chapterBrowser,
  figureOf,
  runAndRedraw,
} from './chapter-page';

const LAYOUT = figureOf('disk-layout');
const BLOCK_MAP = figureOf('block-map');
const INODE_TREE = figureOf('inode-tree');
const ALL = [LAYOUT, BLOCK_MAP, INODE_TREE];
/**
 * Drawn after the same write, a block added and a `sync` after each: the disk at rest, which
 * the flusher leaves alone, and a last transaction of one write, whenever the flusher committed.
 */
const JOURNAL = figureOf('journal');
const JOURNAL_SCRIPT = ['sync', 'fill /home/reader/notes.txt 4K 300K', 'sync'];

const book = chapterBrowser();

/** "logged copy 1 of 5, of block 0; ...": what the journal figure says the last transaction holds. */
const loggedCopies = (svg: string): string =>
  [...svg.matchAll(/aria-label="block \d+: (logged copy [^"]*)"/g)].map((m) => m[1]).join('; ');

/** "data blocks: 221 used": the block map's count of used data blocks. */
const usedBlocks = (svg: string): number => Number(/data blocks: (\d+) used/.exec(svg)?.[1]);

describe('the CottonFS chapter’s figures', () => {
  it(
    'keep the book’s picture, then draw the build’s SVGs once the reader typed the same script',
    async () => {
      const { page, errors } = await book.open('cottonfs/');
      for (const figure of [...ALL, JOURNAL]) {
        expect(await page.getAttribute(figure, 'data-state')).toBe('built');
        expect(await staticFigureBox(page, figure)).toContain('cf-part');
      }
      expect(await page.textContent(`${BLOCK_MAP} .cf-source`)).toMatch(
        /in the book.s machine after “fill \/home\/reader\/notes\.txt 300K”/,
      );
      await runAndRedraw(page, 'fill /home/reader/notes.txt 300K', ALL);
      for (const figure of ALL) {
        const source = await page.textContent(`${figure} .cf-source`);
        expect(await page.getAttribute(figure, 'data-state'), `${figure}: ${source}`).toBe('live');
        expect(await figureBox(page, figure), figure).toBe(await staticFigureBox(page, figure));
      }
      for (const line of JOURNAL_SCRIPT) await runAndRedraw(page, line, [JOURNAL]);
      expect(await page.getAttribute(JOURNAL, 'data-state')).toBe('live');
      expect(await figureBox(page, JOURNAL)).toBe(await staticFigureBox(page, JOURNAL));
      expect(errors).toEqual([]);
    },
    BOOT_TIMEOUT_MS + PROMPT_TIMEOUT_MS + COMMAND_TIMEOUT_MS,
  );

  it(
    'follow the machine: a file written adds blocks to the map, `inode` redraws the tree',
    async () => {
      const { page, errors } = await book.open('cottonfs/');
      // A view reads only what the block cache holds, waiting while the flusher commits: `sync`
      // lets the flusher finish its commit, so the view after it sees the disk at rest.
      await runAndRedraw(page, 'fill /home/reader/small 4K', ALL);
      await runAndRedraw(page, 'sync', [...ALL, JOURNAL]);
      expect(await page.getAttribute(BLOCK_MAP, 'data-state')).toBe('live');
      const atRest = await figureBox(page, JOURNAL);
      expect(atRest).toContain('In the cache: no changed block');
      await runAndRedraw(page, 'fill /home/reader/small 8K', [JOURNAL]);
      await runAndRedraw(page, 'sync', [JOURNAL]);
      // The write's transaction: its new data block logged, and nothing left in the cache.
      const logged = async () => loggedCopies(await figureBox(page, JOURNAL));
      await expect.poll(logged, { timeout: COMMAND_TIMEOUT_MS }).not.toBe(loggedCopies(atRest));
      expect(await figureBox(page, JOURNAL)).toContain('In the cache: no changed block');
      const before = usedBlocks(await figureBox(page, BLOCK_MAP));
      await runAndRedraw(page, 'fill /home/reader/big 2M', ALL);
      await runAndRedraw(page, 'sync', ALL);
      // 512 data blocks and the indirect table that names 500 of them. A redraw asked for
      // while one runs comes after it: wait for the one after `fill`.
      const grown = async () => usedBlocks(await figureBox(page, BLOCK_MAP)) - before;
      await expect.poll(grown, { timeout: COMMAND_TIMEOUT_MS }).toBe(513);
      const after = await figureBox(page, BLOCK_MAP);
      expect(after).toContain('/home/reader/big (inode');
      await runAndRedraw(page, 'inode /home/reader/big', [INODE_TREE]);
      const treeOfBig = async () =>
        (await figureBox(page, INODE_TREE)).includes('/home/reader/big');
      await expect.poll(treeOfBig, { timeout: COMMAND_TIMEOUT_MS }).toBe(true);
      const tree = await figureBox(page, INODE_TREE);
      expect(tree).toMatch(/table \d+: 500 of 1024/);
      const cell = page.locator(`${BLOCK_MAP} .cf-part[aria-label*="/home/reader/big"]`).first();
      const label = await cell.getAttribute('aria-label');
      await cell.focus();
      expect(await page.textContent(`${BLOCK_MAP} .cf-detail`)).toBe(label);
      expect(label).toMatch(
        /^blocks \d+–\d+: \d+ of 32 used by .*\/home\/reader\/big \(inode \d+\)/,
      );
      expect(errors).toEqual([]);
    },
    BOOT_TIMEOUT_MS + COMMAND_TIMEOUT_MS * 6,
  );
});
