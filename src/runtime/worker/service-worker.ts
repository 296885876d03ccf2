/**
 * The book's service worker: the book keeps working when the network drops.
 *
 * Nothing in the book needs the network once it is loaded (the machine, the
 * kernel and the disk all run in the page), so after the first visit the
 * worker answers from its caches:
 * - the precache: every page, the machine worker and the kernel, the fonts and
 *   scripts — the list the build writes at the top of sw.js
 *   (src/runtime/node/publishing.ts), fetched whole when this version installs;
 * - the runtime cache: what a reader used besides, kept as it is fetched — the
 *   recordings of the chapters visited, and the editor (Monaco) once opened:
 *   all of its scripts at its first request (also BOOK_EDITOR), since its
 *   workers and language services load later, perhaps with the network gone.
 *
 * Requests are answered from the caches first, so a page loads the same
 * offline as online. A new version (a new sw.js: its list names new hashed
 * files) installs beside the old one and waits; the page offers to reload
 * (src/runtime/browser/offline.ts) and, when the reader agrees, posts
 * `skip-waiting`. Only this worker's own caches are replaced: the reader's
 * disk (IndexedDB) and edits (localStorage) are never touched.
 *
 * Written by hand (the Service Worker and Cache Storage APIs of the HTML and
 * Service Workers specs), stripped of its types at build time.
 */
const serviceWorker = self as unknown as ServiceWorkerGlobalScope;
/** Set by the build: the version (a hash of the precache list's files). */
declare const BOOK_VERSION: string;
/** Set by the build: the files every version keeps, relative to the worker's scope. */
declare const BOOK_PRECACHE: readonly string[];
/** Set by the build: the editor's scripts, kept together once the reader opens the editor. */
declare const BOOK_EDITOR: readonly string[];

const CACHE_PREFIX = 'cotton-book-';
const PRECACHE = `${CACHE_PREFIX}precache-${BOOK_VERSION}`;
const RUNTIME = `${CACHE_PREFIX}runtime-${BOOK_VERSION}`;
/** What is kept when fetched: hashed assets (the editor's among them) and recordings. */
const RUNTIME_PATHS = /^(_astro|recordings)\//;

const scope = new URL(serviceWorker.registration.scope);

/** A URL's path relative to the scope, or null when it is outside it (another origin, another site). */
function inScope(url: URL): string | null {
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  return url.pathname.slice(scope.pathname.length);
}

serviceWorker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(PRECACHE)
      .then((cache) => cache.addAll(BOOK_PRECACHE.map((path) => new URL(path, scope).href))),
  );
});

serviceWorker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== PRECACHE && name !== RUNTIME)
          await caches.delete(name);
      }
      // The first version takes the open pages at once, so what they load next is cached.
      await serviceWorker.clients.claim();
    })(),
  );
});

serviceWorker.addEventListener('message', (event) => {
  const message = event.data as { type?: string; urls?: unknown } | null;
  if (message?.type === 'skip-waiting') void serviceWorker.skipWaiting();
  if (message?.type === 'keep' && Array.isArray(message.urls))
    event.waitUntil(keep(message.urls.filter((url) => typeof url === 'string')));
});

/** The files being fetched into the runtime cache: one fetch per file at a time. */
const fetching = new Map<string, Promise<Response>>();

/** Fetch the file at `href` (a path in RUNTIME_PATHS) and keep it in the runtime cache. */
function fetchAndKeep(href: string, request: Request | string = href): Promise<Response> {
  let pending = fetching.get(href);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(request);
      if (response.ok) await (await caches.open(RUNTIME)).put(href, response.clone());
      return response;
    })().finally(() => fetching.delete(href));
    fetching.set(href, pending);
  }
  return pending.then((response) => response.clone());
}

/** Keep these files (paths relative to the scope) in the runtime cache, but those cached already. */
async function keepFiles(paths: Iterable<string>): Promise<void> {
  for (const path of paths) {
    const href = new URL(path, scope).href;
    if (await caches.match(href)) continue;
    try {
      await fetchAndKeep(href);
    } catch {
      // offline already: nothing to keep
    }
  }
}

/** The whole editor, once any of its scripts is asked for. */
function keepEditor(event: ExtendableEvent): void {
  event.waitUntil(keepFiles(BOOK_EDITOR));
}

/** Keep what a page loaded before this worker controlled it (and the whole editor, if it was opened). */
async function keep(urls: readonly string[]): Promise<void> {
  const paths = urls
    .map((href) => inScope(new URL(href, scope)))
    .filter((path) => path !== null && RUNTIME_PATHS.test(path)) as string[];
  await keepFiles(
    paths.some((path) => BOOK_EDITOR.includes(path)) ? [...paths, ...BOOK_EDITOR] : paths,
  );
}

/** The cached answer for a request: pages also by their directory (`boot` and `boot/` are `boot/`). */
async function fromCache(request: Request, url: URL): Promise<Response | undefined> {
  const page = request.mode === 'navigate';
  const exact = await caches.match(url.href, { ignoreSearch: page });
  if (exact || !page) return exact;
  const directory = new URL(url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`, url);
  return caches.match(directory.href);
}

async function answer(event: FetchEvent, url: URL, path: string): Promise<Response> {
  const { request } = event;
  if (BOOK_EDITOR.includes(path)) keepEditor(event);
  const cached = await fromCache(request, url);
  if (cached) return cached;
  return RUNTIME_PATHS.test(path) ? fetchAndKeep(url.href, request) : fetch(request);
}

serviceWorker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const path = inScope(url);
  if (event.request.method !== 'GET' || path === null) return;
  event.respondWith(answer(event, url, path));
});
