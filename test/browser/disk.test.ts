/**
 * The reader's disk in a real browser: what the page's machine writes to its
 * ATA disk reaches IndexedDB and is there after a reload; Upload refuses a
 * file that is no CottonFS disk and keeps the disk, takes a good one and
 * boots on it; Download saves the disk; Reset disk brings back the book's.
 *
 * One browser context for the whole file: the disk lives in the context's
 * IndexedDB, and surviving a reload is the point.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runToCompletion as run } from '../../src/kernel/fs/block-device';
import {
  BOOK_DISK_BYTES,
  buildCottonFsImage,
  writeBookFiles,
} from '../../src/runtime/host/book-disk';
import { diskImageProblem } from '../../src/runtime/host/disk-image-check';
import { repoUserPrograms } from '../../src/runtime/node/node-host';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  terminalText,
  typeInTerminal,
  waitForStatus,
  waitForTerminal,
} from './book';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
const diskLog: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  errors = collectPageErrors(page);
  page.on('dialog', (dialog) => void dialog.accept());
  page.on('console', (message) => {
    if (message.text().startsWith('cotton disk:')) diskLog.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
});

async function waitForPrompt(): Promise<void> {
  await waitForStatus(page, 'running');
  await waitForTerminal(page, (text) => countPrompts(text) > 0);
}

/** Type a command and wait for the prompt after it; returns the terminal's text then. */
async function command(line: string): Promise<string> {
  const before = countPrompts(await terminalText(page));
  await typeInTerminal(page, `${line}\r`);
  return waitForTerminal(page, (text) => countPrompts(text) > before);
}

/** What the page's IndexedDB holds of the reader's disk: versions and chunk count, and whether any chunk contains `text`. */
function storedDisk(
  text: string,
): Promise<{ versions: string[]; chunks: number; contains: boolean } | null> {
  return page.evaluate(async (wanted) => {
    if (!(await indexedDB.databases()).some((db) => db.name === 'cottonos-disk')) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('cottonos-disk');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const get = <T>(req: IDBRequest<T>): Promise<T> =>
      new Promise(
        (resolve, reject) => (
          (req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))
        ),
      );
    const tx = db.transaction(['meta', 'chunks']);
    const versions = (await get(tx.objectStore('meta').getAllKeys())) as string[];
    const chunks = (await get(tx.objectStore('chunks').getAll())) as ArrayBuffer[];
    db.close();
    const needle = new TextEncoder().encode(wanted);
    const contains = chunks.some((chunk) => {
      const bytes = new Uint8Array(chunk);
      outer: for (
        let i = bytes.indexOf(needle[0]!);
        i >= 0 && i <= bytes.length - needle.length;
        i = bytes.indexOf(needle[0]!, i + 1)
      ) {
        for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
        return true;
      }
      return false;
    });
    return { versions, chunks: chunks.length, contains };
  }, text);
}

async function waitForStoredText(text: string, present = true): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await storedDisk(text))?.contains === present) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`IndexedDB never ${present ? 'held' : 'lost'} '${text}'`);
}

async function diskAction(action: 'disk-reset' | 'disk-download' | 'disk-upload'): Promise<void> {
  if ((await page.getAttribute('cotton-machine details.cm-disk', 'open')) === null)
    await page.click('cotton-machine .cm-disk summary');
  await page.click(`cotton-machine [data-action="${action}"]`);
}

/**
 * The book's disk with one more file, as a reader might have made it with
 * `cotton put`, in a file named `name` (a path: 32 MiB through the DevTools
 * protocol as a buffer would take seconds).
 */
function diskWith(name: string, path: string, text: string): string {
  const { image } = buildCottonFsImage(BOOK_DISK_BYTES, (vfs) => {
    writeBookFiles(vfs, repoUserPrograms());
    run(vfs.writeFile(path, new TextEncoder().encode(text)));
  });
  const file = join(mkdtempSync(join(tmpdir(), 'cotton-upload-')), name);
  writeFileSync(file, image);
  return file;
}

