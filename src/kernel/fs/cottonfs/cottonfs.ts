/**
 * CottonFS: the file system logic, over the block cache and the journal.
 *
 * Models: ext2 (one block group, inodes with a pointer tree, bitmaps,
 * directories as files of entries) made crash-safe by a JBD-style journal
 * (ext3). The on-disk structures are in their own files (superblock.ts,
 * inode-format.ts, bitmap.ts, directory-entry.ts, block-map.ts); this file
 * decides what to change and in which order.
 *
 * How a change reaches the disk. Every operation changes blocks in the cache
 * only (./block-cache.ts); the changed blocks accumulate into the running
 * transaction, which the journal (./journal.ts) commits at `sync` or when the
 * next operation might not fit in the journal any more. An operation first
 * calls `beginStep` with the most blocks it may dirty, so a commit never
 * falls in the middle of it: each operation is atomic. Before it changes
 * anything an operation checks everything that can fail (names, existence,
 * emptiness), so that an error leaves the file system as it was, or at worst
 * with an extra empty directory block, which is still consistent.
 *
 * Every method is an `Io` generator because it may wait for the disk; see
 * ./block-device.ts. Times come from the `clock` the kernel passes in (Unix
 * seconds from the RTC); reads do not update the access time (as Linux's
 * `noatime`), so reading never writes.
 */
import { clearBit, findClearBit, setBit, testBit, bitmapPosition } from './bitmap';
import type { BlockDevice, Io } from '../block-device';
import { BlockCache, DEFAULT_CACHE_BLOCKS } from './block-cache';
import type { Depth } from './block-map';
import {
  MAX_FILE_SIZE,
  blockPath,
  readPointer,
  setTreeRoot,
  treeRoot,
  treeSpan,
  treeStart,
  writePointer,
} from './block-map';
import {
  DIRENTS_PER_BLOCK,
  clearDirectoryEntry,
  decodeDirectoryEntry,
  encodeDirectoryEntry,
  nameProblem,
} from './directory-entry';
import type { DirectoryEntry } from './directory-entry';
import {
  DIRECT_POINTERS,
  INODE_TYPE_DIRECTORY,
  INODE_TYPE_FILE,
  INODE_TYPE_FREE,
  decodeInode,
  emptyInode,
  encodeInode,
} from './inode-format';
import type { DiskInode } from './inode-format';
import { Journal, JournalDamaged } from './journal';
import { orphanChain, pushOrphan, removeOrphan } from './orphan-list';
import type { OrphanStore } from './orphan-list';
import {
  BITS_PER_BLOCK,
  BLOCK_SIZE,
  DATA_BITMAP_START,
  DATA_START,
  INODE_BITMAP_START,
  INODE_COUNT,
  MAX_BLOCKS,
  POINTERS_PER_BLOCK,
  ROOT_INODE,
  SUPERBLOCK_BLOCK,
  inodeLocation,
} from './layout';
import {
  FORMAT_VERSION,
  SUPERBLOCK_MAGIC,
  decodeSuperblock,
  encodeSuperblock,
  superblockProblem,
} from './superblock';
import type { Superblock } from './superblock';
import { FsError } from '../vfs';
import type { DirEntry, FileSystem, FileType, FsStats, Inode, Stat } from '../vfs';

/** The time now, in Unix seconds: the kernel passes its RTC, the host tools a fixed or real time. */
export type Clock = () => number;

export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIRECTORY_MODE = 0o755;
export const MAX_LINKS = 0xffff;
/** The smallest journal: room for a step of file data and the metadata around it. */
export const MIN_JOURNAL_BLOCKS = 128;
export const MAX_JOURNAL_BLOCKS = 1024;
/** The most blocks any one operation changes besides file data (bitmaps, tables, inodes, directory, superblock). */
const METADATA_RESERVE = 64;
/** File data blocks written per atomic step of a long write. */
const MAX_WRITE_STEP_BLOCKS = 64;

// ---- mkfs ----

export interface FormatOptions {
  readonly clock: Clock;
  readonly label?: string;
  readonly journalBlocks?: number;
}

/** A journal of 1/32 of the disk, between 128 blocks (512 KiB) and 1024 (4 MiB). */
export function defaultJournalBlocks(totalBlocks: number): number {
  return Math.max(MIN_JOURNAL_BLOCKS, Math.min(MAX_JOURNAL_BLOCKS, Math.floor(totalBlocks / 32)));
}

