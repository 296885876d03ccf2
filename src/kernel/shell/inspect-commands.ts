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
 * kernel state and change nothing; the book's paging and scheduler chapters
 * draw their figures with them.
 */
import { formatSize, hex, pad } from '../lib/format';
import {
  entryAddress,
  PageTables,
  PTE_ACCESSED,
  PTE_CACHE_DISABLE,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_PAGE_SIZE,
  PTE_NO_EXECUTE,
  PTE_OWNED,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
  PTE_WRITE_THROUGH,
  type WalkStep,
} from '../mm/page-table';
import { PAGE_SIZE } from '../mm/page-table';
import { PROT_EXEC, PROT_READ, PROT_WRITE, type MemoryArea } from '../mm/process-memory';
import { processOf } from '../proc/process';
import { findTask, IDLE_PID, sleepUntil, ticksNow } from '../sched/scheduler';
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

/** The entry bits by name, in bit order (SDM Vol. 3A Table 4-19); OWN is CottonOS's software bit 9. */
const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [PTE_PRESENT, 'P'],
  [PTE_WRITABLE, 'RW'],
  [PTE_USER, 'US'],
  [PTE_WRITE_THROUGH, 'PWT'],
  [PTE_CACHE_DISABLE, 'PCD'],
  [PTE_ACCESSED, 'A'],
  [PTE_DIRTY, 'D'],
  [PTE_PAGE_SIZE, 'PS'],
  [PTE_GLOBAL, 'G'],
  [PTE_OWNED, 'OWN'],
];

/** "P RW US A NX": the bits set in an entry. */
export function decodeEntryFlags(low: number, high: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (low & bit) !== 0).map(([, name]) => name);
  if ((high & PTE_NO_EXECUTE) !== 0) names.push('NX');
  return names.join(' ') || '-';
}

/** A raw 64-bit entry from its two words: 0x80000000_0012f007. */
function rawEntry(step: WalkStep): string {
  return `0x${(step.high >>> 0).toString(16).padStart(8, '0')}_${(step.low >>> 0).toString(16).padStart(8, '0')}`;
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

/** The PML4 of `pid`'s address space (0: the kernel's), or a message saying why there is none. */
function rootOf(sh: ShellContext, pid: number): { root: number; name: string } | string {
  if (pid === IDLE_PID) return { root: sh.kernel.memory.kernelSpace.root, name: 'kernel' };
  const task = findTask(pid);
  const process = task && processOf(task);
  if (!task || !process) return `no user process ${pid}`;
  if (task.state === 'zombie') return `process ${pid} has exited; its page tables are gone`;
  return { root: process.memory.space.root, name: task.name };
}

function walkCommand(args: string[], sh: ShellContext): ExitStatus {
  const pid = parsePid(args[0]);
  const virt = parseAddress(args[1]);
  if (pid === null || virt === null || args.length !== 2) {
    sh.println("walk: usage: walk <pid> <address>   (pid 0: the kernel's page tables)");
    return EXIT_FAILURE;
  }
  const space = rootOf(sh, pid);
  if (typeof space === 'string') {
    sh.println(`walk: ${space}`);
    return EXIT_FAILURE;
  }
  if (BigInt(virt) !== BigInt(args[1]!.replace(/_/g, ''))) {
    sh.println(
      `walk: note: ${args[1]} is not exact as a JavaScript number; walking ${hex(virt, 16)}, the nearest one`,
    );
  }
  const tables = new PageTables(sh.kernel.cpu, sh.kernel.memory.frames);
  sh.println(
    `walk ${hex(virt, virt >= 2 ** 32 ? 16 : 8)} in pid ${pid} (${space.name}): CR3 = PML4 at ${hex(space.root)}`,
  );
  sh.println('  level  table       index  entry                  flags');
  const steps = tables.walk(space.root, virt);
  for (const step of steps) {
    const present = (step.low & PTE_PRESENT) !== 0;
    sh.println(
      `  ${step.level.padEnd(5)}  ${hex(step.table, 8)}  ${pad(step.index, 5)}  ${rawEntry(step)}  ${present ? decodeEntryFlags(step.low, step.high) : 'not present'}`,
    );
  }
  const translation = tables.translate(space.root, virt);
  if (translation === null) {
    sh.println(
      `  → not mapped: the MMU would raise a page fault (#PF, vector 14) with CR2 = ${hex(virt)}`,
    );
    return EXIT_FAILURE;
  }
  const last = steps[steps.length - 1]!;
  const page = entryAddress(last) - (entryAddress(last) % translation.pageSize);
  const rights = `${(translation.flags & PTE_USER) !== 0 ? 'user' : 'kernel'} ${(translation.flags & PTE_WRITABLE) !== 0 ? 'read-write' : 'read-only'}${translation.noExecute ? ', no execute' : ''}`;
  sh.println(
    `  → ${formatSize(translation.pageSize)} page at ${hex(page)} + offset ${hex(virt % translation.pageSize)} = physical ${hex(translation.physical)} (${rights})`,
  );
  return EXIT_SUCCESS;
}

// ---- vm ----

function protString(prot: number): string {
  return `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}`;
}

function vmCommand(args: string[], sh: ShellContext): ExitStatus {
  const pid = parsePid(args[0]);
  const task = pid === null ? undefined : findTask(pid);
  const process = task && processOf(task);
  if (pid === null || args.length !== 1) {
    sh.println('vm: usage: vm <pid>');
    return EXIT_FAILURE;
  }
  if (!task || !process || task.state === 'zombie') {
    sh.println(`vm: no user process ${pid}`);
    return EXIT_FAILURE;
  }
  const memory = process.memory;
  sh.println(
    `pid ${pid} (${task.name}): PML4 at ${hex(memory.space.root)}, break ${hex(memory.break, 8)}`,
  );
  sh.println('  start       end         rights  kind    pages mapped');
  let mapped = 0;
  for (const area of memory.memoryAreas()) {
    const inArea = mappedPages(memory.space, area);
    mapped += inArea;
    const total = (area.end - area.start) / PAGE_SIZE;
    sh.println(
      `  ${hex(area.start, 8)}  ${hex(area.end, 8)}  ${protString(area.prot).padEnd(6)}  ${area.kind.padEnd(6)}  ${pad(inArea, 5)} of ${total}`,
    );
  }
  sh.println(
    `${mapped} pages mapped (${formatSize(mapped * PAGE_SIZE)}), ${memory.space.userPageCount()} in the page tables`,
  );
  return EXIT_SUCCESS;
}

/** Pages of `area` that the page tables map now. */
function mappedPages(space: { translate(virt: number): unknown }, area: MemoryArea): number {
  let count = 0;
  for (let page = area.start; page < area.end; page += PAGE_SIZE) {
    if (space.translate(page) !== null) count++;
  }
  return count;
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