describe("the reader's disk", () => {
  it('stores what the machine writes in IndexedDB, and boots on it after a reload', async () => {
    await page.goto(`${inject('bookUrl')}/boot/`);
    await waitForPrompt();
    expect(await command('write /home/reader/x hello-from-the-page')).not.toMatch(/write: /);
    // The kernel's flusher commits within a second; the worker stores the ATA writes within FLUSH_DELAY_MS.
    await waitForStoredText('hello-from-the-page');
    const stored = await storedDisk('hello-from-the-page');
    expect(stored!.versions).toHaveLength(1);
    expect(stored!.chunks).toBeGreaterThan(10);
    expect(stored!.chunks).toBeLessThan(64); // a fresh 32 MiB disk is mostly zeros, which are not stored

    await page.reload();
    await waitForPrompt();
    expect(await command('cat /home/reader/x')).toMatch(
      /cat \/home\/reader\/x\r?\nhello-from-the-page/,
    );
    expect(diskLog.at(-1)).toMatch(/^cotton disk: stored \(33554432 bytes\)/);
    expect(errors).toEqual([]);
  });

  it('hands the disk to the machine a Reboot starts, which stores what the old one had not', async () => {
    expect(await command('write /home/reader/y handed-over')).not.toMatch(/write: /);
    await command('sync'); // on the ATA disk now; the worker stores it FLUSH_DELAY_MS later, or the next machine does
    const logged = diskLog.length;
    await page.click('cotton-machine [data-action="reboot"]');
    await expect.poll(() => diskLog.length, { timeout: 15_000 }).toBeGreaterThan(logged);
    expect(diskLog.at(-1)).toMatch(/^cotton disk: handed over \(33554432 bytes\)/);
    await waitForTerminal(
      page,
      (text) => countPrompts(text) > 0 && !text.includes('write /home/reader/y'),
    );
    expect(await command('cat /home/reader/y')).toMatch(/cat \/home\/reader\/y\r?\nhanded-over/);
    await waitForStoredText('handed-over');
    expect(errors).toEqual([]);
  });

  it('refuses an upload that is no CottonFS disk, with the reason, and keeps the disk', async () => {
    const chooser = page.waitForEvent('filechooser');
    await diskAction('disk-upload');
    await (await chooser).setFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(1000, 0x41),
    });
    await waitForTerminal(page, (text) => text.includes('notes.txt was not used as the disk'));
    expect(await terminalText(page)).toMatch(
      /1000 bytes, not a whole number of 512-byte sectors\. Your disk is unchanged\./,
    );
    const zeros = page.waitForEvent('filechooser');
    await diskAction('disk-upload');
    await (await zeros).setFiles({
      name: 'zeros.img',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(1 << 20),
    });
    await waitForTerminal(page, (text) =>
      /zeros\.img was not used as the disk: not a CottonFS disk: bad magic/.test(text),
    );
    expect(await command('cat /home/reader/x')).toMatch(/\nhello-from-the-page/);
  });

  it('downloads the disk as cottonos-disk.img', async () => {
    const download = page.waitForEvent('download');
    await diskAction('disk-download');
    const file = await download;
    expect(file.suggestedFilename()).toBe('cottonos-disk.img');
    const path = join(mkdtempSync(join(tmpdir(), 'cotton-download-')), 'disk.img');
    await file.saveAs(path);
    const image = new Uint8Array(readFileSync(path));
    expect(image.length).toBe(BOOK_DISK_BYTES);
    expect(diskImageProblem(image)).toBeNull();
    expect(Buffer.from(image).includes('hello-from-the-page')).toBe(true);
  });

  it('boots on an uploaded disk, and stores it', async () => {
    const chooser = page.waitForEvent('filechooser');
    await diskAction('disk-upload');
    await (await chooser).setFiles(
      diskWith('mine.img', '/home/reader/uploaded.txt', 'from the host\n'),
    );
    await waitForTerminal(page, (text) => text.includes('The disk is now mine.img (32.0 MiB).'));
    await waitForPrompt();
    expect(await command('cat /home/reader/uploaded.txt')).toMatch(/\nfrom the host/);
    expect(await command('cat /home/reader/x')).toMatch(/cat: /);
    await waitForStoredText('hello-from-the-page', false);
  });

  it("Reset disk brings back the book's disk", async () => {
    await diskAction('disk-reset');
    await waitForTerminal(page, (text) => text.includes("The disk was reset to the book's disk."));
    await waitForPrompt();
    expect(await command('ls /home/reader')).not.toContain('uploaded.txt');
    expect(await command('cat /home/reader/welcome.txt')).toContain('Hello, reader.');
    expect(diskLog.at(-1)).toMatch(/^cotton disk: built/);
    expect(errors).toEqual([]);
  });
});
