/**
 * Every page of the book under axe-core, once its machine has booted to a
 * prompt (so the terminal holds the boot log in the kernel's colours): no
 * serious or critical violation in the page's content (`main`: the prose and
 * every component of the book in it: machines, exercises, players, figures).
 * Starlight's own frame (header, sidebars) is outside `main` and not checked.
 * Both colour themes are checked, since the terminal's colours differ.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { countPrompts, waitForTerminal } from './book';
import { bookPages } from '../../src/runtime/node/book-pages';
import { useChromium } from './chromium-session';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const FAILING_IMPACTS = new Set(['serious', 'critical']);

const chromium = useChromium();
let page: Page;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The serious and critical violations axe finds in `main`, one line per element. */
async function violations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(...args: unknown[]): Promise<unknown> } }).axe;
    const results = (await axe.run({ include: [['main']] }, { resultTypes: ['violations'] })) as {
      violations: Violation[];
    };
    return results.violations;
  });
  return found
    .filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''))
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.impact} ${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    );
}

async function openPage(path: string, theme: 'dark' | 'light'): Promise<void> {
  const context = await chromium.newContext();
  await context.addInitScript((wanted) => localStorage.setItem('starlight-theme', wanted), theme);
  page = await context.newPage();
  await page.goto(`${inject('bookUrl')}/${path}`);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  if ((await page.locator('cotton-machine').count()) > 0)
    await waitForTerminal(page, (text) => countPrompts(text) > 0, 120_000);
  // Expressive Code makes a code block that scrolls sideways focusable (tabindex, role) in an
  // idle moment after it is laid out; a busy page gets there after its first prompt.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.expressive-code pre')].every(
        (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
      ),
    undefined,
    { timeout: 60_000 },
  );
}

describe('accessibility (axe-core)', () => {
  for (const theme of ['dark', 'light'] as const) {
    it(`finds no serious or critical violation on any page, ${theme} theme`, async () => {
      const found: string[] = [];
      for (const path of bookPages()) {
        await openPage(path, theme);
        for (const line of await violations()) found.push(`/${path}: ${line}`);
      }
      expect(found).toEqual([]);
    }, 1_800_000);
  }
});
