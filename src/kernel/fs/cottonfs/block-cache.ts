/**
 * The block cache: recently used blocks in memory, changed blocks held back.
 *
 * Models: the buffer cache of Unix (Linux's buffer heads over the page cache).
 * Every block the file system touches goes through here. A read that hits
 * costs nothing; a miss reads the block from the device. A change is made to
 * the cached copy and only marks it dirty: the block is written back later,
 * all at once, when the journal commits (./journal.ts). That is write-back
 * caching, and it is also what makes transactions possible: the dirty blocks
 * *are* the running transaction.
 *
 * Clean blocks are evicted least recently used first (a Map remembers
 * insertion order, so re-inserting a block on use keeps the order). Dirty
 * blocks are never evicted: they stay until the commit has written them.
 */
import type { BlockDevice, Io } from '../block-device';
import { BLOCK_SIZE } from '../block-device';

export const DEFAULT_CACHE_BLOCKS = 2048;

export interface CacheStatistics {
  hits: number;
  misses: number;
}

export class BlockCache {
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly dirty = new Set<number>();
  readonly statistics: CacheStatistics = { hits: 0, misses: 0 };

  constructor(
    readonly device: BlockDevice,
    readonly capacity = DEFAULT_CACHE_BLOCKS,
  ) {}

  /** The cached contents of `block`, for reading only. Change a block with `modify`. */
  *read(block: number): Io<Uint8Array> {
    const cached = this.blocks.get(block);
    if (cached) {
      this.statistics.hits++;
      this.blocks.delete(block);
      this.blocks.set(block, cached);
      return cached;
    }
    this.statistics.misses++;
    const data = new Uint8Array(BLOCK_SIZE);
    yield* this.device.readBlock(block, data);
    this.insert(block, data);
    return data;
  }

  /** The cached contents of `block` if the cache holds it, for looking only: no I/O, no change to the order or the statistics. */
  peek(block: number): Uint8Array | undefined {
    return this.blocks.get(block);
  }

  /** The cached contents of `block`, marked dirty: change them in place. */
  *modify(block: number): Io<Uint8Array> {
    const data = yield* this.read(block);
    this.dirty.add(block);
    return data;
  }

  /** A block whose old contents do not matter (a new block, a whole-block write): zeroed and dirty, never read. */
  overwrite(block: number): Uint8Array {
    let data = this.blocks.get(block);
    if (data) data.fill(0);
    else this.insert(block, (data = new Uint8Array(BLOCK_SIZE)));
    this.dirty.add(block);
    return data;
  }

  /** Drop `block` (it was freed): its contents will never be written. */
  discard(block: number): void {
    this.blocks.delete(block);
    this.dirty.delete(block);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** The dirty blocks and their contents, in block order: what the journal commits. */
  dirtyBlocks(): { block: number; data: Uint8Array }[] {
    return [...this.dirty]
      .sort((a, b) => a - b)
      .map((block) => ({ block, data: this.blocks.get(block)! }));
  }

  /** The dirty blocks are on disk now: they may be evicted again. */
  markAllClean(): void {
    this.dirty.clear();
    this.evictIfFull();
  }

  /** Forget everything, dirty blocks included (after a simulated crash, or on unmount). */
  clear(): void {
    this.blocks.clear();
    this.dirty.clear();
  }

  private insert(block: number, data: Uint8Array): void {
    this.blocks.set(block, data);
    this.evictIfFull();
  }

  private evictIfFull(): void {
    if (this.blocks.size <= this.capacity) return;
    for (const block of this.blocks.keys()) {
      if (this.blocks.size <= this.capacity) break;
      if (!this.dirty.has(block)) this.blocks.delete(block);
    }
  }
}