/** Write an empty CottonFS (just the root directory) over the whole device. */
export function* format(device: BlockDevice, options: FormatOptions): Io<void> {
  const totalBlocks = Math.min(device.blockCount, MAX_BLOCKS);
  const journalBlocks = options.journalBlocks ?? defaultJournalBlocks(totalBlocks);
  const rootBlock = DATA_START + journalBlocks;
  if (journalBlocks < MIN_JOURNAL_BLOCKS || rootBlock + 16 > totalBlocks) {
    throw new FsError(
      'EINVAL',
      `a disk of ${totalBlocks} blocks is too small for CottonFS with a ${journalBlocks}-block journal`,
    );
  }
  const now = options.clock();
  const zero = new Uint8Array(BLOCK_SIZE);
  for (let block = 0; block < DATA_START; block++) yield* device.writeBlock(block, zero);

  yield* writeBitmapPrefix(device, DATA_BITMAP_START, rootBlock + 1); // metadata, journal and the root's block
  yield* writeBitmapPrefix(device, INODE_BITMAP_START, ROOT_INODE + 1); // inode 0 (never used) and the root

  const root: DiskInode = {
    ...emptyInode(),
    type: INODE_TYPE_DIRECTORY,
    mode: DEFAULT_DIRECTORY_MODE,
    links: 2,
    size: BLOCK_SIZE,
    blocks: 1,
    accessTime: now,
    modifyTime: now,
    changeTime: now,
  };
  root.direct[0] = rootBlock;
  const table = new Uint8Array(BLOCK_SIZE);
  encodeInode(root, table, inodeLocation(ROOT_INODE).offset);
  yield* device.writeBlock(inodeLocation(ROOT_INODE).block, table);

  const rootDirectory = new Uint8Array(BLOCK_SIZE);
  encodeDirectoryEntry(
    { inode: ROOT_INODE, type: INODE_TYPE_DIRECTORY, name: '.' },
    rootDirectory,
    0,
  );
  encodeDirectoryEntry(
    { inode: ROOT_INODE, type: INODE_TYPE_DIRECTORY, name: '..' },
    rootDirectory,
    1,
  );
  yield* device.writeBlock(rootBlock, rootDirectory);

  yield* new Journal(device, DATA_START, journalBlocks).format();
  const superblock = new Uint8Array(BLOCK_SIZE);
  encodeSuperblock(
    {
      magic: SUPERBLOCK_MAGIC,
      version: FORMAT_VERSION,
      blockSize: BLOCK_SIZE,
      totalBlocks,
      freeBlocks: totalBlocks - rootBlock - 1,
      totalInodes: INODE_COUNT,
      freeInodes: INODE_COUNT - 2,
      mountCount: 0,
      lastMountTime: 0,
      lastWriteTime: now,
      rootInode: ROOT_INODE,
      journalStart: DATA_START,
      journalBlocks,
      label: options.label ?? '',
      orphanHead: 0,
    },
    superblock,
  );
  yield* device.flush();
  yield* device.writeBlock(SUPERBLOCK_BLOCK, superblock); // last: until now the disk was not a CottonFS
  yield* device.flush();
}

/** Set bits 0…count-1 of the bitmap region starting at block `start`. */
function* writeBitmapPrefix(device: BlockDevice, start: number, count: number): Io<void> {
  for (let blockIndex = 0; blockIndex * BITS_PER_BLOCK < count; blockIndex++) {
    const bitmap = new Uint8Array(BLOCK_SIZE);
    for (let bit = 0; bit < Math.min(BITS_PER_BLOCK, count - blockIndex * BITS_PER_BLOCK); bit++)
      setBit(bitmap, bit);
    yield* device.writeBlock(start + blockIndex, bitmap);
  }
}

// ---- the mounted file system ----

export interface MountOptions {
  readonly cacheBlocks?: number;
}

interface EntryLocation {
  readonly entry: DirectoryEntry;
  readonly block: number;
  readonly slot: number;
}

const fileTypeOf = (type: number): FileType =>
  type === INODE_TYPE_DIRECTORY ? 'directory' : 'file';

export class CottonFs implements FileSystem, OrphanStore {
  readonly name = 'cottonfs';
  readonly cache: BlockCache;
  readonly journal: Journal;
  /** Data blocks start after the journal. */
  readonly firstDataBlock: number;
  /** File data blocks per atomic write step (fits the journal with the metadata around it). */
  readonly writeStepBlocks: number;
  /** Blocks the journal replayed when this file system was mounted. */
  replayedBlocks = 0;
  /** Orphans (unlinked while open before a power cut) freed when this file system was mounted. */
  releasedOrphans = 0;
  private superblockDirty = false;
  private nextBlockHint: number;
  /** Open references (open files) to each inode that has any. */
  private readonly openCounts = new Map<number, number>();
  /** Inodes unlinked while open, not yet freed. */
  private readonly orphans = new Set<number>();
  /** Orphans whose last reference has gone: freed at the start of the next operation. */
  private readonly closedOrphans = new Set<number>();
  /** How many times each inode number has been freed: a reused number is a new file. */
  private readonly generations = new Map<number, number>();

  private constructor(
    readonly device: BlockDevice,
    readonly superblock: Superblock,
    private readonly clock: Clock,
    journal: Journal,
    cacheBlocks: number,
  ) {
    this.cache = new BlockCache(device, Math.max(cacheBlocks, journal.capacity + METADATA_RESERVE));
    this.journal = journal;
    this.firstDataBlock = superblock.journalStart + superblock.journalBlocks;
    this.nextBlockHint = this.firstDataBlock;
    this.writeStepBlocks = Math.max(
      1,
      Math.min(MAX_WRITE_STEP_BLOCKS, journal.capacity - METADATA_RESERVE - 1),
    );
  }

  /**
   * Check the superblock, replay the journal, free the orphans a power cut
   * left, count the mount. Refuses a damaged disk with a message saying why.
   */
  static *mount(device: BlockDevice, clock: Clock, options: MountOptions = {}): Io<CottonFs> {
    const fs = yield* CottonFs.recover(device, clock, options);
    fs.superblock.mountCount = (fs.superblock.mountCount + 1) >>> 0;
    fs.superblock.lastMountTime = clock();
    fs.superblockDirty = true;
    yield* fs.sync();
    return fs;
  }

