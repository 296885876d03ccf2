/**
 * The page's spare time. What a reader does not need before the machine's
 * first prompt (the recordings' players, the editor's code, the next Reboot's
 * worker) waits for that prompt, then for a pause in the reader's work with
 * the page, then for an idle moment: so that it neither takes the CPU from the
 * boot (on a two-core laptop the page's main thread and the machine's worker
 * use both cores until then) nor holds up a reader who starts typing at the
 * prompt or dragging a window on the desktop (evaluating Monaco's code is one
 * long task of the main thread, compiling a worker's script one of a core).
 * The reader works while they press keys or buttons, drag, or move the
 * pointer over a machine (its screen takes the pointer).
 *
 * A page without a machine does not wait for a prompt, nor does one whose
 * machine has not prompted within BOOT_WAIT_MS (a kernel that does not boot).
 *
 * What serves one place of a long chapter (a recording's player, a live
 * figure) also waits for the reader to come near it (whenNearView): a reader
 * who never scrolls that far neither downloads nor runs it.
 */
const BOOT_WAIT_MS = 5000;
/** The reader is busy until this long after their last key or click. */
const READER_PAUSE_MS = 2000;
const IDLE_WAIT_MS = 2000;
/** How far beyond the reader's view a place counts as near: one screen above and below. */
const NEAR_VIEW_MARGIN = '100% 0px';

let ready: Promise<void> | null = null;
let lastInput = 0;

function machineBooted(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!document.querySelector('cotton-machine')) return resolve();
    // cotton-prompt does not bubble; a capturing listener on the document still sees it.
    document.addEventListener('cotton-prompt', () => resolve(), { once: true, capture: true });
    setTimeout(resolve, BOOT_WAIT_MS);
  });
}

async function readerPaused(): Promise<void> {
  for (;;) {
    const wait = lastInput + READER_PAUSE_MS - performance.now();
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The page's machine has booted (asked once per page); the reader's work is watched from the start. */
function bootedAndWatched(): Promise<void> {
  if (!ready) {
    const working = () => (lastInput = performance.now());
    for (const type of ['keydown', 'pointerdown'])
      document.addEventListener(type, working, { capture: true });
    document.addEventListener(
      'pointermove',
      (event) => {
        if (event.buttons !== 0 || (event.target as Element).closest?.('cotton-machine')) working();
      },
      { capture: true, passive: true },
    );
    // The reader's pause is counted from the prompt at the earliest.
    ready = machineBooted().then(() => {
      lastInput = Math.max(lastInput, performance.now());
    });
  }
  return ready;
}

/** Run `task` once the page's machine has booted, the reader pauses, and the page is idle. */
export function whenPageIdle(task: () => void): void {
  void bootedAndWatched()
    .then(readerPaused)
    .then(() => whenThreadIdle(task));
}

/** Run `task` at the page's thread's next idle moment, or after `timeoutMs` at the latest. */
export function whenThreadIdle(task: () => void, timeoutMs = IDLE_WAIT_MS): void {
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(() => task(), { timeout: timeoutMs });
  else setTimeout(task, 0);
}

/** Run `task` once, when the first of `elements` comes within a screen of the reader's view. */
export function whenNearView(elements: Iterable<Element>, task: () => void): void {
  const watch = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      watch.disconnect();
      task();
    },
    { rootMargin: NEAR_VIEW_MARGIN },
  );
  for (const element of elements) watch.observe(element);
}
