/**
 * The Scheduler chapter's live figures in a real browser: the timeline keeps
 * the book's picture (three spins, one niced) until the reader acts, then
 * shows the last 300 ticks of the reader's machine after each command: spins
 * started by the reader appear on it in turns of one quantum, the ready queues
 * show them waiting their turn (the one in the middle of its quantum runs, and
 * is in no queue), and a slice shows its ticks and how it ended
 * when it has keyboard focus.
 */
import { describe, expect, it } from 'vitest';
import { figureBox, staticFigureBox } from './figures';
import {
  BOOT_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  chapterBrowser,
  figureOf,
  runAndRedraw,
} from './chapter-page';

const TIMELINE = figureOf('sched-timeline');
const QUEUES = figureOf('run-queues');

const book = chapterBrowser();

/** The rows of the timeline: "6 spin · pri 2". */
const rows = (svg: string): string[] =>
  [...svg.matchAll(/class="cf-text cf-small[^"]*">(\d+ [^<]+ · pri \d)</g)].map((m) => m[1]!);

describe('the Scheduler chapter’s figures', () => {
  it(
    'keep the book’s picture, then follow the reader’s spins, one quantum at a time',
    async () => {
      const { page, errors } = await book.open('scheduler/');
      expect(await page.getAttribute(TIMELINE, 'data-state')).toBe('built');
      const built = await staticFigureBox(page, TIMELINE);
      expect(rows(built).filter((row) => row.includes(' spin · '))).toHaveLength(3);
      expect(built).toContain('one quantum: 10 ticks');

      await runAndRedraw(page, 'spin 300 A &', [TIMELINE, QUEUES]);
      await runAndRedraw(page, 'spin 300 B &', [TIMELINE, QUEUES]);
      await runAndRedraw(page, 'sched 100', [TIMELINE, QUEUES]);
      expect(await page.getAttribute(TIMELINE, 'data-state')).toBe('live');
      // A redraw asked for while one runs comes after it: wait for the one after `sched`.
      const spins = async () =>
        rows(await figureBox(page, TIMELINE)).filter((row) => row.includes(' spin · pri 2'));
      await expect.poll(spins, { timeout: COMMAND_TIMEOUT_MS }).toHaveLength(2);
      const live = await figureBox(page, TIMELINE);
      expect(live).toMatch(/pid \d+ spin: ticks \d+–\d+ \(10 ms\); used up its quantum/);

      // The queues hold the tasks that wait: a spin in the middle of its quantum runs, and is in
      // none. Views taken one after the other find both spins waiting at a quantum's end.
      const waiting = async () => {
        await page.evaluate(
          (figure) =>
            document.querySelector<HTMLElement & { refresh(): Promise<void> }>(figure)!.refresh(),
          QUEUES,
        );
        return (await figureBox(page, QUEUES)).match(
          /aria-label="pid \d+ spin at level 2: waited \d+ ms/g,
        );
      };
      await expect.poll(waiting, { timeout: COMMAND_TIMEOUT_MS }).toHaveLength(2);
      const queues = await figureBox(page, QUEUES);
      expect(queues).toContain('; it runs next');

      const slice = page.locator(`${TIMELINE} .cf-part[aria-label*="then preempted"]`).first();
      const label = await slice.getAttribute('aria-label');
      await slice.focus();
      expect(await page.textContent(`${TIMELINE} .cf-detail`)).toBe(label);
      expect(label).toMatch(/^pid \d+ spin: ticks \d+–\d+/);
      expect(errors).toEqual([]);
    },
    BOOT_TIMEOUT_MS + COMMAND_TIMEOUT_MS * 4,
  );
});