  /**
   * What mount does before it counts the mount: replay the journal and free
   * the orphan list. fsck runs it too, on its copy of the disk.
   */
  static *recover(device: BlockDevice, clock: Clock, options: MountOptions = {}): Io<CottonFs> {
    if (device.blockCount === 0)
      throw new FsError('EINVAL', 'not a mountable CottonFS: the disk is empty');
    const first = yield* readSuperblock(device);
    const journal = new Journal(device, first.journalStart, first.journalBlocks);
    const journalEnd = first.journalStart + first.journalBlocks;
    let replayed: number;
    try {
      replayed = yield* journal.recover(
        (block) => block < first.totalBlocks && (block < first.journalStart || block >= journalEnd),
      );
    } catch (error) {
      if (error instanceof JournalDamaged)
        throw new FsError('EIO', `not a mountable CottonFS: ${error.message}; run fsck --repair`);
      throw error;
    }
    const superblock = replayed > 0 ? yield* readSuperblock(device) : first;
    const fs = new CottonFs(
      device,
      superblock,
      clock,
      journal,
      options.cacheBlocks ?? DEFAULT_CACHE_BLOCKS,
    );
    fs.replayedBlocks = replayed;
    yield* fs.freeOrphanList();
    yield* fs.sync();
    return fs;
  }

  /** Free every inode on the orphan list: nothing can have them open after a reboot. */
  private *freeOrphanList(): Io<void> {
    const orphans = yield* orphanChain(this);
    for (const number of orphans) {
      const { type, links } = yield* this.readInode(number);
      if (type === INODE_TYPE_FREE || links !== 0)
        throw new FsError('EIO', `orphan list: inode ${number} is free or still named; run fsck`);
    }
    for (const [index, number] of orphans.entries()) {
      yield* this.beginStep(METADATA_RESERVE);
      // The head moves in the same step as the freeing: no commit names a freed inode.
      this.superblock.orphanHead = orphans[index + 1] ?? 0;
      this.superblockDirty = true;
      yield* this.freeInodeAndBlocks(number);
    }
    this.releasedOrphans = orphans.length;
  }

  root(): Inode {
    return new CottonInode(this, ROOT_INODE);
  }

  /** Commit the running transaction: everything so far is on disk when this returns. */
  *sync(): Io<void> {
    yield* this.freeClosedOrphans();
    if (this.cache.dirtyCount === 0 && !this.superblockDirty) return;
    this.superblock.lastWriteTime = this.clock();
    encodeSuperblock(this.superblock, this.cache.overwrite(SUPERBLOCK_BLOCK));
    this.superblockDirty = false;
    yield* this.journal.commit(this.cache);
  }

  *stats(): Io<FsStats> {
    const { totalBlocks, freeBlocks, totalInodes, freeInodes } = this.superblock;
    return { blockSize: BLOCK_SIZE, totalBlocks, freeBlocks, totalInodes, freeInodes };
  }

  /** An inode handle by number (for tools that walk the tree themselves). */
  inode(number: number): Inode {
    this.checkInodeNumber(number, 'inode handle');
    return new CottonInode(this, number);
  }

  /**
   * Start an atomic step that may dirty `blocks` blocks: commit first if they
   * might not fit. Orphans closed since the last step are freed first, each in
   * a step of its own (a close cannot wait for the disk, so it leaves them here).
   */
  private *beginStep(blocks: number): Io<void> {
    yield* this.freeClosedOrphans();
    if (this.cache.dirtyCount + blocks + 1 > this.journal.capacity) yield* this.sync();
  }

  private *freeClosedOrphans(): Io<void> {
    const due = [...this.closedOrphans];
    this.closedOrphans.clear();
    for (const number of due) {
      if (this.cache.dirtyCount + METADATA_RESERVE + 1 > this.journal.capacity) yield* this.sync();
      yield* removeOrphan(this, number);
      yield* this.freeInodeAndBlocks(number);
    }
  }

  superblockChanged(): void {
    this.superblockDirty = true;
  }

  // ---- open references (inode lifetimes, as in Unix) ----

  /** One more open file refers to inode `number`: it lives until `release`, named or not. */
  retain(number: number): void {
    this.openCounts.set(number, (this.openCounts.get(number) ?? 0) + 1);
  }

  /**
   * One open file fewer. At the last one an orphan is due to be freed; it is
   * queued, since a close does not wait for the disk (as Linux defers a final
   * iput), and freed at the start of the next operation or sync.
   */
  release(number: number): void {
    const count = (this.openCounts.get(number) ?? 0) - 1;
    if (count > 0) return void this.openCounts.set(number, count);
    this.openCounts.delete(number);
    if (this.orphans.delete(number)) this.closedOrphans.add(number);
  }

  /** How often inode `number` has been freed: mounts tell a reused number apart by it. */
  generation(number: number): number {
    return this.generations.get(number) ?? 0;
  }

  /** The last name of `number` has gone: free it now, or make it an orphan if it is open. */
  private *lastLinkGone(number: number, inode: DiskInode): Io<void> {
    inode.links = 0;
    inode.changeTime = this.clock();
    if (!this.openCounts.has(number)) {
      yield* this.writeInode(number, inode);
      return yield* this.freeInodeAndBlocks(number);
    }
    this.orphans.add(number);
    yield* pushOrphan(this, number, inode);
  }

  private *freeInodeAndBlocks(number: number): Io<void> {
    yield* this.freeBlocksFrom(number, yield* this.readInode(number), 0);
    yield* this.freeInode(number);
  }

  // ---- inodes ----

  *readInode(number: number): Io<DiskInode> {
    this.checkInodeNumber(number, 'read');
    const { block, offset } = inodeLocation(number);
    return decodeInode(yield* this.cache.read(block), offset);
  }

