/**
 * The book's sw.js as the build writes it (service-worker-build.ts) and as it
 * behaves (worker/service-worker.ts), run here in a small stand-in for a
 * browser's service worker global: Cache Storage in memory, a fetch that
 * serves a built book's files or fails when offline.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext, Script } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  editorScripts,
  precacheList,
  writeServiceWorker,
} from '../../../src/runtime/node/service-worker-build';

const SCOPE = 'http://book.test/book/';

/** A small built book: pages, bundled scripts, the editor's scripts, a recording, build leftovers. */
const BOOK: Record<string, string> = {
  'index.html': '<h1>front</h1>',
  'boot/index.html': '<h1>boot</h1>',
  '404.html': 'not found',
  '_astro/machine-worker-Ab1.js': 'machine worker',
  '_astro/transpile-Cd2.js': 'transpiler',
  '_astro/editor.Ef3.css': 'editor styles',
  '_astro/editor.Gh4.js': 'monaco',
  '_astro/editor.worker-Ij5.js': 'monaco worker',
  '_astro/ts.worker-Kl6.js': 'typescript worker',
  '_astro/typescript.Mn7.js': 'typescript',
  'recordings/boot-timer.nex': 'PK recording',
  '_astro/machine-worker-Ab1.js.br': 'compressed',
  '_astro/machine-worker-Ab1.js.map': 'source map',
  'sitemap-index.xml': '<sitemap/>',
};

