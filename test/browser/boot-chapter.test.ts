/**
 * The boot chapter in a real browser: the machine boots to the shell (in its
 * worker, before the page asks, when it can tell the page's boot), takes
 * input, boots the reader's edits, survives a reader's infinite loop and
 * syntax errors, keeps edits across reloads, and checks the exercise.
 *
 * Every test gets a fresh browser context (empty localStorage) unless it is
 * about what survives a reload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  press,
  statusOf,
  terminalText,
  typeInTerminal,
  waitForStatus,
  waitForTerminal,
} from './book';
import { EDIT_KEY_PREFIX, firstWorkerName } from '../../src/runtime/worker/preparation';
import { useChromium } from './chromium-session';

const ENTRY = 'src/kernel/boot/entry.ts';
const COMMANDS = 'src/kernel/shell/commands.ts';

const chromium = useChromium();
let page: Page;
let errors: string[];

async function openBootChapter(): Promise<number> {
  page = await (await chromium.newContext()).newPage();
  errors = collectPageErrors(page);
  page.on('dialog', (dialog) => void dialog.accept());
  const started = Date.now();
  await page.goto(`${inject('bookUrl')}/boot/`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0);
  return Date.now() - started;
}

/** Whether keyboard focus is inside Monaco's find widget. */
const findWidgetFocused = (): boolean => document.activeElement?.closest('.find-widget') != null;

/**
 * Open `file` in the machine's editor and replace the first `find` with
 * `replacement`, as a reader would: Ctrl+F selects the match, Escape closes
 * the find widget, typing replaces the selection.
 */
async function editFile(file: string, find: string, replacement: string): Promise<void> {
  if ((await page.getAttribute('cotton-machine [data-action="edit"]', 'aria-pressed')) !== 'true')
    await press(page, 'edit');
  await page.click(`cotton-machine .cm-tab[data-file="${file}"]`);
  await page.click('cotton-machine .monaco-editor .view-lines');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  await page.waitForFunction(findWidgetFocused);
  await page.keyboard.type(find);
  await page.waitForFunction(() =>
    /^1 of/.test(document.querySelector('.find-widget .matchesCount')?.textContent ?? ''),
  );
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.activeElement?.closest('.find-widget'));
  await page.keyboard.type(replacement);
  await page.waitForFunction(
    (text) =>
      (document.querySelector('cotton-machine .view-lines') as HTMLElement).innerText
        .replace(/\u00a0/g, ' ')
        .includes(text),
    replacement,
  );
  await page.waitForSelector(`cotton-machine .cm-tab[data-file="${file}"][data-edited]`);
}

/** Runs in the page before its scripts: notes the names of the machine workers it creates. */
function noteWorkerNames(): void {
  const names: string[] = [];
  (window as unknown as { workerNames: string[] }).workerNames = names;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (options?.name?.startsWith('cotton-machine')) names.push(options.name);
    }
  };
}

/** Runs in the page before its scripts: notes when the machine's first prompt came. */
function notePromptTime(): void {
  document.addEventListener(
    'cotton-prompt',
    () => {
      const w = window as unknown as { promptAt?: number };
      w.promptAt ??= performance.now();
    },
    { capture: true },
  );
}

const promptTime = (): Promise<number> =>
  page.evaluate(() => (window as unknown as { promptAt: number }).promptAt);

const workerNames = (): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { workerNames: string[] }).workerNames);

async function runCommand(command: string, expected: RegExp): Promise<string> {
  await typeInTerminal(page, `${command}\r`);
  return waitForTerminal(page, (text) => expected.test(text));
}