  *writeInode(number: number, inode: DiskInode): Io<void> {
    const { block, offset } = inodeLocation(number);
    encodeInode(inode, yield* this.cache.modify(block), offset);
  }

  /** A live inode: in range and in use (a directory entry pointing at a free inode means a damaged disk). */
  private *readLiveInode(number: number): Io<DiskInode> {
    const inode = yield* this.readInode(number);
    if (inode.type === INODE_TYPE_FREE)
      throw new FsError('EIO', `inode ${number} is named by a directory but free; run fsck`);
    return inode;
  }

  private *readDirectory(number: number): Io<DiskInode> {
    const inode = yield* this.readLiveInode(number);
    if (inode.type !== INODE_TYPE_DIRECTORY)
      throw new FsError('ENOTDIR', `inode ${number} is not a directory`);
    return inode;
  }

  private *allocateInode(): Io<number> {
    const { blockIndex } = bitmapPosition(ROOT_INODE); // all 2048 inode bits are in the bitmap's first block
    const bitmap = yield* this.cache.read(INODE_BITMAP_START + blockIndex);
    const number = findClearBit(bitmap, ROOT_INODE, INODE_COUNT);
    if (number < 0) throw new FsError('ENOSPC', 'no free inodes');
    setBit(yield* this.cache.modify(INODE_BITMAP_START + blockIndex), number);
    this.superblock.freeInodes--;
    this.superblockDirty = true;
    return number;
  }

  private *freeInode(number: number): Io<void> {
    yield* this.writeInode(number, emptyInode());
    this.generations.set(number, this.generation(number) + 1);
    const { blockIndex, bit } = bitmapPosition(number);
    clearBit(yield* this.cache.modify(INODE_BITMAP_START + blockIndex), bit);
    this.superblock.freeInodes++;
    this.superblockDirty = true;
  }

  private checkInodeNumber(number: number, context: string): void {
    if (!Number.isInteger(number) || number < ROOT_INODE || number >= INODE_COUNT) {
      throw new FsError(
        'EIO',
        `${context}: inode number ${number} is outside 1–${INODE_COUNT - 1}; run fsck`,
      );
    }
  }

  // ---- blocks ----

  // #region exercise:allocate-block
  /** A free data block, marked used, zeroed and dirty in the cache. Next-fit from the last one. */
  private *allocateBlock(): Io<number> {
    const { totalBlocks } = this.superblock;
    const ranges = [
      [this.nextBlockHint, totalBlocks],
      [this.firstDataBlock, this.nextBlockHint],
    ] as const;
    for (const [from, to] of ranges) {
      for (let next = from; next < to; ) {
        const { blockIndex, bit } = bitmapPosition(next);
        const base = blockIndex * BITS_PER_BLOCK;
        const limit = Math.min(to - base, BITS_PER_BLOCK);
        const found = findClearBit(
          yield* this.cache.read(DATA_BITMAP_START + blockIndex),
          bit,
          limit,
        );
        if (found >= 0) return yield* this.takeBlock(base + found);
        next = base + limit;
      }
    }
    throw new FsError('ENOSPC', 'no free blocks');
  }
  // #endregion exercise:allocate-block

  private *takeBlock(block: number): Io<number> {
    const { blockIndex, bit } = bitmapPosition(block);
    setBit(yield* this.cache.modify(DATA_BITMAP_START + blockIndex), bit);
    this.superblock.freeBlocks--;
    this.superblockDirty = true;
    this.nextBlockHint = block + 1 < this.superblock.totalBlocks ? block + 1 : this.firstDataBlock;
    this.cache.overwrite(block);
    return block;
  }

  private *freeBlock(block: number): Io<void> {
    const { blockIndex, bit } = bitmapPosition(block);
    const bitmap = yield* this.cache.modify(DATA_BITMAP_START + blockIndex);
    if (!testBit(bitmap, bit)) throw new FsError('EIO', `block ${block} is freed twice; run fsck`);
    clearBit(bitmap, bit);
    this.superblock.freeBlocks++;
    this.superblockDirty = true;
    this.cache.discard(block);
  }

  /** A block pointer found in inode `owner` must point into the data area. */
  private checkPointer(block: number, owner: number): void {
    if (block < this.firstDataBlock || block >= this.superblock.totalBlocks) {
      throw new FsError(
        'EIO',
        `inode ${owner}: block pointer ${block} is outside the data area (${this.firstDataBlock}–${this.superblock.totalBlocks - 1}); run fsck`,
      );
    }
  }

  // ---- the block map (see ./block-map.ts) ----

  // #region exercise:lookup-block
  /** The disk block holding file block `index` of inode `number`, or 0 for a hole. */
  private *lookupBlock(number: number, inode: DiskInode, index: number): Io<number> {
    const { depth, slots } = blockPath(index);
    let pointer = depth === 0 ? inode.direct[slots[0]!]! : treeRoot(inode, depth);
    for (const slot of depth === 0 ? [] : slots) {
      if (pointer === 0) return 0;
      this.checkPointer(pointer, number);
      pointer = readPointer(yield* this.cache.read(pointer), slot);
    }
    if (pointer !== 0) this.checkPointer(pointer, number);
    return pointer;
  }
  // #endregion exercise:lookup-block

