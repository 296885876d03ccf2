/**
 * Driving the book in Chromium for the browser tests: launch Debian's
 * Chromium through playwright-core, open a chapter, read and type into a
 * machine's terminal, and wait for conditions instead of sleeping.
 *
 * The terminal is read through <cotton-machine>'s terminalText(), which reads
 * xterm's buffer: the text a reader sees, with scrollback, without depending
 * on how xterm lays out its rows in the DOM.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PROMPT_TIMEOUT_MS = 30_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Page errors and console errors, so a failing test can say what the page said. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export function terminalText(page: Page): Promise<string> {
  return page
    .locator('cotton-machine')
    .first()
    .evaluate(async (machine) => {
      await customElements.whenDefined('cotton-machine');
      return (machine as HTMLElement & { terminalText(): string }).terminalText();
    });
}

/** Wait until the terminal's text satisfies `test`; returns that text. */
export async function waitForTerminal(
  page: Page,
  test: (text: string) => boolean,
  timeoutMs = PROMPT_TIMEOUT_MS,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(page);
    if (test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for the terminal; it shows:\n${text}`);
}

/**
 * Wait until `condition`, run in the page, resolves to true. For a condition
 * that awaits (Cache Storage, IndexedDB): Playwright's waitForFunction does
 * not await the promise such a function returns, and takes the promise itself
 * as the truthy answer, so it would return at once.
 */
export async function waitForPageCondition<Arg>(
  page: Page,
  what: string,
  condition: (arg: Arg) => Promise<boolean>,
  arg: Arg,
  timeoutMs = PROMPT_TIMEOUT_MS,
): Promise<void> {
  // Playwright types the argument as Unboxed<Arg>, which TypeScript cannot resolve for a type parameter.
  const inPage = condition as (arg: unknown) => Promise<boolean>;
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(inPage, arg))) {
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(250);
  }
}

/** Number of shell prompts on screen. */
/**
 * Wait until the page has had its spare time after the first prompt
 * (browser/page-idle.ts), which the built book's service worker registers
 * in: what waits for that time alone has come by then.
 */
export function waitForSpareTime(page: Page): Promise<void> {
  return waitForPageCondition(
    page,
    "the page's spare time (its service worker registered)",
    async () => (await navigator.serviceWorker.getRegistration()) !== undefined,
    null,
  );
}

/** The paths the page has requested that match `pattern`, in order. */
export function requestedPaths(page: Page, pattern: RegExp): Promise<string[]> {
  return page.evaluate(
    (source) =>
      performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => new RegExp(source).test(path)),
    pattern.source,
  );
}

export function countPrompts(text: string): number {
  return text.split('\n').filter((line) => PROMPT.test(line)).length;
}

/** The shell's prompt, `cotton:/$ `, at the start of a line. */
export const PROMPT = /^cotton:\S* ?\$ /;

export async function statusOf(page: Page): Promise<string> {
  return (
    (await page.locator('cotton-machine .cm-status').first().getAttribute('data-status')) ?? ''
  );
}

/** Type on the machine's terminal, as a reader does. */
export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('cotton-machine .xterm-helper-textarea').first().focus();
  await page.keyboard.type(text);
}

/** Wait until the machine's status line says `status`. */
export async function waitForStatus(
  page: Page,
  status: string,
  timeoutMs = PROMPT_TIMEOUT_MS,
): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      document.querySelector('cotton-machine .cm-status')?.getAttribute('data-status') === wanted,
    status,
    { timeout: timeoutMs },
  );
}

/** Press a machine's button and, for Reboot and Reset, wait for the new machine's prompt. */
/** Put `text` in the machine's copy of `file` as the reader's edit (it opens the editor). */
export async function replaceFile(page: Page, file: string, text: string): Promise<void> {
  await page
    .locator('cotton-machine')
    .evaluate(
      (machine, [path, source]) =>
        (machine as HTMLElement & { replaceFile(f: string, t: string): Promise<void> }).replaceFile(
          path!,
          source!,
        ),
      [file, text],
    );
}

export async function press(page: Page, action: 'reboot' | 'reset' | 'edit'): Promise<void> {
  await page.click(`cotton-machine [data-action="${action}"]`);
  if (action === 'edit') return;
  await waitForStatus(page, 'running');
  await waitForTerminal(page, (text) => countPrompts(text) > 0);
}