describe('the boot chapter', () => {
  it('boots the machine to the shell prompt', async () => {
    const elapsed = await openBootChapter();
    console.log(`time to first prompt: ${elapsed} ms`);
    const text = await terminalText(page);
    expect(text).toContain('CottonOS');
    expect(text).toMatch(/sched: starting kernel thread "init"/);
    expect(await statusOf(page)).toBe('running');
    expect(errors).toEqual([]);
  });

  it('runs what the reader types', async () => {
    await openBootChapter();
    const text = await runCommand('echo hello', /^hello$/m);
    expect(countPrompts(text)).toBe(2);
  });

  it("starts the machine's worker before the machine's own script runs", async () => {
    page = await (await chromium.newContext()).newPage();
    await page.addInitScript(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seen: Record<string, number> }).seen = seen;
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          if (options?.name?.startsWith('cotton-machine first')) seen.worker ??= performance.now();
        }
      };
      const define = customElements.define.bind(customElements);
      customElements.define = (name, constructor, options) => {
        if (name === 'cotton-machine') seen.element = performance.now();
        define(name, constructor, options);
      };
    });
    await page.goto(`${inject('bookUrl')}/boot/`);
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    const seen = await page.evaluate(
      () => (window as unknown as { seen: Record<string, number> }).seen,
    );
    expect(seen.worker).toBeLessThan(seen.element!);
  });

  it('boots the machine in its worker before the page asks, and shows that boot from its first line', async () => {
    page = await (await chromium.newContext()).newPage();
    errors = collectPageErrors(page);
    await page.addInitScript(noteWorkerNames);
    await page.goto(`${inject('bookUrl')}/boot/`);
    const text = await waitForTerminal(page, (shown) => countPrompts(shown) > 0);
    expect(await workerNames()).toEqual([firstWorkerName({ screen: false })]);
    expect(text.startsWith('\nCottonOS 0.1.0 (TypeScript edition) on the Cotton PC\n')).toBe(true);
    expect(text.match(/CottonOS 0\.1\.0/g)).toHaveLength(1);
    await runCommand('echo ahead', /^ahead$/m);
    expect(countPrompts(await terminalText(page))).toBe(2);
    expect(errors).toEqual([]);
  });

  it('boots what the page asks for when the machine booted ahead is not it (an edit the HTML missed)', async () => {
    page = await (await chromium.newContext()).newPage();
    errors = collectPageErrors(page);
    await page.addInitScript(noteWorkerNames);
    // The reader's saved edit, which the page's scripts see and the HTML's inline script does not.
    const edited = readFileSync(join(import.meta.dirname, '..', '..', ENTRY), 'utf8').replace(
      'on the Cotton PC',
      'on the Ahead PC',
    );
    await page.addInitScript(
      ([key, text]) => {
        localStorage.setItem(key!, text!);
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = function (name: string) {
          return document.currentScript ? null : getItem.call(this, name);
        };
      },
      [`${EDIT_KEY_PREFIX}${ENTRY}`, edited],
    );
    await page.goto(`${inject('bookUrl')}/boot/`);
    const text = await waitForTerminal(page, (shown) => countPrompts(shown) > 0);
    expect(await workerNames()).toEqual([firstWorkerName({ screen: false })]);
    expect(text).toContain('on the Ahead PC');
    expect(text).not.toContain('on the Cotton PC');
    expect(text.match(/CottonOS 0\.1\.0/g)).toHaveLength(1);
    await runCommand('echo edited', /^edited$/m);
    expect(await terminalText(page)).not.toContain('on the Cotton PC');
    expect(errors).toEqual([]);
  });

  it("loads the figures' renderers and the players' code after the first prompt, when the reader comes to one", async () => {
    page = await (await chromium.newContext()).newPage();
    await page.addInitScript(notePromptTime);
    await page.goto(`${inject('bookUrl')}/boot/`);
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    await page.locator('cotton-figure').first().scrollIntoViewIfNeeded();
    await page.locator('cotton-player').first().scrollIntoViewIfNeeded();
    for (const chunk of [/\/player-element\.[\w-]+\.js$/, /\/figures\.[\w-]+\.js$/]) {
      const requested = await page.waitForFunction((source) => {
        const pattern = new RegExp(source);
        const entry = performance
          .getEntriesByType('resource')
          .find((resource) => pattern.test(resource.name));
        return entry ? entry.startTime : false;
      }, chunk.source);
      expect(await requested.jsonValue()).toBeGreaterThan(await promptTime());
    }
  });

  it("loads Monaco's scripts after the first prompt, while the page idles, and its styles only with Edit", async () => {
    page = await (await chromium.newContext()).newPage();
    await page.addInitScript(notePromptTime);
    await page.goto(`${inject('bookUrl')}/boot/`);
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    const editorRequested = await page.waitForFunction(() => {
      const entry = performance
        .getEntriesByType('resource')
        .find((resource) => /\/editor\.[\w-]+\.js$/.test(resource.name));
      return entry ? entry.startTime : false;
    });
    expect(await editorRequested.jsonValue()).toBeGreaterThan(await promptTime());
    expect(await page.locator('#cotton-monaco-styles').count()).toBe(0);
    await press(page, 'edit');
    await page.waitForSelector('cotton-machine .monaco-editor');
    expect(await page.locator('#cotton-monaco-styles').count()).toBe(1);
    // Styled: Monaco's rules position its layers.
    expect(
      await page.$eval('cotton-machine .monaco-editor', (e) => getComputedStyle(e).position),
    ).toBe('relative');
  });

  it("boots the reader's edit of a kernel file after Reboot", async () => {
    await openBootChapter();
    await editFile(ENTRY, 'on the Cotton PC', 'on the Reader PC');
    await press(page, 'reboot');
    const text = await terminalText(page);
    expect(text).toContain('on the Reader PC');
    expect(text).not.toContain('on the Cotton PC');
    expect(await page.locator('cotton-machine [data-action="edit"][data-edited]').count()).toBe(1);
  });

  it('keeps edits across a page reload, and Reset restores the original', async () => {
    await openBootChapter();
    await editFile(ENTRY, 'on the Cotton PC', 'on the Saved PC');
    const workerScripts: string[] = [];
    const noteScript = (request: { url(): string }) => {
      if (/\/machine-worker-[\w-]+\.js/.test(request.url())) workerScripts.push(request.url());
    };
    page.on('request', noteScript);
    await page.reload();
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    page.off('request', noteScript);
    expect(await terminalText(page)).toContain('on the Saved PC');
    // The first worker transpiles the saved edit; the transpiler's chunk must not load the worker's script again.
    expect(workerScripts).toHaveLength(1);
    expect(
      await page.locator(`cotton-machine .cm-tab[data-file="${ENTRY}"][data-edited]`).count(),
    ).toBe(1);
    await press(page, 'reset');
    expect(await terminalText(page)).toContain('on the Cotton PC');
    expect(await page.locator('cotton-machine .cm-tab[data-edited]').count()).toBe(0);
  });

  it('stops a kernel stuck in an infinite loop with the watchdog, and recovers', async () => {
    await openBootChapter();
    await editFile(COMMANDS, "sh.println(args.join(' '));", 'while (true) {}');
    await press(page, 'reboot');
    await typeInTerminal(page, 'echo loop\r');
    const started = Date.now();
    await waitForStatus(page, 'watchdog', 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await terminalText(page)).toContain('Watchdog: the kernel made no progress for 1.5 s');
    // The page still answers: Reset restores the files and boots a working machine.
    await press(page, 'reset');
    await runCommand('echo back', /^back$/m);
  });

  it('reports a syntax error with its location and keeps the running machine', async () => {
    await openBootChapter();
    await editFile(COMMANDS, "sh.println(args.join(' '));", "sh.println(args.join(' ')) +;");
    await page.click('cotton-machine [data-action="reboot"]');
    await waitForStatus(page, 'error');
    expect(await terminalText(page)).toMatch(/src\/kernel\/shell\/commands\.ts:\d+:\d+: /);
    await runCommand('echo still here', /^still here$/m);
    expect(await statusOf(page)).toBe('error');
  });

  it('checks the exercise: the reference kernel passes, the starter does not', async () => {
    await openBootChapter();
    const exercise = page.locator('cotton-exercise').filter({ hasText: 'boot/memory-map' });
    const summary = exercise.locator('.cx-summary');
    await exercise.locator('[data-action="check"]').click();
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/checks pass/);
    expect(await summary.textContent()).toMatch(/^All \d+ checks pass/);
    await exercise.locator('[data-action="start"]').click();
    await page.waitForSelector(
      'cotton-machine .cm-tab[data-file="src/kernel/arch/multiboot2.ts"][data-edited]',
    );
    await exercise.locator('[data-action="check"]').click();
    await expect
      .poll(() => summary.textContent(), { timeout: 30_000 })
      .toMatch(/^0 of \d+ checks pass/);
    expect(await exercise.locator('.cx-results li[data-passed="false"]').count()).toBeGreaterThan(
      0,
    );
  });
});

describe('the front page', () => {
  it('introduces the book and lists every chapter', async () => {
    page = await (await chromium.newContext()).newPage();
    await page.goto(`${inject('bookUrl')}/`);
    const text = await page.locator('main').innerText();
    for (const chapter of ['Boot', 'Paging', 'CottonFS', 'Scheduler', 'Networking', 'TLS', 'GUI'])
      expect(text).toContain(chapter);
    expect(text).not.toContain('(coming)');
    await waitForTerminal(page, (terminal) => countPrompts(terminal) > 0);
  });
});