  /**
   * The disk block for file block `index`, allocating it (and any missing
   * tables on the way) if it is a hole. Changes `inode` in memory: the caller
   * writes it back. `fresh` says the block was just allocated (and is zero).
   */
  private *mapBlockForWrite(
    number: number,
    inode: DiskInode,
    index: number,
  ): Io<{ block: number; fresh: boolean }> {
    const { depth, slots } = blockPath(index);
    if (depth === 0) {
      const existing = inode.direct[slots[0]!]!;
      if (existing !== 0) return { block: existing, fresh: false };
      const block = yield* this.allocateBlock();
      inode.direct[slots[0]!] = block;
      inode.blocks++;
      return { block, fresh: true };
    }
    let pointer = treeRoot(inode, depth);
    let fresh = false;
    if (pointer === 0) {
      pointer = yield* this.allocateBlock();
      setTreeRoot(inode, depth, pointer);
      inode.blocks++;
    }
    for (const slot of slots) {
      this.checkPointer(pointer, number);
      const next = readPointer(yield* this.cache.read(pointer), slot);
      if (next !== 0) {
        pointer = next;
        fresh = false;
        continue;
      }
      const block = yield* this.allocateBlock();
      writePointer(yield* this.cache.modify(pointer), slot, block);
      inode.blocks++;
      pointer = block;
      fresh = true;
    }
    return { block: pointer, fresh };
  }

  /** Free every block of the file from file block `keep` on, tables that become unused included. */
  private *freeBlocksFrom(number: number, inode: DiskInode, keep: number): Io<void> {
    for (let slot = Math.max(keep, 0); slot < DIRECT_POINTERS; slot++) {
      const block = inode.direct[slot]!;
      if (block === 0) continue;
      this.checkPointer(block, number);
      yield* this.freeBlock(block);
      inode.direct[slot] = 0;
      inode.blocks--;
    }
    for (const depth of [1, 2, 3] as const) {
      const root = treeRoot(inode, depth);
      if (root === 0 || treeStart(depth) + treeSpan(depth) <= keep) continue;
      if (yield* this.freeTree(number, inode, root, depth, treeStart(depth), keep))
        setTreeRoot(inode, depth, 0);
    }
  }

  /**
   * Free the blocks from file block `keep` on in the tree at `block`, whose
   * first file block is `first` and which has `depth` levels of tables below
   * it (0: `block` is a data block). Returns whether `block` itself was freed.
   */
  private *freeTree(
    number: number,
    inode: DiskInode,
    block: number,
    depth: Depth | 0,
    first: number,
    keep: number,
  ): Io<boolean> {
    this.checkPointer(block, number);
    if (depth > 0) {
      const childSpan = treeSpan((depth - 1) as Depth);
      const table = yield* this.cache.read(block);
      for (let slot = 0; slot < POINTERS_PER_BLOCK; slot++) {
        const child = readPointer(table, slot);
        const childFirst = first + slot * childSpan;
        if (child === 0 || childFirst + childSpan <= keep) continue;
        const freed = yield* this.freeTree(
          number,
          inode,
          child,
          (depth - 1) as Depth | 0,
          childFirst,
          keep,
        );
        if (freed && first < keep) writePointer(yield* this.cache.modify(block), slot, 0);
      }
    }
    if (first < keep && !(depth > 0 && isEmptyTable(yield* this.cache.read(block)))) return false;
    yield* this.freeBlock(block);
    inode.blocks--;
    return true;
  }

  // ---- file data ----

  *read(number: number, offset: number, buffer: Uint8Array): Io<number> {
    const inode = yield* this.readLiveInode(number);
    if (inode.type === INODE_TYPE_DIRECTORY)
      throw new FsError('EISDIR', `inode ${number} is a directory`);
    if (offset >= inode.size) return 0;
    const length = Math.min(buffer.length, inode.size - offset);
    for (let done = 0; done < length; ) {
      const position = offset + done;
      const within = position % BLOCK_SIZE;
      const chunk = Math.min(BLOCK_SIZE - within, length - done);
      const block = yield* this.lookupBlock(number, inode, Math.floor(position / BLOCK_SIZE));
      if (block === 0) buffer.fill(0, done, done + chunk);
      else buffer.set((yield* this.cache.read(block)).subarray(within, within + chunk), done);
      done += chunk;
    }
    return length;
  }

  /** Write in steps of `writeStepBlocks` blocks, each atomic. Returns the bytes written (fewer if the disk filled up). */
  *write(number: number, offset: number, data: Uint8Array): Io<number> {
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new FsError('EINVAL', `bad offset ${offset}`);
    if (offset + data.length > MAX_FILE_SIZE)
      throw new FsError('EFBIG', `a file cannot grow beyond ${MAX_FILE_SIZE} bytes`);
    if ((yield* this.readLiveInode(number)).type === INODE_TYPE_DIRECTORY)
      throw new FsError('EISDIR', `inode ${number} is a directory`);
    let done = 0;
    while (done < data.length) {
      yield* this.beginStep(this.writeStepBlocks + METADATA_RESERVE);
      try {
        done = yield* this.writeStep(number, offset, data, done);
      } catch (error) {
        if (error instanceof FsError && error.code === 'ENOSPC' && done > 0) return done;
        throw error;
      }
    }
    return data.length;
  }

