/**
 * What a machine worker gets ready before it is asked to boot (its API's
 * `prepare`), and the page's first worker, as both sides know it: the page
 * starts it (from its HTML, node/early-worker.ts, or from its first script,
 * browser/machine-worker-start.ts) and the worker prepares for it.
 *
 * The first worker of a page prepares everything ahead of its boot, the
 * reader's disk included: no other machine of the page runs yet, so no one
 * has writes the disk could miss. A worker started from the page's HTML is
 * named FIRST_WORKER_NAME and prepares at once, before the page's scripts run
 * to ask it. Its name says so, not its URL: a script URL with a fragment or
 * a query would be a module apart from the one the worker's own chunks (the
 * transpiler's) import, and importing one would load the worker a second time.
 */

/** What `prepare` gets ready ahead of a boot. */
export interface Preparation {
  /** Load the transpiler too (the reader has edits). */
  readonly transpiler: boolean;
  /** Open the reader's disk (only the page's first worker may: no other machine writes it yet). */
  readonly disk: boolean;
  /** Rehearse a boot (a spare worker, in the page's spare time). */
  readonly rehearse: boolean;
}

/** What every machine worker is named (the page's Worker option `name`, the worker's `self.name`)… */
export const WORKER_NAME = 'cotton-machine';
/** …but the page's first, started from its HTML. */
export const FIRST_WORKER_NAME = 'cotton-machine first';

export const FIRST_WORKER_PREPARATION: Preparation = {
  transpiler: false,
  disk: true,
  rehearse: false,
};
