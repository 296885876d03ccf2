/**
 * The views: every structured snapshot of kernel state the book's figures
 * draw, by name.
 *
 * Models: a debugger's or /proc's read-only views of a running kernel (Linux's
 * /proc/iomem, /proc/PID/maps, debugfs). Each view is a producer that lives in
 * the subsystem it describes and returns plain data (numbers, strings,
 * booleans, arrays, plain objects), which the shell's text command for the
 * same thing prints too; this table only names them, so that the host can ask
 * for one (./inspection-channel.ts) and a figure can draw it (src/figures/).
 * Producers read and never change kernel state, and cost what they show.
 *
 * Adding a view: one entry here, `'view-name': (kernel, args) => producer(...)`,
 * reading its arguments with the helpers below (docs/figures.md).
 */
import { bootStages } from '../lib/boot-stages';
import { physicalMemoryView } from '../mm/physical-memory-view';
import { diskMapView, diskView, inodeView, journalView } from '../fs/cottonfs/inspection';
import { readyQueuesNow, recentTimeline } from '../sched/scheduler';
import { lastInodeShown } from '../shell/fs-inspect-commands';
import { addressSpaceView, pageWalkView, spaceOwner } from '../proc/memory-views';
import { lastVmShown, lastWalked } from '../shell/inspect-commands';
import { ofCurrentDesktop, recentDamage, windowStack } from '../gui/desktop-inspect';
import { socketTable } from '../net/socket-table';
import { lastTlsHandshake } from '../net/tls-history';
import type { Kernel } from '../proc/kernel';

/** A view's arguments, as a figure's `args` give them: `{ pid: 1, address: '0x10000' }`. */
export type ViewArgs = Readonly<Record<string, string | number | boolean>>;

export interface ViewRequest {
  readonly view: string;
  readonly args?: ViewArgs;
}

export type ViewProducer = (kernel: Kernel, args: ViewArgs) => unknown;

/** A request for an unknown view, or with arguments the view cannot use. */
export class ViewRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ViewRequestError';
  }
}

export const VIEWS: Readonly<Record<string, ViewProducer>> = {
  'memory-map': (kernel) => physicalMemoryView(kernel.bootInfo, kernel.memory),
  'boot-stages': (kernel) => bootStages(kernel.log.entries(), kernel.log.dropped),
  // The reader's last `walk` (or `vm`) if its process still runs, else the figure's own arguments.
  'page-walk': (kernel, args) => {
    const last = lastWalked();
    const owner = last && spaceOwner(kernel, last.pid);
    if (last && typeof owner !== 'string' && owner)
      return pageWalkView(kernel, owner, last.address);
    const pid = integerArg(args, 'pid');
    return pageWalkView(kernel, found(spaceOwner(kernel, pid)), addressArg(args, 'address'));
  },
  'address-space': (kernel, args) => {
    const last = lastVmShown();
    const space = last === null ? null : addressSpaceView(last);
    return space && typeof space !== 'string'
      ? space
      : found(addressSpaceView(integerArg(args, 'pid')));
  },
  'tcp-connections': (kernel) => (kernel.net ? socketTable(kernel.net.stack) : null),
  'tcp-sequence': (kernel) => kernel.net?.stack.tcp.trace.lastConnection() ?? null,
  'tls-handshake': (kernel) => (kernel.net ? lastTlsHandshake(kernel.net.stack) : null),
  'tls-chain': (kernel) => (kernel.net ? lastTlsHandshake(kernel.net.stack) : null),
  'window-stack': () => ofCurrentDesktop(windowStack),
  'desktop-damage': () => ofCurrentDesktop(recentDamage),
  'disk-layout': (kernel, args) => diskMapView(kernel.vfs, String(args.mount ?? '/')),
  'block-map': (kernel, args) => diskView(kernel.vfs, String(args.mount ?? '/')),
  journal: (kernel, args) => journalView(kernel.vfs, String(args.mount ?? '/')),
  // The file of the reader's last `inode`, else the figure's own path.
  'inode-tree': (kernel, args) =>
    inodeView(kernel.vfs, lastInodeShown() ?? String(args.path ?? '/')),
  'sched-timeline': (_kernel, args) => recentTimeline(integerArg(args, 'ticks', 200)),
  'run-queues': () => readyQueuesNow(),
};

/** Take the view `request` names; throws ViewRequestError for an unknown view or bad arguments. */
export function inspectView(kernel: Kernel, request: ViewRequest): unknown {
  const producer = Object.hasOwn(VIEWS, request.view) ? VIEWS[request.view] : undefined;
  if (!producer) {
    throw new ViewRequestError(
      `no view '${request.view}' (known: ${Object.keys(VIEWS).sort().join(', ')})`,
    );
  }
  return producer(kernel, request.args ?? {});
}

/** What a producer found, or a ViewRequestError saying why it found nothing. */
export function found<T>(result: T | string): T {
  if (typeof result === 'string') throw new ViewRequestError(result);
  return result;
}

/** A whole-number argument (a pid, a count), or `fallback` when absent. */
export function integerArg(args: ViewArgs, name: string, fallback?: number): number {
  const value = args[name] ?? fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new ViewRequestError(`argument '${name}' must be a whole number, not ${String(value)}`);
  }
  return number;
}

/** An address argument: a number, or a string in hex (0x, underscores allowed) or decimal. */
export function addressArg(args: ViewArgs, name: string, fallback?: number): number {
  const value = args[name] ?? fallback;
  const text = typeof value === 'string' ? value.replace(/_/g, '') : undefined;
  const number =
    text !== undefined && (/^0x[0-9a-f]{1,13}$/i.test(text) || /^\d{1,16}$/.test(text))
      ? Number(text)
      : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new ViewRequestError(`argument '${name}' must be an address, not ${String(value)}`);
  }
  return number;
}