  /** One atomic step of `write`: up to `writeStepBlocks` blocks from data[done]. Returns the new `done`. */
  private *writeStep(number: number, offset: number, data: Uint8Array, done: number): Io<number> {
    const inode = yield* this.readInode(number);
    try {
      for (let blocks = 0; blocks < this.writeStepBlocks && done < data.length; blocks++) {
        const position = offset + done;
        const within = position % BLOCK_SIZE;
        const chunk = Math.min(BLOCK_SIZE - within, data.length - done);
        const { block, fresh } = yield* this.mapBlockForWrite(
          number,
          inode,
          Math.floor(position / BLOCK_SIZE),
        );
        const whole = chunk === BLOCK_SIZE;
        const target =
          whole || fresh ? this.cache.overwrite(block) : yield* this.cache.modify(block);
        target.set(data.subarray(done, done + chunk), within);
        done += chunk;
      }
    } finally {
      // Even when the disk fills up mid-step, the inode must name the blocks it was given.
      inode.size = Math.max(inode.size, offset + done);
      inode.modifyTime = inode.changeTime = this.clock();
      yield* this.writeInode(number, inode);
    }
    return done;
  }

  *truncate(number: number, size: number): Io<void> {
    if (!Number.isSafeInteger(size) || size < 0) throw new FsError('EINVAL', `bad size ${size}`);
    if (size > MAX_FILE_SIZE)
      throw new FsError('EFBIG', `a file cannot grow beyond ${MAX_FILE_SIZE} bytes`);
    yield* this.beginStep(METADATA_RESERVE);
    const inode = yield* this.readLiveInode(number);
    if (inode.type === INODE_TYPE_DIRECTORY)
      throw new FsError('EISDIR', `inode ${number} is a directory`);
    if (size < inode.size) {
      yield* this.freeBlocksFrom(number, inode, Math.ceil(size / BLOCK_SIZE));
      yield* this.zeroTail(number, inode, size);
    }
    inode.size = size;
    inode.modifyTime = inode.changeTime = this.clock();
    yield* this.writeInode(number, inode);
  }

  /** After shrinking to `size`, zero the rest of the last block, so that growing the file again shows zeros. */
  private *zeroTail(number: number, inode: DiskInode, size: number): Io<void> {
    if (size % BLOCK_SIZE === 0) return;
    const block = yield* this.lookupBlock(number, inode, Math.floor(size / BLOCK_SIZE));
    if (block !== 0) (yield* this.cache.modify(block)).fill(0, size % BLOCK_SIZE);
  }

  // ---- directories ----

