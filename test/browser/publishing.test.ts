/**
 * The book as published: built under a base path (BOOK_BASE=/book/) into its
 * own folder (dist-book/, so dist/ stays the other tests'), served under that
 * path by a plain static server (no special header, no compression), it
 * works as at the root: every chapter's machine boots, every recording loads,
 * no request fails; the classroom's room link carries the base. After one
 * visit it works offline: with the network gone an edited kernel reboots, the
 * page reloads, the machine boots, a recording plays, another chapter opens.
 * A new version published while a page is open is offered with a prompt, and
 * taking it keeps the reader's disk and edits.
 *
 * PUBLISHING_DIST reuses a book built with BOOK_BASE=/book/ (the Vitest
 * project's own build, BOOK_DIST, is not used here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClassroom } from '../../src/classroom/server';
import { bookPages } from '../../src/runtime/node/book-pages';
import { buildBook } from '../../src/runtime/node/built-book';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  press,
  replaceFile,
  waitForPageCondition,
  waitForTerminal,
} from './book';
import { runCommand } from './chapter-page';
import { serveStatic, type StaticServer } from './static-server';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE = '/book/';
/** PUBLISHING_DIST: a book already built with BOOK_BASE=/book/, to skip the build (as CLASSROOM_DIST). */
const PREBUILT = process.env.PUBLISHING_DIST;
const OUT = PREBUILT ?? join(ROOT, 'dist-book');
const BOOT_TIMEOUT_MS = 60_000;

/** The chapters' pages under the base: chapters/index.mdx is the front page. */
const CHAPTER_PAGES = bookPages().map((page) => `${BASE}${page}`);

