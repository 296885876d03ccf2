/**
 * Recordings in a real browser: the boot chapter's players load their
 * recordings (keyframes taken) once the reader comes near them, play, seek
 * (the screen matches what the recording shows at that time), answer
 * asciinema's keys, and jump to a command from the list; a damaged file plays up to the damage under an
 * error; and the machine's Record / Save buttons give a .nex that src/nex reads.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { readNex } from '../../src/nex/nex-format';
import {
  collectPageErrors,
  countPrompts,
  typeInTerminal,
  requestedPaths,
  waitForSpareTime,
  waitForTerminal,
} from './book';
import { useChromium } from './chromium-session';

const chromium = useChromium();
let page: Page;
let errors: string[];

async function open(path: string): Promise<void> {
  const context = await chromium.newContext({ acceptDownloads: true });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(`${inject('bookUrl')}${path}`);
}

interface PlayerState {
  loaded: boolean;
  playing: boolean;
  position: number;
  duration: number;
  speed: number;
  keyframes: number;
  damage: string | null;
}

type PlayerElement = HTMLElement & {
  state(): PlayerState;
  screenText(): string;
  seek(at: number): void;
};

const PLAYER = (id: string): string => `cotton-player[data-src="/recordings/${id}.nex"]`;

async function playerState(selector: string): Promise<PlayerState> {
  return page.locator(selector).evaluate(async (el) => {
    await customElements.whenDefined('cotton-player');
    return (el as PlayerElement).state();
  });
}

function screen(selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => (el as PlayerElement).screenText());
}

/** Wait until the player's state passes `test`; the reader scrolls to it first (a player sets itself up near them). */
async function waitForPlayer(selector: string, test: string): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForFunction(
    ([sel, body]) => {
      const el = document.querySelector(sel) as PlayerElement | null;
      if (!el || !customElements.get('cotton-player')) return false;
      const state = el.state();
      return new Function('state', `return ${body}`)(state) as boolean;
    },
    [selector, test] as const,
    { timeout: 30_000 },
  );
}

