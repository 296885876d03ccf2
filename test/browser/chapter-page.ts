/**
 * For the browser tests of the chapters and their figures: open a chapter,
 * wait for its machine's first prompt, run a command at the serial console
 * (and wait until a figure has been redrawn after it), press Check on every
 * exercise of the page.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { collectPageErrors, countPrompts, PROMPT, typeInTerminal, waitForTerminal } from './book';
import { useChromium } from './chromium-session';
import { refreshesOf, waitForRefresh } from './figures';

/** A first boot in a fresh browser builds the reader's disk: slow on a loaded machine. */
export const BOOT_TIMEOUT_MS = 90_000;
/** A command on the simulated network, then the figures' redraw. */
export const COMMAND_TIMEOUT_MS = 60_000;
/** One exercise's checks boot several machines in the page's worker. */
const CHECK_TIMEOUT_MS = 180_000;

export interface OpenChapter {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
  /** The terminal's text at the first prompt: the boot log. */
  readonly boot: string;
}

/**
 * A browser for the test file (launched before its tests, closed after them)
 * and `open(path)`: the chapter at `path` ('networking/') in a fresh context,
 * its machine at its first prompt; each test's context is closed after it.
 */
export function chapterBrowser(): { open(path: string, width?: number): Promise<OpenChapter> } {
  const chromium = useChromium();
  return {
    async open(path, width = 1280) {
      const context = await chromium.newContext({ viewport: { width, height: 1000 } });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${inject('bookUrl')}/${path}`);
      const boot = await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
      return { context, page, errors, boot };
    },
  };
}

/** Type `command` at the console, wait for the next prompt; the terminal's text from the command on. */
export async function runCommand(page: Page, command: string): Promise<string> {
  const prompts = countPrompts(await waitForTerminal(page, () => true));
  await typeInTerminal(page, `${command}\r`);
  const text = await waitForTerminal(
    page,
    (now) => countPrompts(now) > prompts,
    COMMAND_TIMEOUT_MS,
  );
  return fromPromptOf(text, command);
}

/** The text from the last prompt line `command` was typed at (a long command wraps onto more lines). */
function fromPromptOf(text: string, command: string): string {
  const lines = text.split('\n');
  const typedAt = lines.findLastIndex((line) => {
    const typed = line.replace(PROMPT, '').trimEnd();
    return (
      PROMPT.test(line) && typed.length > 0 && command.startsWith(typed.slice(0, command.length))
    );
  });
  return lines.slice(Math.max(typedAt, 0)).join('\n');
}

/** Run `command` at the console and wait until each of `figures` has been redrawn after it. */
export async function runAndRedraw(
  page: Page,
  command: string,
  figures: readonly string[],
): Promise<void> {
  const before = await Promise.all(figures.map((figure) => refreshesOf(page, figure)));
  await runCommand(page, command);
  // One after the other: each wait scrolls to its figure.
  for (const [i, figure] of figures.entries())
    await waitForRefresh(page, figure, before[i]!, COMMAND_TIMEOUT_MS);
}

/** The selector of the figure of `view`. */
export function figureOf(view: string): string {
  return `cotton-figure[data-view="${view}"]`;
}

/** Press Check on every exercise of the page, one after the other; each must pass. Returns how many. */
export async function checkEveryExercise(page: Page): Promise<number> {
  const exercises = page.locator('cotton-exercise');
  const count = await exercises.count();
  for (let i = 0; i < count; i++) {
    const exercise = exercises.nth(i);
    await exercise.locator('[data-action="check"]').click();
    const summary = exercise.locator('.cx-summary');
    await expect
      .poll(() => summary.textContent(), { timeout: CHECK_TIMEOUT_MS, interval: 250 })
      .toMatch(/checks pass/);
    expect(await summary.textContent(), `exercise ${i + 1}`).toMatch(/^All \d+ checks pass/);
  }
  return count;
}