let browser: Browser;
let server: StaticServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!PREBUILT) buildBook(ROOT, { outDir: OUT, env: { BOOK_BASE: BASE } });
  server = await serveStatic(OUT, BASE);
  browser = await launchChromium();
}, 900_000); // a whole build of the book under /book/: minutes on a busy 2-core machine

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<{ page: Page; context: BrowserContext; failures: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  const failures = collectPageErrors(page);
  page.on('requestfailed', (request) =>
    failures.push(`failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, context, failures };
}

/**
 * Go to each player on the page in turn, as a reader going through the
 * chapter (a player sets itself up when the reader comes near), and wait
 * until it has loaded its recording (or failed); returns their states by URL.
 */
async function playerStates(page: Page): Promise<Record<string, string>> {
  const players = page.locator('cotton-player');
  for (let i = 0; i < (await players.count()); i++) {
    await players.nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (index) => {
        const state = document.querySelectorAll<HTMLElement>('cotton-player')[index]?.dataset.state;
        return state === 'ready' || state === 'error';
      },
      i,
      { timeout: BOOT_TIMEOUT_MS },
    );
  }
  return page.$$eval('cotton-player', (players) =>
    Object.fromEntries(
      players.map((player) => [
        (player as HTMLElement).dataset.src ?? '',
        (player as HTMLElement).dataset.state ?? '',
      ]),
    ),
  );
}

/** What the players of these recordings say went wrong. */
function playerErrors(page: Page, sources: readonly string[]): Promise<string[]> {
  return page.$$eval(
    'cotton-player',
    (players, wanted) =>
      players
        .filter((player) => wanted.includes((player as HTMLElement).dataset.src ?? ''))
        .map(
          (player) =>
            `${(player as HTMLElement).dataset.src}: ${player.querySelector('.cp-error')?.textContent}`,
        ),
    sources,
  );
}

describe('the book published under /book/', () => {
  it(
    'boots every chapter machine and loads every recording, with no failed request',
    async () => {
      const recordings = readdirSync(join(ROOT, 'public', 'recordings'));
      const loaded: string[] = [];
      for (const path of CHAPTER_PAGES) {
        const { page, failures } = await newPage();
        await page.goto(`${server.url}${path}`);
        if ((await page.locator('cotton-machine').count()) > 0)
          await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
        const states = await playerStates(page);
        for (const [src, state] of Object.entries(states)) {
          expect(src, `a player on ${path}`).toMatch(/^\/book\/recordings\/[\w-]+\.nex$/);
          expect(state, `${src} on ${path}`).toBe('ready');
          loaded.push(src.slice(`${BASE}recordings/`.length));
        }
        const links = await page.$$eval('a[href^="/"]', (anchors) =>
          anchors.map((anchor) => anchor.getAttribute('href') ?? ''),
        );
        expect(
          links.filter((href) => !href.startsWith(BASE)),
          `links on ${path}`,
        ).toEqual([]);
        expect(failures, `on ${path}`).toEqual([]);
        await page.close();
      }
      expect(loaded.sort()).toEqual(recordings.sort());
    },
    CHAPTER_PAGES.length * BOOT_TIMEOUT_MS,
  );

  it(
    'gives a room link under the base, and the room page loads from it',
    async () => {
      const classroom = await startClassroom({ dist: OUT, base: BASE, port: 0, host: '127.0.0.1' });
      try {
        const { page, failures } = await newPage();
        await page.goto(`${classroom.url}${BASE}boot/`);
        await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
        await page.click('cotton-machine [data-action="share"]');
        const linkField = page.locator('cotton-machine .cs-link');
        await linkField.waitFor({ timeout: 15_000 });
        const link = await linkField.inputValue();
        expect(link).toMatch(new RegExp(`^${classroom.url}${BASE}room/\\?id=[a-z2-9]{8}$`));

        const student = await newPage();
        await student.page.goto(link);
        await student.page
          .locator('cotton-room .cr-status[data-status="watching"]')
          .waitFor({ timeout: 15_000 });
        expect(await student.page.locator('cotton-room footer a').getAttribute('href')).toBe(BASE);
        expect(await student.page.locator('.cr-player-template').innerHTML()).toContain(
          `data-src="${BASE}recordings/index-first-boot.nex"`,
        );
        expect(failures).toEqual([]);
        expect(student.failures).toEqual([]);
      } finally {
        await classroom.close();
      }
    },
    2 * BOOT_TIMEOUT_MS,
  );

  it('is compressed beside its large files, and the classroom server sends the compressed copy', async () => {
    const sw = readFileSync(join(OUT, 'sw.js'), 'utf8');
    expect(existsSync(join(OUT, 'sw.js.br'))).toBe(true);
    expect(existsSync(join(OUT, 'index.html.gz'))).toBe(true);
    const classroom = await startClassroom({ dist: OUT, base: BASE, port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${classroom.url}${BASE}sw.js`, {
        headers: { 'accept-encoding': 'br' },
      });
      expect(response.headers.get('content-encoding')).toBe('br');
      expect(await response.text()).toBe(sw);
    } finally {
      await classroom.close();
    }
  });

  it(
    'works offline after one visit: edit and reboot, reload, boot, reboot and play a recording with no network',
    async () => {
      const { page, context } = await newPage();
      const failures = watchFailures(context);
      const errors = collectPageErrors(page);
      try {
        await readOfflineAfterOneVisit(page, context, failures, errors);
      } finally {
        await context.close();
      }
    },
    6 * BOOT_TIMEOUT_MS,
  );

  it(
    "offers to reload when a new version is published, and the reload keeps the reader's disk and edits",
    async () => {
      const { page, context } = await newPage();
      const failures = watchFailures(context);
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}${BASE}boot/`);
      await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
      await waitForOfflineCopy(page, await page.locator('cotton-player').count());
      await runCommand(page, 'write /home/reader/kept written-before-the-update');
      await waitForStoredDisk(page, 'written-before-the-update');
      await editKernel(page, 'kept edit');
      const oldCaches = await page.evaluate(() => caches.keys());

      // A new build is published: its sw.js differs (a new version of the book's files).
      const sw = readFileSync(join(OUT, 'sw.js'), 'utf8');
      const version = /BOOK_VERSION = "(\w+)"/.exec(sw)![1]!;
      server.publish(`${BASE}sw.js`, sw.replaceAll(version, `${version}0next`));
      expect(await page.locator('.cotton-update').count()).toBe(0);
      await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
      const prompt = page.locator('.cotton-update');
      await prompt.waitFor({ timeout: BOOT_TIMEOUT_MS });
      expect(await prompt.textContent()).toContain('Your disk and edits are kept');

      // The reader agrees: the new version takes the page, which reloads, with the disk and edits.
      await Promise.all([page.waitForEvent('load'), prompt.getByText('Reload').click()]);
      await waitForEdit(page, 'kept edit');
      expect(await runCommand(page, 'cat /home/reader/kept')).toContain(
        'written-before-the-update',
      );
      const newCaches = await page.evaluate(() => caches.keys());
      expect(newCaches.filter((name) => name.includes(`${version}0next`)).length).toBeGreaterThan(
        0,
      );
      expect(newCaches.filter((name) => oldCaches.includes(name))).toEqual([]);
      expect(failures()).toEqual([]);
      expect(errors).toEqual([]);
    },
    4 * BOOT_TIMEOUT_MS,
  );
});

/**
 * The offline test's story: a chapter loaded once, the network dropped with
 * the page open, the page reloaded offline, another chapter opened offline.
 */
async function readOfflineAfterOneVisit(
  page: Page,
  context: BrowserContext,
  failures: () => string[],
  errors: string[],
): Promise<void> {
  await page.goto(`${server.url}${BASE}boot/`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
  const players = await page.locator('cotton-player').count();
  await playerStates(page);
  await waitForOfflineCopy(page, players);
  // The reader opens the editor online and edits: the whole editor is kept, its workers too.
  await editKernel(page, 'offline edit');
  await waitForKept(page, editorScripts());

  // The network drops while the page is open: the edit transpiles, the machine reboots on
  // the worker started ahead (before the service worker took the page), and again.
  await context.setOffline(true);
  await page.click('cotton-machine [data-action="reboot"]');
  await waitForEdit(page, 'offline edit');
  await press(page, 'reboot');

  // The page reloads offline: the machine boots the reader's edit, the recordings play.
  await page.reload();
  await waitForEdit(page, 'offline edit');
  const offline = Object.entries(await playerStates(page));
  const notReady = offline.filter(([, state]) => state !== 'ready').map(([src]) => src);
  expect(await playerErrors(page, notReady)).toEqual([]);
  await playFirstRecording(page);
  await press(page, 'reboot');
  expect(errors).toEqual([]);

  // Another chapter visited only through the precache: its page and its machine; only its
  // recordings, never loaded, are missing (its players say so).
  await page.goto(`${server.url}${BASE}paging`);
  await waitForTerminal(page, (text) => countPrompts(text) > 0, BOOT_TIMEOUT_MS);
  const pagingPlayers = Object.values(await playerStates(page));
  expect(pagingPlayers.length).toBeGreaterThan(0);
  expect(pagingPlayers.every((state) => state === 'error')).toBe(true);
  expect(failures().filter((failure) => !failure.startsWith(`${BASE}recordings/paging-`))).toEqual(
    [],
  );
  // Each of its players' requests failing is the one error the page reports.
  expect(errors).toEqual(
    pagingPlayers.map(() => 'console: Failed to load resource: net::ERR_FAILED'),
  );
}

/**
 * The failed requests of a page and its workers (and of the service worker),
 * but the cancelled ones (ERR_ABORTED) of a file that was loaded all the same:
 * a request in flight when the test leaves the page (a spare worker's script,
 * started on idle just before a reload), or one the browser dropped for
 * another of the same file. A file missing from the caches offline fails
 * with ERR_INTERNET_DISCONNECTED or ERR_FAILED and is counted.
 */
function watchFailures(context: BrowserContext): () => string[] {
  const loaded = new Set<string>();
  const failures: { url: string; errorText: string }[] = [];
  context.on('requestfinished', (request) => loaded.add(request.url()));
  context.on('requestfailed', (request) => {
    const errorText = request.failure()?.errorText ?? '';
    failures.push({ url: request.url(), errorText });
  });
  return () =>
    failures
      .filter(({ url, errorText }) => !(errorText === 'net::ERR_ABORTED' && loaded.has(url)))
      .map(({ url, errorText }) => `${new URL(url).pathname} (${errorText})`);
}

/**
 * The service worker controls the page (so its precache is complete: a
 * version takes pages only once installed) and keeps the recordings this page
 * loaded before it took it.
 */
async function waitForOfflineCopy(page: Page, recordings: number): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
  });
  await waitForPageCondition(
    page,
    `the service worker to keep the page's ${recordings} recordings`,
    async (count) => {
      const runtime = (await caches.keys()).find((name) => name.includes('runtime'));
      if (!runtime) return false;
      const kept = await (await caches.open(runtime)).keys();
      return kept.filter((request) => request.url.endsWith('.nex')).length >= count;
    },
    recordings,
    BOOT_TIMEOUT_MS,
  );
}

