/**
 * The shell's inspection commands: looking inside the memory manager and the
 * scheduler while they work.
 *
 *   walk <pid> <address>   the MMU's 4-level walk of that address in that
 *                          process's page tables (pid 0: the kernel's own)
 *   vm <pid>               the process's memory areas, and how many of their
 *                          pages are mapped (demand paging at work)
 *   sched [ms]             which task each timer tick interrupted, for the
 *                          next ms milliseconds, as a timeline (read from the
 *                          scheduler's tick history, sched/tick-history.ts)
 *
 * Models: the debugging views real kernels offer (Linux's /proc/PID/maps and
 * /proc/PID/pagemap, QEMU's `info tlb`, `perf sched timehist`). They read
 * kernel state and change nothing; they print the data the book's paging and
 * scheduler figures draw (proc/memory-views.ts, sched/tick-history.ts), and
 * the Paging chapter's figures follow the last `walk` and `vm` typed.
 */
import { formatSize, hex, pad } from '../lib/format';
import { PAGE_SIZE } from '../mm/page-table';
import {
  addressSpaceView,
  addressText,
  pageWalkView,
  spaceOwner,
  type PageWalkView,
} from '../proc/memory-views';
import { IDLE_PID, sleepUntil, ticksNow } from '../sched/scheduler';
import { TickHistoryGone, tickTimeline } from '../sched/tick-history';
import type { TickTimeline, TimelineTask } from '../sched/tick-history';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

export const INSPECT_COMMANDS: readonly ShellCommand[] = [
  {
    name: 'walk',
    usage: '<pid> <address>',
    help: 'walk the page tables of a process (0: the kernel) for an address',
    run: walkCommand,
  },
  {
    name: 'vm',
    usage: '<pid>',
    help: "a process's memory areas and how many of their pages are mapped",
    run: vmCommand,
  },
  {
    name: 'sched',
    usage: '[ms]',
    help: 'which task ran at each timer tick, for the next ms (default 200)',
    run: schedCommand,
  },
];

// ---- walk ----

/** The last `walk` and `vm` typed: the Paging chapter's figures follow them (inspect/views.ts). */
let lastWalk: { readonly pid: number; readonly address: number } | null = null;
let lastVmPid: number | null = null;

export function lastWalked(): { readonly pid: number; readonly address: number } | null {
  return lastWalk;
}

export function lastVmShown(): number | null {
  return lastVmPid;
}

/** An address typed by the user: hex with 0x (underscores allowed) or decimal. Null if neither. */
function parseAddress(text: string | undefined): number | null {
  if (text === undefined) return null;
  const cleaned = text.replace(/_/g, '');
  if (/^0x[0-9a-f]{1,16}$/i.test(cleaned)) return Number(cleaned);
  if (/^\d+$/.test(cleaned)) return Number(cleaned);
  return null;
}