describe('the player', () => {
  it("loads the boot chapter's recording, plays, seeks, and jumps to a command from the list", async () => {
    await open('/boot/');
    const player = PLAYER('boot-memory-map');
    await waitForPlayer(player, 'state.loaded');
    const loaded = await playerState(player);
    expect(loaded.duration).toBeGreaterThan(5);
    expect(loaded.keyframes).toBeGreaterThan(1);
    expect(await page.locator(`${player} .cp-command`).allTextContents()).toEqual([
      expect.stringMatching(/^mem.*0$/),
      expect.stringMatching(/^info.*0$/),
    ]);

    await page.click(`${player} [data-action="play"]`);
    await waitForPlayer(player, 'state.playing && state.position > 0.3');
    await page.click(`${player} [data-action="play"]`);
    await waitForPlayer(player, '!state.playing');
    expect(await screen(player)).toContain('CottonOS');

    const seekStarted = Date.now();
    await page.locator(player).evaluate((el) => (el as PlayerElement).seek(1e9));
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as PlayerElement).screenText().includes('usable'),
      player,
    );
    const seekMs = Date.now() - seekStarted;
    const end = await screen(player);
    expect(end).toMatch(/mem[\s\S]*info/);
    console.log(`seek to the end shown in ${seekMs} ms`);

    await page.click(`${player} .cp-command:nth-child(1) button`);
    const atMem = await playerState(player);
    const memCommand = await page
      .locator(`${player} .cp-command:nth-child(1) button`)
      .getAttribute('data-at');
    expect(atMem.position).toBeCloseTo(Number(memCommand), 6);
    await page.waitForFunction(
      (sel) => !/info/.test((document.querySelector(sel) as PlayerElement).screenText()),
      player,
    );
    expect(await page.getAttribute(`${player} .cp-command:nth-child(1)`, 'aria-current')).toBe(
      'step',
    );
    expect(errors).toEqual([]);
  });

  it('waits for the reader to come near: until then neither its code nor a recording is fetched', async () => {
    await open('/boot/');
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    await waitForSpareTime(page);
    const fetched = () => requestedPaths(page, /\.nex$|\/player-element\.[\w-]+\.js$/);
    expect(await fetched()).toEqual([]);
    const player = PLAYER('boot-memory-map');
    await waitForPlayer(player, 'state.loaded');
    expect(await fetched()).toContain('/recordings/boot-memory-map.nex');
    expect(errors).toEqual([]);
  });

  it("answers asciinema's keys: space, digits, arrows, speed and frame step", async () => {
    await open('/boot/');
    const player = PLAYER('boot-timer');
    await waitForPlayer(player, 'state.loaded');
    await page.focus(player);
    await page.keyboard.press('9');
    const { position, duration } = await playerState(player);
    expect(duration).toBeGreaterThan(5);
    expect(position).toBeCloseTo(duration * 0.9, 6);
    await page.keyboard.press('ArrowLeft');
    expect((await playerState(player)).position).toBeCloseTo(duration * 0.9 - 5, 6);
    await page.keyboard.press('ArrowRight');
    expect((await playerState(player)).position).toBeCloseTo(duration * 0.9, 6);
    await page.keyboard.press('>');
    await page.keyboard.press('>');
    expect((await playerState(player)).speed).toBe(4);
    await page.keyboard.press('<');
    expect((await playerState(player)).speed).toBe(2);
    const before = (await playerState(player)).position;
    await page.keyboard.press('.');
    expect((await playerState(player)).position).toBeGreaterThan(before);
    await page.keyboard.press(' ');
    await waitForPlayer(player, 'state.playing');
    await page.keyboard.press('0');
    await page.keyboard.press(' ');
    await waitForPlayer(player, '!state.playing');
  });

  it('plays a truncated file up to the damage and says what is wrong', async () => {
    await open('/boot/');
    const bytes = await page.evaluate(async () =>
      Array.from(
        new Uint8Array(await (await fetch('/recordings/boot-line-editing.nex')).arrayBuffer()),
      ),
    );
    const damaged = await page.evaluate(async (all) => {
      const cut = new Uint8Array(all.slice(0, Math.floor(all.length * 0.6)));
      const url = URL.createObjectURL(new Blob([cut]));
      const host = document.querySelector('cotton-player')!;
      const clone = host.cloneNode(true) as HTMLElement;
      clone.dataset.src = url;
      clone.querySelector('.cp-screen')!.replaceChildren();
      clone.id = 'damaged';
      host.after(clone);
      return url;
    }, bytes);
    expect(damaged).toMatch(/^blob:/);
    await waitForPlayer('#damaged', 'state.loaded');
    const state = await playerState('#damaged');
    expect(state.damage).toMatch(/damaged or truncated/);
    expect(state.duration).toBeGreaterThan(0);
    expect(await page.locator('#damaged .cp-error').textContent()).toMatch(
      /This recording is damaged: .*plays up to the damage/,
    );
  });
});

describe('recording the live machine', () => {
  it('Record, type, Save: downloads a .nex with the output and the typed keys', async () => {
    await open('/boot/');
    await waitForTerminal(page, (text) => countPrompts(text) > 0);
    await page.click('cotton-machine [data-action="record"]');
    expect(await page.getAttribute('cotton-machine [data-action="record"]', 'aria-pressed')).toBe(
      'true',
    );
    await typeInTerminal(page, 'echo recorded\r');
    await waitForTerminal(page, (text) => countPrompts(text) > 1);
    const download = page.waitForEvent('download');
    await page.click('cotton-machine [data-action="record"]');
    await page.waitForSelector('cotton-machine [data-action="save"]:not([disabled])');
    await page.click('cotton-machine [data-action="save"]');
    const file = await download;
    expect(file.suggestedFilename()).toBe('cotton-recording.nex');
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const session = readNex(Buffer.concat(chunks));
    expect(session.commands.map((c) => [c.line, c.exitCode])).toEqual([['echo recorded', 0]]);
    const typed = new TextDecoder().decode(
      Buffer.concat(
        session.events.flatMap((e) => (e.kind === 'input' ? [Buffer.from(e.data)] : [])),
      ),
    );
    expect(typed).toBe('echo recorded\r');
    expect(session.info.chapter).toBe('boot');
    expect(session.info.createdAt).toMatch(/^2026-01-01T09:00:/);
    expect(errors).toEqual([]);
  }, 120_000);
});