/** The editor's scripts (Monaco, its workers), as the build lists them in sw.js (read once built). */
function editorScripts(): string[] {
  const serviceWorker = readFileSync(join(OUT, 'sw.js'), 'utf8');
  return JSON.parse(/const BOOK_EDITOR = (\[[^\]]*\])/.exec(serviceWorker)![1]!) as string[];
}

/** Wait until the service worker's runtime cache holds these files (paths under the base). */
async function waitForKept(page: Page, paths: readonly string[]): Promise<void> {
  expect(paths.length).toBeGreaterThan(0);
  await waitForPageCondition(
    page,
    `the service worker to keep ${paths.length} files`,
    async (wanted) => {
      const runtime = (await caches.keys()).find((name) => name.includes('runtime'));
      if (!runtime) return false;
      const cache = await caches.open(runtime);
      const kept = await Promise.all(
        wanted.map((path) => cache.match(new URL(path, document.baseURI).href)),
      );
      return kept.every((response) => response !== undefined);
    },
    paths.map((path) => `${BASE}${path}`),
    BOOT_TIMEOUT_MS,
  );
}

/** Wait until the reader's disk in IndexedDB holds `text` (the kernel flushes within a second). */
async function waitForStoredDisk(page: Page, text: string): Promise<void> {
  await waitForPageCondition(
    page,
    `the reader's stored disk to hold '${text}'`,
    async (wanted) => {
      if (!(await indexedDB.databases()).some((db) => db.name === 'cottonos-disk')) return false;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('cottonos-disk');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const chunks = await new Promise<ArrayBuffer[]>((resolve, reject) => {
        const request = db.transaction('chunks').objectStore('chunks').getAll();
        request.onsuccess = () => resolve(request.result as ArrayBuffer[]);
        request.onerror = () => reject(request.error);
      });
      db.close();
      const decoder = new TextDecoder('latin1');
      return chunks.some((chunk) => decoder.decode(chunk).includes(wanted));
    },
    text,
    BOOT_TIMEOUT_MS,
  );
}

