/**
 * A process's memory as data: the MMU's walk of one address through its page
 * tables, and its address space's areas with how many of their pages are mapped.
 *
 * Models: the debugging views real kernels offer (QEMU's `info tlb`, Linux's
 * /proc/PID/pagemap and /proc/PID/maps). The shell's `walk` and `vm` print
 * them and the Paging chapter's figures draw them (inspect/views.ts), from
 * these functions, so text and figure never disagree. They only read page
 * tables and the process's list of areas. A walk reads at most four entries;
 * counting an area's mapped pages translates each of its pages.
 *
 * Entry bits by name follow the SDM (Vol. 3A Table 4-19); OWN and COW are
 * CottonOS's software bits 9 and 10.
 */
import { hex } from '../lib/format';
import {
  entryAddress,
  PageTables,
  PAGE_SIZE,
  PTE_ACCESSED,
  PTE_CACHE_DISABLE,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_NO_EXECUTE,
  PTE_OWNED,
  PTE_PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
  PTE_WRITE_THROUGH,
  pdIndex,
  pdptIndex,
  pml4Index,
  ptIndex,
  type LevelName,
} from '../mm/page-table';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../mm/process-memory';
import type { AreaKind } from '../mm/process-memory';
import { findTask, IDLE_PID } from '../sched/scheduler';
import type { KernelCore } from './kernel';
import { processOf } from './process';

/** The entry bits by name, in bit order; NX (bit 63) is in the high word. */
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

/** The names of the bits set in an entry: ['P', 'RW', 'US', 'A', 'NX']. */
export function entryFlagNames(low: number, high: number): string[] {
  const names = FLAG_NAMES.filter(([bit]) => (low & bit) !== 0).map(([, name]) => name);
  if ((high & PTE_NO_EXECUTE) !== 0) names.push('NX');
  return names;
}

/** A raw 64-bit entry from its two words: 0x80000000_0012f007. */
function rawEntry(low: number, high: number): string {
  return `0x${(high >>> 0).toString(16).padStart(8, '0')}_${(low >>> 0).toString(16).padStart(8, '0')}`;
}

/** Whose page tables: a process's, or the kernel's (pid 0). */
export interface SpaceOwner {
  readonly pid: number;
  readonly name: string;
  /** Physical address of the PML4 (what CR3 holds while it runs). */
  readonly root: number;
}

/** The PML4 of `pid`'s address space (0: the kernel's), or why there is none. */
export function spaceOwner(kernel: KernelCore, pid: number): SpaceOwner | string {
  if (pid === IDLE_PID) return { pid, name: 'kernel', root: kernel.memory.kernelSpace.root };
  const task = findTask(pid);
  const process = task && processOf(task);
  if (!task || !process) return `no user process ${pid}`;
  if (task.state === 'zombie') return `process ${pid} has exited; its page tables are gone`;
  return { pid, name: task.name, root: process.memory.space.root };
}

// ---- The walk ----

export interface WalkStepView {
  readonly level: LevelName;
  /** Physical address of the table read at this level. */
  readonly table: number;
  /** Which of its 512 entries: bits of the address (47:39, 38:30, 29:21, 20:12). */
  readonly index: number;
  readonly raw: string;
  readonly present: boolean;
  readonly flags: readonly string[];
  /** Where the entry points (the next table, or the page), if present. */
  readonly points: number | null;
}

export interface PageWalkView {
  readonly owner: SpaceOwner;
  readonly address: number;
  /** The address split as the MMU splits it (SDM Vol. 3A Figure 4-8). */
  readonly indices: {
    readonly pml4: number;
    readonly pdpt: number;
    readonly pd: number;
    readonly pt: number;
    readonly offset: number;
  };
  readonly steps: readonly WalkStepView[];
  /** Null when the walk ends at an entry not present: the MMU raises #PF. */
  readonly translation: {
    readonly page: number;
    readonly pageSize: number;
    readonly offset: number;
    readonly physical: number;
    readonly user: boolean;
    readonly writable: boolean;
    readonly noExecute: boolean;
  } | null;
}

export function pageWalkView(kernel: KernelCore, owner: SpaceOwner, address: number): PageWalkView {
  const tables = new PageTables(kernel.cpu, kernel.memory.frames);
  const steps = tables.walk(owner.root, address).map((step) => {
    const present = (step.low & PTE_PRESENT) !== 0;
    return {
      level: step.level,
      table: step.table,
      index: step.index,
      raw: rawEntry(step.low, step.high),
      present,
      flags: entryFlagNames(step.low, step.high),
      points: present ? entryAddress(step) : null,
    };
  });
  const translation = tables.translate(owner.root, address);
  const last = steps[steps.length - 1];
  return {
    owner,
    address,
    indices: {
      pml4: pml4Index(address),
      pdpt: pdptIndex(address),
      pd: pdIndex(address),
      pt: ptIndex(address),
      offset: address % PAGE_SIZE,
    },
    steps,
    translation:
      translation === null || last?.points == null
        ? null
        : {
            page: last.points - (last.points % translation.pageSize),
            pageSize: translation.pageSize,
            offset: address % translation.pageSize,
            physical: translation.physical,
            user: (translation.flags & PTE_USER) !== 0,
            writable: (translation.flags & PTE_WRITABLE) !== 0,
            noExecute: translation.noExecute,
          },
  };
}

// ---- The address space ----

export interface AreaView {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /** "r-x", as /proc/PID/maps writes them. */
  readonly rights: string;
  readonly kind: AreaKind;
  readonly pages: number;
  /** Pages the page tables map now (the rest are demand-paged in on first touch). */
  readonly mapped: number;
}

export interface AddressSpaceView {
  readonly owner: SpaceOwner;
  readonly break: number;
  readonly areas: readonly AreaView[];
  /** User pages in the page tables, areas or not. */
  readonly pagesInTables: number;
}

function rightsOf(prot: number): string {
  return `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}`;
}

/** The areas of process `pid`, or why it has none (the kernel, pid 0, has no areas). */
export function addressSpaceView(pid: number): AddressSpaceView | string {
  const task = findTask(pid);
  const process = task && processOf(task);
  if (!task || !process || task.state === 'zombie') return `no user process ${pid}`;
  const { memory } = process;
  const areas = memory.memoryAreas().map((area) => {
    let mapped = 0;
    for (let page = area.start; page < area.end; page += PAGE_SIZE) {
      if (memory.space.translate(page) !== null) mapped++;
    }
    return {
      start: area.start,
      end: area.end,
      rights: rightsOf(area.prot),
      kind: area.kind,
      pages: (area.end - area.start) / PAGE_SIZE,
      mapped,
    };
  });
  return {
    owner: { pid, name: task.name, root: memory.space.root },
    break: memory.break,
    areas,
    pagesInTables: memory.space.userPageCount(),
  };
}

/** "0x00010000" for 32-bit addresses, 16 digits above: how walk and vm write an address. */
export function addressText(address: number): string {
  return hex(address, address >= 2 ** 32 ? 16 : 8);
}