  /** Every entry of directory `number` ("." and ".." too), with where it is stored. */
  private *listDirectory(number: number, directory: DiskInode): Io<EntryLocation[]> {
    const found: EntryLocation[] = [];
    if (directory.links === 0) return found; // removed while open: empty, without . and ..
    for (let index = 0; index < Math.floor(directory.size / BLOCK_SIZE); index++) {
      const block = yield* this.lookupBlock(number, directory, index);
      if (block === 0) continue;
      const data = yield* this.cache.read(block);
      for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++) {
        const entry = decodeDirectoryEntry(data, slot);
        if (entry) found.push({ entry, block, slot });
      }
    }
    return found;
  }

  private *findEntry(number: number, name: string): Io<EntryLocation | null> {
    const directory = yield* this.readDirectory(number);
    return (
      (yield* this.listDirectory(number, directory)).find((at) => at.entry.name === name) ?? null
    );
  }

  private *requireEntry(number: number, name: string): Io<EntryLocation> {
    const at = yield* this.findEntry(number, name);
    if (!at) throw new FsError('ENOENT', `no entry '${name}' in directory ${number}`);
    this.checkInodeNumber(at.entry.inode, `entry '${name}' in directory ${number}`);
    return at;
  }

  // #region exercise:directory-slot
  /** A free slot in directory `number`, growing it by a block if it is full. */
  private *freeSlot(number: number): Io<{ block: number; slot: number }> {
    const directory = yield* this.readDirectory(number);
    const blocks = Math.floor(directory.size / BLOCK_SIZE);
    for (let index = 0; index < blocks; index++) {
      const block = yield* this.lookupBlock(number, directory, index);
      if (block === 0) continue;
      const data = yield* this.cache.read(block);
      for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++)
        if (!decodeDirectoryEntry(data, slot)) return { block, slot };
    }
    const { block } = yield* this.mapBlockForWrite(number, directory, blocks);
    directory.size = (blocks + 1) * BLOCK_SIZE;
    yield* this.writeInode(number, directory);
    return { block, slot: 0 };
  }
  // #endregion exercise:directory-slot

  private *writeEntry(at: { block: number; slot: number }, entry: DirectoryEntry): Io<void> {
    encodeDirectoryEntry(entry, yield* this.cache.modify(at.block), at.slot);
  }

  private *removeEntry(at: { block: number; slot: number }): Io<void> {
    clearDirectoryEntry(yield* this.cache.modify(at.block), at.slot);
  }

  private *touch(number: number): Io<void> {
    const inode = yield* this.readInode(number);
    inode.modifyTime = inode.changeTime = this.clock();
    yield* this.writeInode(number, inode);
  }

  private *addLinks(number: number, delta: number): Io<void> {
    const inode = yield* this.readInode(number);
    inode.links += delta;
    inode.changeTime = this.clock();
    yield* this.writeInode(number, inode);
  }

  private checkName(name: string): void {
    const problem = nameProblem(name);
    if (problem) throw new FsError(problem.includes('longer') ? 'ENAMETOOLONG' : 'EINVAL', problem);
  }

  *lookup(directory: number, name: string): Io<number> {
    return (yield* this.requireEntry(directory, name)).entry.inode;
  }

  *readdir(number: number): Io<DirEntry[]> {
    const directory = yield* this.readDirectory(number);
    return (yield* this.listDirectory(number, directory)).map(({ entry }) => ({
      name: entry.name,
      inode: entry.inode,
      type: fileTypeOf(entry.type),
    }));
  }

  *create(
    parent: number,
    name: string,
    type: FileType,
    mode = type === 'directory' ? DEFAULT_DIRECTORY_MODE : DEFAULT_FILE_MODE,
  ): Io<number> {
    if (type === 'device') throw new FsError('EINVAL', 'CottonFS has no device files (see DevFS)');
    this.checkName(name);
    yield* this.beginStep(METADATA_RESERVE);
    if (yield* this.findEntry(parent, name)) throw new FsError('EEXIST', `'${name}' exists`);
    const at = yield* this.freeSlot(parent);
    const isDirectory = type === 'directory';
    const block = isDirectory ? yield* this.allocateBlock() : 0;
    let number: number;
    try {
      number = yield* this.allocateInode();
    } catch (error) {
      if (block) yield* this.freeBlock(block);
      throw error;
    }
    const now = this.clock();
    const inode: DiskInode = {
      ...emptyInode(),
      type: isDirectory ? INODE_TYPE_DIRECTORY : INODE_TYPE_FILE,
      mode,
      links: isDirectory ? 2 : 1,
      accessTime: now,
      modifyTime: now,
      changeTime: now,
    };
    if (isDirectory) {
      inode.direct[0] = block;
      inode.blocks = 1;
      inode.size = BLOCK_SIZE;
      yield* this.writeEntry(
        { block, slot: 0 },
        { inode: number, type: INODE_TYPE_DIRECTORY, name: '.' },
      );
      yield* this.writeEntry(
        { block, slot: 1 },
        { inode: parent, type: INODE_TYPE_DIRECTORY, name: '..' },
      );
      yield* this.addLinks(parent, 1);
    }
    yield* this.writeInode(number, inode);
    yield* this.writeEntry(at, { inode: number, type: inode.type, name });
    yield* this.touch(parent);
    return number;
  }

  *link(parent: number, name: string, target: number): Io<void> {
    this.checkName(name);
    yield* this.beginStep(METADATA_RESERVE);
    // The new name's directory is checked first, as Linux checks it while looking it up.
    if (yield* this.findEntry(parent, name)) throw new FsError('EEXIST', `'${name}' exists`);
    const inode = yield* this.readLiveInode(target);
    if (inode.type === INODE_TYPE_DIRECTORY)
      throw new FsError('EPERM', 'a directory cannot have hard links');
    if (inode.links >= MAX_LINKS)
      throw new FsError('EMLINK', `inode ${target} has ${MAX_LINKS} links`);
    yield* this.writeEntry(yield* this.freeSlot(parent), { inode: target, type: inode.type, name });
    yield* this.addLinks(target, 1);
    yield* this.touch(parent);
  }

  *unlink(parent: number, name: string): Io<void> {
    this.checkName(name);
    yield* this.beginStep(METADATA_RESERVE);
    const at = yield* this.requireEntry(parent, name);
    const inode = yield* this.readLiveInode(at.entry.inode);
    if (inode.type === INODE_TYPE_DIRECTORY)
      throw new FsError('EISDIR', `'${name}' is a directory (use rmdir)`);
    yield* this.removeEntry(at);
    yield* this.dropLink(at.entry.inode);
    yield* this.touch(parent);
  }

  /** One name fewer for a file; after the last one it goes (at once, or at its last close). */
  private *dropLink(number: number): Io<void> {
    const inode = yield* this.readInode(number);
    if (inode.links > 1) {
      inode.links--;
      inode.changeTime = this.clock();
      return yield* this.writeInode(number, inode);
    }
    yield* this.lastLinkGone(number, inode);
  }

  *rmdir(parent: number, name: string): Io<void> {
    this.checkName(name);
    yield* this.beginStep(METADATA_RESERVE);
    const at = yield* this.requireEntry(parent, name);
    yield* this.requireEmptyDirectory(at.entry.inode, name);
    yield* this.removeEntry(at);
    yield* this.freeDirectory(at.entry.inode);
    yield* this.addLinks(parent, -1);
    yield* this.touch(parent);
  }

  private *requireEmptyDirectory(number: number, name: string): Io<void> {
    const directory = yield* this.readDirectory(number);
    const entries = yield* this.listDirectory(number, directory);
    if (entries.some(({ entry }) => entry.name !== '.' && entry.name !== '..'))
      throw new FsError('ENOTEMPTY', `directory '${name}' is not empty`);
  }

  /** A removed directory goes as a file's last link does (an open one reads as empty until closed). */
  private *freeDirectory(number: number): Io<void> {
    yield* this.lastLinkGone(number, yield* this.readInode(number));
  }

  /**
   * rename(2): move an entry, replacing the target name if it exists (a file
   * by a file, an empty directory by a directory). A directory cannot move
   * into itself or below itself.
   */
  *rename(fromParent: number, fromName: string, toParent: number, toName: string): Io<void> {
    this.checkName(fromName);
    this.checkName(toName);
    yield* this.beginStep(2 * METADATA_RESERVE);
    const source = yield* this.requireEntry(fromParent, fromName);
    if (fromParent === toParent && fromName === toName) return;
    const moving = yield* this.readLiveInode(source.entry.inode);
    const isDirectory = moving.type === INODE_TYPE_DIRECTORY;
    if (isDirectory && (yield* this.isWithin(toParent, source.entry.inode)))
      throw new FsError('EINVAL', 'cannot move a directory into itself');
    const replaced = yield* this.findEntry(toParent, toName);
    if (replaced?.entry.inode === source.entry.inode) return; // two names of one file: nothing to do (POSIX)
    if (replaced && (yield* this.isWithin(fromParent, replaced.entry.inode)))
      throw new FsError('ENOTEMPTY', `'${toName}' holds what would replace it`);
    if (replaced) yield* this.checkReplaceable(replaced, isDirectory);

    const entry = { inode: source.entry.inode, type: moving.type, name: toName };
    yield* this.writeEntry(replaced ?? (yield* this.freeSlot(toParent)), entry);
    yield* this.removeEntry(source);
    if (replaced && replaced.entry.type === INODE_TYPE_DIRECTORY) {
      yield* this.freeDirectory(replaced.entry.inode);
      yield* this.addLinks(toParent, -1);
    } else if (replaced) {
      yield* this.dropLink(replaced.entry.inode);
    }
    if (isDirectory && fromParent !== toParent) {
      yield* this.writeEntry(yield* this.requireEntry(source.entry.inode, '..'), {
        inode: toParent,
        type: INODE_TYPE_DIRECTORY,
        name: '..',
      });
      yield* this.addLinks(fromParent, -1);
      yield* this.addLinks(toParent, 1);
    }
    yield* this.touch(fromParent);
    yield* this.touch(toParent);
  }

  private *checkReplaceable(replaced: EntryLocation, movingDirectory: boolean): Io<void> {
    const target = yield* this.readLiveInode(replaced.entry.inode);
    const targetDirectory = target.type === INODE_TYPE_DIRECTORY;
    if (movingDirectory && !targetDirectory)
      throw new FsError('ENOTDIR', `'${replaced.entry.name}' is not a directory`);
    if (!movingDirectory && targetDirectory)
      throw new FsError('EISDIR', `'${replaced.entry.name}' is a directory`);
    if (targetDirectory)
      yield* this.requireEmptyDirectory(replaced.entry.inode, replaced.entry.name);
  }

  /** Whether `directory` is `ancestor` or below it: walk up through ".." to the root. */
  private *isWithin(directory: number, ancestor: number): Io<boolean> {
    let here = directory;
    for (let steps = 0; steps < INODE_COUNT; steps++) {
      if (here === ancestor) return true;
      if (here === ROOT_INODE) return false;
      here = (yield* this.requireEntry(here, '..')).entry.inode;
    }
    throw new FsError('EIO', `the ".." chain from directory ${directory} loops; run fsck`);
  }

  *stat(number: number): Io<Stat> {
    const inode = yield* this.readLiveInode(number);
    return {
      inode: number,
      type: fileTypeOf(inode.type),
      mode: inode.mode,
      links: inode.links,
      size: inode.size,
      blocks: inode.blocks,
      accessTime: inode.accessTime,
      modifyTime: inode.modifyTime,
      changeTime: inode.changeTime,
    };
  }
}

