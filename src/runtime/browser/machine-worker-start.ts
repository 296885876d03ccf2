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
 * Opening the disk ahead is safe for the first worker only: no other machine
 * of the page runs yet, so no one has writes the disk could miss.
 */
import { type Remote, wrap } from 'comlink';
import type { MachineWorkerApi } from '../worker/machine-worker';

export interface WorkerHandle {
  readonly worker: Worker;
  readonly api: Remote<MachineWorkerApi>;
  /** Rejects if the worker's script fails to load or throws outside any call. */
  readonly failed: Promise<never>;
}

export function startWorker(): WorkerHandle {
  const worker = new Worker(new URL('../worker/machine-worker.ts', import.meta.url), {
    type: 'module',
    name: 'cotton-machine',
  });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) =>
      reject(new Error(`the machine worker failed: ${event.message || 'could not load'}`)),
    );
  });
  failed.catch(() => {});
  return { worker, api: wrap<MachineWorkerApi>(worker), failed };
}

let first: WorkerHandle | null = null;

if (typeof document !== 'undefined' && document.querySelector('cotton-machine')) {
  first = startWorker();
  void first.api.prepare({ transpiler: false, disk: true, rehearse: false }).catch(() => {});
}

/** The worker started with the page, once (null after that, or on a page without a machine). */
export function takeFirstWorker(): WorkerHandle | null {
  const handle = first;
  first = null;
  return handle;
}
