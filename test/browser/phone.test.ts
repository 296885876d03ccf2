/**
 * The machine on a phone (390×844): every toolbar button lies inside the
 * widget and the viewport, and each one does its job when pressed; the
 * terminal has at least 60 columns and scrolls sideways rather than wrap, so
 * `help` never wraps in the middle of a word.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  collectPageErrors,
  countPrompts,
  typeInTerminal,
  waitForStatus,
  waitForTerminal,
} from './book';
import { INFO_PATH } from '../../src/classroom/protocol';
import { useChromium } from './chromium-session';

const PHONE = { width: 390, height: 844 };
const MACHINE = 'cotton-machine';

const chromium = useChromium();
let page: Page;
let errors: string[];
/** Paths the page asked for and the server did not have. */
let missing: string[];

async function openOnPhone(path: string): Promise<void> {
  const context = await chromium.newContext({
    viewport: PHONE,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    acceptDownloads: true,
  });
  page = await context.newPage();
  errors = collectPageErrors(page);
  missing = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(new URL(response.url()).pathname);
  });
  // Confirm every question; Download file… asks for a path.
  page.on('dialog', (dialog) =>
    dialog.type() === 'prompt' ? void dialog.accept('/etc/motd') : void dialog.accept(),
  );
  await page.goto(`${inject('bookUrl')}/${path}`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, 60_000);
}

/** The part of `selector`'s box that lies outside the widget or the viewport, in px (0 when it is all in view). */
async function outsideBy(selector: string): Promise<number> {
  return page.locator(selector).evaluate((element, machine) => {
    const box = element.getBoundingClientRect();
    const frame = element.closest(machine)!.getBoundingClientRect();
    const left = Math.max(0, frame.left, 0) - box.left;
    const right = box.right - Math.min(frame.right, window.innerWidth);
    return Math.max(0, left, right);
  }, MACHINE);
}

async function tap(action: string): Promise<void> {
  const selector = `${MACHINE} [data-action="${action}"]`;
  expect(await outsideBy(selector), `${action} is off the widget`).toBe(0);
  await page.click(selector);
}

async function rebooted(): Promise<void> {
  await waitForStatus(page, 'running', 60_000);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, 60_000);
}

describe('the machine on a 390×844 phone', () => {
  it('keeps every toolbar button in view, and each one works', async () => {
    await openOnPhone('boot/');
    const toolbar = await page.locator(`${MACHINE} .cm-toolbar`).boundingBox();
    expect(toolbar!.width).toBeLessThanOrEqual(PHONE.width);

    await tap('reboot');
    await rebooted();

    await tap('record');
    expect(await page.getAttribute(`${MACHINE} [data-action="record"]`, 'aria-pressed')).toBe(
      'true',
    );
    await typeInTerminal(page, 'echo phone\r');
    await waitForTerminal(page, (text) => /^phone$/m.test(text));
    await tap('record');
    await page.waitForSelector(`${MACHINE} [data-action="save"]:not([disabled])`);
    const recording = page.waitForEvent('download');
    await tap('save');
    expect((await recording).suggestedFilename()).toBe('cotton-recording.nex');

    const capture = page.waitForEvent('download');
    await tap('capture');
    expect((await capture).suggestedFilename()).toBe('cottonos-network.pcap');

    await tap('share');
    await page.waitForSelector(`${MACHINE} .cs-panel`);
    expect(await outsideBy(`${MACHINE} .cs-panel`)).toBe(0);
    await tap('share');
    await page.waitForSelector(`${MACHINE} .cs-panel`, { state: 'detached' });

    expect(await outsideBy(`${MACHINE} .cm-disk summary`)).toBe(0);
    await page.click(`${MACHINE} .cm-disk summary`);
    const disk = page.waitForEvent('download');
    await tap('disk-download');
    expect((await disk).suggestedFilename()).toBe('cottonos-disk.img');
    const file = page.waitForEvent('download');
    await tap('disk-download-file');
    expect((await file).suggestedFilename()).toBe('motd');
    const chooser = page.waitForEvent('filechooser');
    await tap('disk-upload');
    await chooser;
    await tap('disk-reset');
    await rebooted();

    await tap('edit');
    await page.waitForSelector(`${MACHINE} .monaco-editor`, { timeout: 60_000 });
    expect(await outsideBy(`${MACHINE} .cm-editor`)).toBe(0);
    await tap('reset');
    await rebooted();
    // Share looks for a classroom server, which a static host does not have: its 404 is expected.
    expect(missing).toEqual([INFO_PATH]);
    expect(errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
  }, 300_000);

  it('scrolls the terminal sideways instead of wrapping, so help does not wrap mid-word', async () => {
    await openOnPhone('boot/');
    const layout = (): Promise<{ cols: number; wrappedRows: number }> =>
      page
        .locator(MACHINE)
        .evaluate((machine) =>
          (
            machine as HTMLElement & { terminalLayout(): { cols: number; wrappedRows: number } }
          ).terminalLayout(),
        );
    const { cols } = await layout();
    expect(cols).toBeGreaterThanOrEqual(60);
    const scroll = await page.locator(`${MACHINE} .cm-terminal`).evaluate((box) => ({
      scrolls: box.scrollWidth > box.clientWidth,
      fits: box.getBoundingClientRect().right <= window.innerWidth,
    }));
    expect(scroll.fits).toBe(true);
    const prompts = countPrompts(await waitForTerminal(page, () => true));
    await typeInTerminal(page, 'help\r');
    const text = await waitForTerminal(page, (t) => countPrompts(t) > prompts);
    const rows = (await layout()).wrappedRows;
    console.log(`phone: ${cols} columns, scrolls sideways: ${scroll.scrolls}`);
    expect(text).toMatch(/help/);
    expect(rows).toBe(0);
  }, 120_000);
});
