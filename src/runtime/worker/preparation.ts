/**
 * What a machine worker gets ready before it is asked to boot (its API's
 * `prepare`), and the page's first worker, as both sides know it: the page
 * starts it (from its HTML, node/early-worker.ts, or from its first script,
 * browser/machine-worker-start.ts) and the worker prepares for it.
 *
 * The first worker of a page prepares everything ahead of its boot, the
 * reader's disk included: no other machine of the page runs yet, so no one
 * has writes the disk could miss. A worker started from the page's HTML has
 * a script URL ending in FIRST_WORKER_HASH and prepares at once, before the
 * page's scripts run to ask it (the fragment does not change what is fetched
 * or cached).
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

export const FIRST_WORKER_HASH = '#first';

export const FIRST_WORKER_PREPARATION: Preparation = {
  transpiler: false,
  disk: true,
  rehearse: false,
};
