/**
 * Starting a machine worker, and starting the page's first one early.
 *
 * A machine worker's script is large (the emulator and the whole kernel,
 * compiled), so the time it takes to load and compile it decides when the
 * reader sees a prompt. This module is the page's first script on a chapter
 * with a machine (components/Machine.astro loads it ahead of the terminal and
 * the machine element): it starts the worker at once and has it prepare the
 * book's kernel, its programs and the reader's disk, while the page is still
 * evaluating xterm and laying itself out on the other core. The machine
 * element's first session then takes that worker (`takeFirstWorker`) instead
 * of starting one of its own.
 *
 * On a built book the page's HTML has started that worker already, before
 * any script of the page ran (node/early-worker.ts): this module adopts it.
 *
 * Opening the disk ahead is safe for the first worker only: no other machine
 * of the page runs yet, so no one has writes the disk could miss.
 */
import { type Remote, wrap } from 'comlink';
import { FIRST_WORKER_PREPARATION, WORKER_NAME } from '../worker/preparation';
import type { MachineWorkerApi } from '../worker/machine-worker';

/** The worker the page's HTML started, and why it failed if it did before this module ran. */
type EarlyWorker = Worker & { cottonFailed?: string };

declare global {
  var cottonFirstWorker: EarlyWorker | undefined;
}

export interface WorkerHandle {
  readonly worker: Worker;
  readonly api: Remote<MachineWorkerApi>;
  /** Rejects if the worker's script fails to load or throws outside any call. */
  readonly failed: Promise<never>;
}

function handleOf(worker: EarlyWorker): WorkerHandle {
  const failure = (message: string) => new Error(`the machine worker failed: ${message}`);
  const failed = new Promise<never>((_, reject) => {
    if (worker.cottonFailed !== undefined) reject(failure(worker.cottonFailed));
    worker.addEventListener('error', (event) => reject(failure(event.message || 'could not load')));
  });
  failed.catch(() => {});
  return { worker, api: wrap<MachineWorkerApi>(worker), failed };
}

export function startWorker(): WorkerHandle {
  return handleOf(
    new Worker(new URL('../worker/machine-worker.ts', import.meta.url), {
      type: 'module',
      name: WORKER_NAME,
    }),
  );
}

let first: WorkerHandle | null = null;

if (typeof document !== 'undefined' && document.querySelector('cotton-machine')) {
  const early = globalThis.cottonFirstWorker;
  first = early ? handleOf(early) : startWorker();
  // An early worker is preparing already: asking again only waits for the same work.
  void first.api.prepare(FIRST_WORKER_PREPARATION).catch(() => {});
}

/** The worker started with the page, once (null after that, or on a page without a machine). */
export function takeFirstWorker(): WorkerHandle | null {
  const handle = first;
  first = null;
  return handle;
}
