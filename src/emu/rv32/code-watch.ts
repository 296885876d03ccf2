/**
 * The write watch over physical pages that hold code the user CPU has
 * prepared: pre-decoded instructions (decoded-code.ts) and translated blocks
 * (code-cache.ts).
 *
 * PhysicalMemory reports writes into watched pages to one watcher; both caches
 * need them, and a page stays watched while either still holds something
 * derived from it. A page that becomes watched also loses its fast-path write
 * access in the MMU's TLB, so the user CPU's own stores into it take the slow
 * path and reach the watcher as well.
 *
 * The memory's watcher is installed on the first page watched, so a machine
 * that never runs user code pays nothing for it on the kernel's stores.
 */
import type { Mmu } from '../paging/mmu';
import type { PhysicalMemory, WriteWatcher } from '../physical-memory';

/** Owners of a watch: which cache holds something derived from the page. */
export const WATCH_DECODED = 1;
export const WATCH_TRANSLATED = 2;

export class CodeWatch {
  /** Per physical page: a mask of WATCH_* owners. */
  private readonly owners: Uint8Array;
  private readonly listeners: WriteWatcher[] = [];
  private installed = false;

  constructor(
    private readonly memory: PhysicalMemory,
    private readonly mmu: Mmu,
  ) {
    this.owners = new Uint8Array(Math.ceil(memory.size / 4096));
  }

  /** Called with every write into a watched page (after the write). */
  listen(listener: WriteWatcher): void {
    this.listeners.push(listener);
  }

  /** `owner` now holds code derived from physical page `pageNumber` (a RAM page). */
  watch(pageNumber: number, owner: number): void {
    const before = this.owners[pageNumber]!;
    if ((before & owner) !== 0) return;
    this.owners[pageNumber] = before | owner;
    if (before !== 0) return;
    if (!this.installed) {
      const listeners = this.listeners;
      this.memory.setWriteWatcher((addr, length) => {
        for (let i = 0; i < listeners.length; i++) listeners[i]!(addr, length);
      });
      this.installed = true;
    }
    this.memory.watchPage(pageNumber * 4096, true);
    this.mmu.revokeWriteAccess(pageNumber * 4096);
  }

  /** `owner` no longer holds anything derived from page `pageNumber`. */
  unwatch(pageNumber: number, owner: number): void {
    const before = this.owners[pageNumber]!;
    if ((before & owner) === 0) return;
    this.owners[pageNumber] = before & ~owner;
    if (this.owners[pageNumber] === 0) this.memory.watchPage(pageNumber * 4096, false);
  }
}
