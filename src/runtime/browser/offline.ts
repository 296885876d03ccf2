/**
 * The page's side of reading offline: registers the book's service worker
 * (src/runtime/worker/service-worker.ts, built to sw.js at the book's base)
 * and offers to reload when a new version of the book has been published.
 *
 * Loaded on every page of the built book (publishing.ts injects it; not in
 * `npm run dev`, where the files change under the worker), it registers only
 * in the page's spare time (page-idle.ts: after a machine's first prompt,
 * when the reader pauses), so the precache of the whole book slows neither
 * the first boot nor a reader already at work. The first visit
 * hands the worker what the page already loaded (the recordings of this
 * chapter, the editor if it was opened), since the worker only sees the
 * requests made after it takes the page.
 *
 * The update prompt only swaps the book's files: the reader's disk
 * (IndexedDB) and edits (localStorage) belong to the origin and stay as they
 * are; the reload is the reader's choice because it restarts the machine.
 */
import { bookUrl } from './book-url';
import { whenPageIdle } from './page-idle';

const PROMPT_CLASS = 'cotton-update';

/** Ask the worker to keep what this page loaded before the worker controlled it. */
function keepLoaded(worker: ServiceWorker): void {
  const urls = performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .concat(
      [...document.querySelectorAll<HTMLElement>('cotton-player[data-src]')].map(
        (player) => new URL(player.dataset.src!, location.href).href,
      ),
    );
  worker.postMessage({ type: 'keep', urls });
}

/** A small bar at the bottom of the page: a new version is ready, reload to use it. */
function showUpdatePrompt(waiting: ServiceWorker): void {
  if (document.querySelector(`.${PROMPT_CLASS}`)) return;
  const bar = document.createElement('div');
  bar.className = PROMPT_CLASS;
  bar.setAttribute('role', 'status');
  bar.style.cssText =
    'position:fixed;inset:auto 1rem 1rem auto;z-index:1000;display:flex;gap:.6rem;align-items:center;' +
    'padding:.5rem .8rem;border-radius:.5rem;background:#1f3b6b;color:#fff;font:14px system-ui,sans-serif;' +
    'box-shadow:0 2px 8px #0006';
  const text = document.createElement('span');
  text.textContent = 'A new version of the book is published. Your disk and edits are kept.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => {
    reload.disabled = true;
    waiting.postMessage({ type: 'skip-waiting' });
  });
  const later = document.createElement('button');
  later.type = 'button';
  later.textContent = 'Later';
  later.addEventListener('click', () => bar.remove());
  bar.append(text, reload, later);
  document.body.append(bar);
}

function watchForUpdates(registration: ServiceWorkerRegistration): void {
  const offer = (worker: ServiceWorker | null): void => {
    // A worker waiting while another controls the page is a new version; the first one just installs.
    if (worker && navigator.serviceWorker.controller) showUpdatePrompt(worker);
  };
  offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offer(installing);
    });
  });
  let controlled = navigator.serviceWorker.controller !== null;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first version claiming the page changes nothing it shows; a new one needs the reload.
    if (!controlled) {
      controlled = true;
      return;
    }
    if (reloading) return;
    reloading = true;
    location.reload();
  });
}

async function register(): Promise<void> {
  const registration = await navigator.serviceWorker.register(bookUrl('sw.js'), {
    scope: bookUrl(''),
  });
  watchForUpdates(registration);
  const ready = await navigator.serviceWorker.ready;
  if (ready.active) keepLoaded(ready.active);
}

if ('serviceWorker' in navigator)
  whenPageIdle(() => {
    register().catch((error: unknown) => console.warn('the book will not work offline:', error));
  });