function parsePid(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

function walkCommand(args: string[], sh: ShellContext): ExitStatus {
  const pid = parsePid(args[0]);
  const virt = parseAddress(args[1]);
  if (pid === null || virt === null || args.length !== 2) {
    sh.println("walk: usage: walk <pid> <address>   (pid 0: the kernel's page tables)");
    return EXIT_FAILURE;
  }
  const owner = spaceOwner(sh.kernel, pid);
  if (typeof owner === 'string') {
    sh.println(`walk: ${owner}`);
    return EXIT_FAILURE;
  }
  if (BigInt(virt) !== BigInt(args[1]!.replace(/_/g, ''))) {
    sh.println(
      `walk: note: ${args[1]} is not exact as a JavaScript number; walking ${hex(virt, 16)}, the nearest one`,
    );
  }
  lastWalk = { pid, address: virt };
  return printWalk(sh, pageWalkView(sh.kernel, owner, virt));
}

function printWalk(sh: ShellContext, walk: PageWalkView): ExitStatus {
  const { owner, address, translation } = walk;
  sh.println(
    `walk ${addressText(address)} in pid ${owner.pid} (${owner.name}): CR3 = PML4 at ${hex(owner.root)}`,
  );
  sh.println('  level  table       index  entry                  flags');
  for (const step of walk.steps) {
    sh.println(
      `  ${step.level.padEnd(5)}  ${hex(step.table, 8)}  ${pad(step.index, 5)}  ${step.raw}  ${step.present ? step.flags.join(' ') || '-' : 'not present'}`,
    );
  }
  if (translation === null) {
    sh.println(
      `  → not mapped: the MMU would raise a page fault (#PF, vector 14) with CR2 = ${hex(address)}`,
    );
    return EXIT_FAILURE;
  }
  const rights = `${translation.user ? 'user' : 'kernel'} ${translation.writable ? 'read-write' : 'read-only'}${translation.noExecute ? ', no execute' : ''}`;
  sh.println(
    `  → ${formatSize(translation.pageSize)} page at ${hex(translation.page)} + offset ${hex(translation.offset)} = physical ${hex(translation.physical)} (${rights})`,
  );
  return EXIT_SUCCESS;
}

// ---- vm ----

function vmCommand(args: string[], sh: ShellContext): ExitStatus {
  const pid = parsePid(args[0]);
  if (pid === null || args.length !== 1) {
    sh.println('vm: usage: vm <pid>');
    return EXIT_FAILURE;
  }
  const space = addressSpaceView(pid);
  if (typeof space === 'string') {
    sh.println(`vm: ${space}`);
    return EXIT_FAILURE;
  }
  lastVmPid = pid;
  sh.println(
    `pid ${pid} (${space.owner.name}): PML4 at ${hex(space.owner.root)}, break ${hex(space.break, 8)}`,
  );
  sh.println('  start       end         rights  kind    pages mapped');
  let mapped = 0;
  for (const area of space.areas) {
    mapped += area.mapped;
    sh.println(
      `  ${hex(area.start, 8)}  ${hex(area.end, 8)}  ${area.rights.padEnd(6)}  ${area.kind.padEnd(6)}  ${pad(area.mapped, 5)} of ${area.pages}`,
    );
  }
  sh.println(
    `${mapped} pages mapped (${formatSize(mapped * PAGE_SIZE)}), ${space.pagesInTables} in the page tables`,
  );
  return EXIT_SUCCESS;
}

// ---- sched ----

const DEFAULT_SCHED_MS = 200;
const MAX_SCHED_MS = 5000;
/** The widest timeline the terminal shows; longer runs put several ticks in a column. */
const TIMELINE_COLUMNS = 60;

function* schedCommand(args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  const ms = args.length === 0 ? DEFAULT_SCHED_MS : parsePid(args[0]);
  if (ms === null || ms < 1 || ms > MAX_SCHED_MS || args.length > 1) {
    sh.println(`sched: usage: sched [ms]   (1 to ${MAX_SCHED_MS}, default ${DEFAULT_SCHED_MS})`);
    return EXIT_FAILURE;
  }
  const start = ticksNow();
  yield* sleepUntil(start + ms + 1);
  try {
    printTimeline(sh, tickTimeline(start + 1, start + ms));
  } catch (error) {
    if (!(error instanceof TickHistoryGone)) throw error;
    sh.println(`sched: ${error.message}`);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

/** The `sched` text of a timeline: a row of columns per task, then each task's share and slices. */
export function printTimeline(sh: Pick<ShellContext, 'println'>, timeline: TickTimeline): void {
  const ms = timeline.pids.length;
  const perColumn = Math.ceil(ms / TIMELINE_COLUMNS);
  const columns = Math.ceil(ms / perColumn);
  sh.println(
    `sched: ${ms} timer ticks (1 ms each), ${perColumn === 1 ? 'one column per tick' : `one column per ${perColumn} ticks`}; # ran the whole column, + part of it`,
  );
  const label = (task: TimelineTask): string =>
    task.pid === IDLE_PID ? '[idle]' : `${task.name} (pri ${task.priority})`;
  const width = Math.max(...timeline.tasks.map((task) => label(task).length)) + 7;
  for (const task of timeline.tasks) {
    let line = '';
    for (let column = 0; column < columns; column++) {
      const slice = timeline.pids.slice(column * perColumn, (column + 1) * perColumn);
      const hits = slice.filter((pid) => pid === task.pid).length;
      line += hits === 0 ? '.' : hits === slice.length ? '#' : '+';
    }
    sh.println(`${`${pad(task.pid, 4)} ${label(task)}`.padEnd(width)}|${line}|`);
  }
  sh.println('');
  sh.println('   pid  ticks  share  slices  average slice');
  for (const task of timeline.tasks) {
    const slices = task.slices.length;
    const share = `${Math.round((100 * task.ticks) / ms)}%`;
    sh.println(
      `  ${pad(task.pid, 4)}  ${pad(task.ticks, 5)}  ${pad(share, 5)}  ${pad(slices, 6)}  ${pad((task.ticks / Math.max(slices, 1)).toFixed(1), 8)} ms`,
    );
  }
}
