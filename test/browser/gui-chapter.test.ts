/**
 * The GUI chapter in a real browser: its machine boots into the desktop, the
 * reader's mouse on the canvas opens and drags a window (the canvas's pixels
 * before and after say so), keys typed on the screen reach the shell in a
 * desktop Terminal window, Escape leaves the screen, and every exercise's
 * Check passes on the reference kernel in the page's worker.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chapterBrowser, checkEveryExercise, runCommand } from './chapter-page';

/** From src/kernel/gui: the desktop's colour, the Apps button, the launcher's first row, a title bar. */
const DESKTOP_BACKGROUND = [0x3a, 0x6e, 0xa5];
const TITLE_BAR_ACTIVE = [0xe8, 0xe8, 0xe8];
const APPS_BUTTON = { x: 36, y: 753 };
const LAUNCHER_TERMINAL = { x: 60, y: 641 };
/** The first window opens at (48, 32), 650 × 417 for a Terminal. */
const TERMINAL_TITLE = { x: 300, y: 44 };
const TERMINAL_CLIENT = { x: 300, y: 250 };
/** The drag: 200 right, 150 down. */
const DRAG = { x: 200, y: 150 };
/**
 * A point of the title bar away from where it was grabbed: after a drag the
 * machine's pointer (its black-outlined arrow) covers the grabbed point.
 */
const TITLE_AWAY_FROM_POINTER = { x: 200, y: 0 };

const book = chapterBrowser();
let page: Page;

/** The canvas pixel at framebuffer (x, y) as [r, g, b]. */
function pixel(x: number, y: number): Promise<number[]> {
  return page.locator('cotton-machine .cm-screen').evaluate(
    (canvas, [px, py]) => {
      const data = (canvas as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(px!, py!, 1, 1).data;
      return [data[0]!, data[1]!, data[2]!];
    },
    [x, y],
  );
}

async function waitForPixel(x: number, y: number, colour: number[], what: string): Promise<void> {
  await expect
    .poll(() => pixel(x, y), { timeout: 30_000, interval: 100, message: what })
    .toEqual(colour);
}

/**
 * Where framebuffer (x, y) is on the page: the canvas is scaled to its column.
 * The mouse acts only inside the viewport (Chromium drops events outside it,
 * and page.mouse does not scroll), so a point below the fold is an error here
 * rather than a click that silently goes nowhere.
 */
async function onPage(x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('cotton-machine .cm-screen').boundingBox())!;
  const point = {
    x: box.x + ((x + 0.5) * box.width) / 1024,
    y: box.y + ((y + 0.5) * box.height) / 768,
  };
  const viewport = page.viewportSize()!;
  if (point.x < 0 || point.y < 0 || point.x >= viewport.width || point.y >= viewport.height)
    throw new Error(
      `framebuffer (${x}, ${y}) is outside the viewport, at (${point.x}, ${point.y})`,
    );
  return point;
}

async function click(x: number, y: number): Promise<void> {
  const at = await onPage(x, y);
  await page.mouse.click(at.x, at.y);
}

async function showTab(view: 'screen' | 'terminal'): Promise<void> {
  await page.click(`cotton-machine .cm-view-tab[data-view="${view}"]`);
}

describe('the GUI chapter', () => {
  it('boots into the desktop, the mouse drags a window, keys reach a Terminal window, and the exercises pass', async () => {
    const chapter = await book.open('gui/');
    page = chapter.page;
    const { errors } = chapter;
    await waitForPixel(600, 400, DESKTOP_BACKGROUND, 'the desktop background');
    // The whole screen in the viewport: its taskbar is the last 24 of 768 rows, and at a column's
    // width the canvas starts low enough on the page that they lie below the fold.
    await page.locator('cotton-machine .cm-screen').scrollIntoViewIfNeeded();

    // Apps, then Terminal: a window opens at the top left.
    await click(APPS_BUTTON.x, APPS_BUTTON.y);
    await click(LAUNCHER_TERMINAL.x, LAUNCHER_TERMINAL.y);
    await waitForPixel(
      TERMINAL_TITLE.x,
      TERMINAL_TITLE.y,
      TITLE_BAR_ACTIVE,
      "the Terminal's title bar",
    );

    // Drag it by the title bar.
    const from = await onPage(TERMINAL_TITLE.x, TERMINAL_TITLE.y);
    const to = await onPage(TERMINAL_TITLE.x + DRAG.x, TERMINAL_TITLE.y + DRAG.y);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    await waitForPixel(
      TERMINAL_TITLE.x + TITLE_AWAY_FROM_POINTER.x,
      TERMINAL_TITLE.y + TITLE_AWAY_FROM_POINTER.y,
      DESKTOP_BACKGROUND,
      'where the title bar was',
    );
    await waitForPixel(
      TERMINAL_TITLE.x + DRAG.x + TITLE_AWAY_FROM_POINTER.x,
      TERMINAL_TITLE.y + DRAG.y + TITLE_AWAY_FROM_POINTER.y,
      TITLE_BAR_ACTIVE,
      'the title bar, moved',
    );

    // Type a command into the Terminal window: it opens System Info, which the console's `windows` lists.
    await click(TERMINAL_CLIENT.x + DRAG.x, TERMINAL_CLIENT.y + DRAG.y);
    await page.keyboard.type('launch sysinfo\n', { delay: 20 });
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-screen'))).toBe(
      false,
    );
    await showTab('terminal');
    await expect
      .poll(() => runCommand(page, 'windows'), { timeout: 30_000, interval: 500 })
      .toMatch(/windows, top first[\s\S]*\* +\d+ .*System Info[\s\S]*Terminal/);

    expect(await checkEveryExercise(page)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  }, 600_000);
});