const ENTRY = 'src/kernel/boot/entry.ts';
const ORIGINAL_ENTRY = readFileSync(join(ROOT, ENTRY), 'utf8');

/** Put `label` into the reader's copy of ENTRY's frame-allocator line, through the editor. */
async function editKernel(page: Page, label: string): Promise<void> {
  const edited = ORIGINAL_ENTRY.replace('`frame allocator: ', `\`frame allocator (${label}): `);
  expect(edited).not.toBe(ORIGINAL_ENTRY);
  await replaceFile(page, ENTRY, edited);
}

/** The machine booted the kernel edited by editKernel(label) to its prompt. */
async function waitForEdit(page: Page, label: string): Promise<void> {
  await waitForTerminal(
    page,
    (text) => text.includes(`frame allocator (${label}): `) && countPrompts(text) > 0,
    BOOT_TIMEOUT_MS,
  );
}

/** Play the page's first recording until its position moves. */
async function playFirstRecording(page: Page): Promise<void> {
  const player = page.locator('cotton-player').first();
  await player.scrollIntoViewIfNeeded();
  await player.locator('[data-action="play"]').click();
  await page.waitForFunction(
    () => {
      const element = document.querySelector('cotton-player') as
        | (HTMLElement & { state(): { position: number } })
        | null;
      return (element?.state().position ?? 0) > 0.3;
    },
    undefined,
    { timeout: BOOT_TIMEOUT_MS },
  );
}