function buildBook(files: Record<string, string> = BOOK): string {
  const dir = mkdtempSync(join(tmpdir(), 'cotton-sw-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the service worker the build writes', () => {
  it('precaches the pages (as their directories) and bundled files, not the editor, recordings or leftovers', async () => {
    expect(await precacheList(buildBook())).toEqual([
      './',
      '404.html',
      '_astro/editor.Ef3.css',
      '_astro/machine-worker-Ab1.js',
      '_astro/transpile-Cd2.js',
      'boot/',
    ]);
  });

  it("lists the editor's scripts apart", async () => {
    expect(await editorScripts(buildBook())).toEqual([
      '_astro/editor.Gh4.js',
      '_astro/editor.worker-Ij5.js',
      '_astro/ts.worker-Kl6.js',
      '_astro/typescript.Mn7.js',
    ]);
  });

  it('writes the same sw.js for the same book and a new version when any file changes', async () => {
    const read = async (files: Record<string, string>): Promise<string> => {
      const dir = buildBook(files);
      await writeServiceWorker(dir);
      return readFileSync(join(dir, 'sw.js'), 'utf8');
    };
    const version = (sw: string): string => /BOOK_VERSION = "(\w+)"/.exec(sw)![1]!;
    const first = await read(BOOK);
    expect(await read(BOOK)).toBe(first);
    expect(() => new Script(first)).not.toThrow();
    const newPage = await read({ ...BOOK, 'boot/index.html': '<h1>boot, revised</h1>' });
    const newEditor = await read({ ...BOOK, '_astro/typescript.Mn7.js': 'typescript 2' });
    expect(new Set([version(first), version(newPage), version(newEditor)]).size).toBe(3);
  });
});

/** What the stand-in global records of the worker's events. */
interface Listeners {
  [type: string]: (event: unknown) => void;
}

/** Cache Storage in memory, as the worker uses it. */
class MemoryCaches {
  readonly stores = new Map<string, Map<string, Response>>();

  async open(name: string) {
    let store = this.stores.get(name);
    if (!store) this.stores.set(name, (store = new Map()));
    const entries = store;
    return {
      put: async (key: string, response: Response) => {
        entries.set(key, new Response(await response.arrayBuffer(), response));
      },
      addAll: async (urls: readonly string[]) => {
        for (const url of urls) entries.set(url, await fetchOk(url));
      },
      keys: async () => [...entries.keys()],
    };
  }

  async match(key: string, options?: { ignoreSearch?: boolean }): Promise<Response | undefined> {
    const wanted = options?.ignoreSearch ? key.replace(/\?.*$/, '') : key;
    for (const store of this.stores.values()) {
      const response = store.get(wanted);
      if (response) return response.clone();
    }
    return undefined;
  }

  async keys(): Promise<string[]> {
    return [...this.stores.keys()];
  }

  async delete(name: string): Promise<boolean> {
    return this.stores.delete(name);
  }
}

let network: { offline: boolean; book: Record<string, string>; fetched: string[] };

async function fetchOk(url: string): Promise<Response> {
  const response = await fakeFetch(url);
  if (!response.ok) throw new TypeError(`HTTP ${response.status}`);
  return response;
}

async function fakeFetch(input: string | { url: string }): Promise<Response> {
  const url = typeof input === 'string' ? input : input.url;
  if (network.offline) throw new TypeError('Failed to fetch');
  network.fetched.push(url);
  let path = new URL(url).pathname.slice(new URL(SCOPE).pathname.length);
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const text = network.book[path];
  return text === undefined ? new Response('not found', { status: 404 }) : new Response(text);
}

/** Run sw.js in a fresh stand-in global; returns its event dispatcher and the caches. */
function startWorker(sw: string, caches: MemoryCaches) {
  const listeners: Listeners = {};
  const self = {
    registration: { scope: SCOPE },
    clients: { claim: async () => {} },
    skipWaiting: async () => {},
    addEventListener: (type: string, listener: (event: unknown) => void) => {
      listeners[type] = listener;
    },
  };
  runInNewContext(sw, { self, caches, fetch: fakeFetch, URL, Request, Response, console });

  /** Dispatch an extendable event; resolves once its waitUntil/respondWith promises settle. */
  async function dispatch(type: string, fields: object = {}): Promise<Response | undefined> {
    const waits: Promise<unknown>[] = [];
    let answer: Promise<Response> | undefined;
    listeners[type]!({
      ...fields,
      waitUntil: (promise: Promise<unknown>) => waits.push(promise),
      respondWith: (promise: Promise<Response>) => {
        answer = promise;
      },
    });
    const response = await answer;
    // waitUntil may be called while the answer is pending: wait until no new promise comes.
    for (let settled = 0; settled < waits.length; settled = waits.length)
      await Promise.all(waits.slice(settled));
    return response;
  }
  // A page's request as the worker reads it (Request's constructor refuses the navigate mode).
  const request = (path: string, mode: RequestMode = 'same-origin') =>
    dispatch('fetch', { request: { url: new URL(path, SCOPE).href, mode, method: 'GET' } });
  return { dispatch, request };
}

describe('the service worker', () => {
  let dir: string;
  let sw: string;
  let caches: MemoryCaches;

  beforeEach(async () => {
    network = { offline: false, book: { ...BOOK }, fetched: [] };
    dir = buildBook();
    await writeServiceWorker(dir);
    sw = readFileSync(join(dir, 'sw.js'), 'utf8');
    caches = new MemoryCaches();
  });

  it('answers the pages and the machine offline from what it precached at install', async () => {
    const worker = startWorker(sw, caches);
    await worker.dispatch('install');
    await worker.dispatch('activate');
    network.offline = true;
    expect(await (await worker.request('boot', 'navigate'))!.text()).toBe('<h1>boot</h1>');
    expect(await (await worker.request('boot/?from=toc', 'navigate'))!.text()).toBe(
      '<h1>boot</h1>',
    );
    expect(await (await worker.request('_astro/machine-worker-Ab1.js'))!.text()).toBe(
      'machine worker',
    );
    await expect(worker.request('recordings/boot-timer.nex')).rejects.toThrow('Failed to fetch');
  });

  it('keeps a recording once fetched, and the recordings a page loaded before it controlled it', async () => {
    const worker = startWorker(sw, caches);
    await worker.dispatch('install');
    await worker.dispatch('activate');
    await worker.dispatch('message', {
      data: { type: 'keep', urls: [new URL('recordings/boot-timer.nex', SCOPE).href] },
    });
    network.offline = true;
    expect(await (await worker.request('recordings/boot-timer.nex'))!.text()).toBe('PK recording');
  });

  it('keeps the whole editor at the first request of any of its scripts, each fetched once', async () => {
    const worker = startWorker(sw, caches);
    await worker.dispatch('install');
    await worker.dispatch('activate');
    network.fetched = [];
    expect(await (await worker.request('_astro/editor.Gh4.js'))!.text()).toBe('monaco');
    network.offline = true;
    for (const [path, text] of [
      ['_astro/editor.worker-Ij5.js', 'monaco worker'],
      ['_astro/ts.worker-Kl6.js', 'typescript worker'],
      ['_astro/typescript.Mn7.js', 'typescript'],
    ])
      expect(await (await worker.request(path!))!.text()).toBe(text);
    expect(network.fetched.toSorted()).toEqual(
      (await editorScripts(dir)).map((path) => new URL(path, SCOPE).href),
    );
  });

  it("a new version replaces only the book's own caches of the old one", async () => {
    const old = startWorker(sw, caches);
    await old.dispatch('install');
    await old.dispatch('activate');
    await old.request('recordings/boot-timer.nex');
    await (await caches.open('a-cache-of-someone-else')).put(
      'http://book.test/x',
      new Response('x'),
    );
    const oldCaches = await caches.keys();

    network.book['boot/index.html'] = '<h1>boot, revised</h1>';
    writeFileSync(join(dir, 'boot/index.html'), network.book['boot/index.html']);
    await writeServiceWorker(dir);
    const next = startWorker(readFileSync(join(dir, 'sw.js'), 'utf8'), caches);
    await next.dispatch('install');
    expect(await caches.keys()).toEqual(expect.arrayContaining(oldCaches));
    await next.dispatch('activate');
    const kept = await caches.keys();
    expect(kept).toContain('a-cache-of-someone-else');
    expect(kept.filter((name) => name.startsWith('cotton-book-'))).toHaveLength(1);
    expect(kept.filter((name) => oldCaches.includes(name))).toEqual(['a-cache-of-someone-else']);
    network.offline = true;
    expect(await (await next.request('boot/', 'navigate'))!.text()).toBe('<h1>boot, revised</h1>');
  });
});
