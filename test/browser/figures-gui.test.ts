/**
 * The GUI chapter's live figures in a real browser: after the book's three
 * `launch` commands at the serial console the window stack is redrawn from
 * the reader's desktop, the same SVG as the build's; a fourth window goes on
 * top with the focus, and the damage figure shows the frames that drew it.
 */
import { describe, expect, it } from 'vitest';
import { figureBox, staticFigureBox } from './figures';
import {
  BOOT_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  figureOf,
  chapterBrowser,
  runAndRedraw,
} from './chapter-page';

const STACK = figureOf('window-stack');
const DAMAGE = figureOf('desktop-damage');
const BOTH = [STACK, DAMAGE];

const book = chapterBrowser();

describe(
  'the GUI chapter’s figures',
  () => {
    it('follow the desktop: the book’s windows as built, then a new window on top and its damage', async () => {
      const { page, errors } = await book.open('gui/');
      await page.click('cotton-machine .cm-view-tab[data-view="terminal"]');
      const built = await staticFigureBox(page, STACK);
      expect(built).toContain('window 3 System Info: 442x275 at 104,88, has the keyboard');
      for (const app of ['terminal', 'files', 'sysinfo']) {
        await runAndRedraw(page, `launch ${app}`, BOTH);
      }
      expect(await page.getAttribute(STACK, 'data-state')).toBe('live');
      expect(await figureBox(page, STACK)).toBe(built);

      const damageBefore = await figureBox(page, DAMAGE);
      await runAndRedraw(page, 'launch editor', BOTH);
      const stack = await figureBox(page, STACK);
      expect(stack).toContain('2. 4 untitled - Text Editor *');
      expect(stack).toMatch(
        /window 4 untitled - Text Editor: \d+x\d+ at \d+,\d+, has the keyboard/,
      );
      expect(await figureBox(page, DAMAGE)).not.toBe(damageBefore);
      expect(errors).toEqual([]);
    });
  },
  BOOT_TIMEOUT_MS + COMMAND_TIMEOUT_MS * 6,
);
