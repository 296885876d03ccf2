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
 *
 * A first worker started from the HTML may also be told the boot its page
 * will ask for (`firstWorkerName`): the machine's options as the build wrote
 * them, when the reader has no saved edits of its files. It then boots that
 * machine as soon as its kernel and disk are ready, without waiting for the
 * page's scripts to ask (the worker's `boot` adopts it if the page asks for
 * the same machine, and power-cycles it otherwise).
 */

/** The machine the page asks a worker to boot (its API's `boot`). */
export interface MachineOptions {
  readonly overrides: Readonly<Record<string, string>>;
  readonly ramMiB?: number;
  readonly cmdline?: string;
  /** Report the screen's changes (a <Machine screen> page). */
  readonly screen?: boolean;
}

/** What `prepare` gets ready ahead of a boot. */
export interface Preparation {
  /** Load the transpiler too (the reader has edits). */
  readonly transpiler: boolean;
  /** Open the reader's disk (only the page's first worker may: no other machine writes it yet). */
  readonly disk: boolean;
  /** Rehearse a boot (a spare worker, in the page's spare time). */
  readonly rehearse: boolean;
  /** Boot this machine once ready, before the page asks (a first worker that knows its boot). */
  readonly boot?: BootAhead | null;
}

/**
 * Where the page keeps the reader's edits (browser/edits-store.ts): one
 * localStorage entry per file, under this prefix and the file's path. The
 * page's HTML reads it to tell whether its machine boots the book's kernel.
 */
export const EDIT_KEY_PREFIX = 'cottonos:edit:';

/** What every machine worker is named (the page's Worker option `name`, the worker's `self.name`)… */
export const WORKER_NAME = 'cotton-machine';
/** …but the page's first, started from its HTML. */
export const FIRST_WORKER_NAME = 'cotton-machine first';

/** The boot a first worker may start before it is asked: the book's kernel, no edits. */
export type BootAhead = Omit<MachineOptions, 'overrides'>;

/** The first worker's name, carrying the boot to start ahead, if any. */
export function firstWorkerName(ahead: BootAhead | null): string {
  return ahead ? `${FIRST_WORKER_NAME} ${JSON.stringify(ahead)}` : FIRST_WORKER_NAME;
}

/**
 * What a worker's name says: whether it is a page's first, started from its
 * HTML, and the boot to start ahead. A name that does not parse asks for no
 * boot ahead (the page's own `boot` call then starts it as usual).
 */
export function readWorkerName(name: string): { first: boolean; ahead: BootAhead | null } {
  if (name === FIRST_WORKER_NAME) return { first: true, ahead: null };
  if (!name.startsWith(`${FIRST_WORKER_NAME} `)) return { first: false, ahead: null };
  try {
    const ahead: unknown = JSON.parse(name.slice(FIRST_WORKER_NAME.length + 1));
    return { first: true, ahead: isBootAhead(ahead) ? ahead : null };
  } catch {
    return { first: true, ahead: null };
  }
}

function isBootAhead(value: unknown): value is BootAhead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { ramMiB, cmdline, screen } = value as Record<string, unknown>;
  return (
    (ramMiB === undefined || (typeof ramMiB === 'number' && Number.isFinite(ramMiB))) &&
    (cmdline === undefined || typeof cmdline === 'string') &&
    (screen === undefined || typeof screen === 'boolean')
  );
}

/** Whether the page asks for the machine booted ahead: no edits, the same options. */
export function isBootAheadOf(ahead: BootAhead, asked: MachineOptions): boolean {
  return (
    Object.keys(asked.overrides).length === 0 &&
    asked.ramMiB === ahead.ramMiB &&
    asked.cmdline === ahead.cmdline &&
    Boolean(asked.screen) === Boolean(ahead.screen)
  );
}

export const FIRST_WORKER_PREPARATION: Preparation = {
  transpiler: false,
  disk: true,
  rehearse: false,
};