/** A table whose pointers are all 0 (after a truncate) is freed with the blocks below it. */
function isEmptyTable(table: Uint8Array): boolean {
  return table.every((byte) => byte === 0);
}

function* readSuperblock(device: BlockDevice): Io<Superblock> {
  const block = new Uint8Array(BLOCK_SIZE);
  yield* device.readBlock(SUPERBLOCK_BLOCK, block);
  const superblock = decodeSuperblock(block);
  const problem = superblockProblem(superblock, device.blockCount);
  if (problem) throw new FsError('EINVAL', `not a mountable CottonFS: ${problem}`);
  return superblock;
}

/** A CottonFS inode as the VFS sees it: a number and the file system it belongs to. */
class CottonInode implements Inode {
  constructor(
    readonly fs: CottonFs,
    readonly number: number,
  ) {}

  get generation(): number {
    return this.fs.generation(this.number);
  }

  retain(): void {
    this.fs.retain(this.number);
  }

  release(): void {
    this.fs.release(this.number);
  }

  stat(): Io<Stat> {
    return this.fs.stat(this.number);
  }

  read(offset: number, buffer: Uint8Array): Io<number> {
    return this.fs.read(this.number, offset, buffer);
  }

  write(offset: number, data: Uint8Array): Io<number> {
    return this.fs.write(this.number, offset, data);
  }

  truncate(size: number): Io<void> {
    return this.fs.truncate(this.number, size);
  }

  *lookup(name: string): Io<Inode> {
    return new CottonInode(this.fs, yield* this.fs.lookup(this.number, name));
  }

  *create(name: string, type: FileType, mode?: number): Io<Inode> {
    return new CottonInode(this.fs, yield* this.fs.create(this.number, name, type, mode));
  }

  mkdir(name: string): Io<Inode> {
    return this.create(name, 'directory');
  }

  unlink(name: string): Io<void> {
    return this.fs.unlink(this.number, name);
  }

  rmdir(name: string): Io<void> {
    return this.fs.rmdir(this.number, name);
  }

  *link(name: string, target: Inode): Io<void> {
    if (target.fs !== this.fs) throw new FsError('EXDEV', 'a hard link cannot cross file systems');
    yield* this.fs.link(this.number, name, target.number);
  }

  *rename(name: string, newParent: Inode, newName: string): Io<void> {
    if (newParent.fs !== this.fs) throw new FsError('EXDEV', 'rename cannot cross file systems');
    yield* this.fs.rename(this.number, name, newParent.number, newName);
  }

  readdir(): Io<DirEntry[]> {
    return this.fs.readdir(this.number);
  }
}
