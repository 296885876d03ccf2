/**
 * Looking inside a mounted CottonFS: the disk's regions and which blocks are
 * used (with the file each one belongs to), one inode's pointer tree, and
 * what the journal holds.
 *
 * Models: the inspection tools of real file systems — ext2's dumpe2fs and
 * debugfs (`stat`, `blocks`, `icheck`, `ncheck`, `logdump`) — as functions
 * that return plain data. The shell's `blocks`, `inode` and `journal` commands
 * print this data as text, and the CottonFS chapter's figures draw the same
 * data, so the two never disagree. Everything is read through the mounted file
 * system's block cache, so it shows what the kernel sees now, changes not yet
 * committed included; the journal's state is what the journal remembers of
 * its blocks (it is their only writer). Nothing here changes the file system.
 */
import { runToCompletion } from '../block-device';
import type { Io } from '../block-device';
import { LockedFs, unlocked } from '../locked-fs';
import { ViewBusy } from '../../lib/view-busy';
import { pathComponents } from '../vfs';
import type { FileSystem, Vfs } from '../vfs';
import { bitmapPosition, testBit } from './bitmap';
import { readPointer } from './block-map';
import { CottonFs } from './cottonfs';
import { DIRENTS_PER_BLOCK, decodeDirectoryEntry } from './directory-entry';
import type { DirectoryEntry } from './directory-entry';
import { INODE_TYPE_DIRECTORY, INODE_TYPE_FILE, decodeInode } from './inode-format';
import type { DiskInode } from './inode-format';
import type { LoggedTransaction } from './journal';
import {
  BITS_PER_BLOCK,
  BLOCK_SIZE,
  DATA_BITMAP_BLOCKS,
  DATA_BITMAP_START,
  INODE_BITMAP_BLOCKS,
  INODE_BITMAP_START,
  INODE_COUNT,
  INODE_TABLE_BLOCKS,
  INODE_TABLE_START,
  POINTERS_PER_BLOCK,
  ROOT_INODE,
  SUPERBLOCK_BLOCK,
  inodeLocation,
} from './layout';

/** Why an inspection cannot be made: no mount there, or not a CottonFS. */
export class InspectionError extends Error {
  override name = 'InspectionError';
}

/** The file system mounted exactly at `path` (an absolute, normalised path). */
export function mountedAt(vfs: Vfs, path: string): FileSystem {
  const mount = vfs.mountTable().find((m) => m.path === path);
  if (!mount) throw new InspectionError(`${path} is not a mount point (see mount)`);
  return mount.fs;
}

/** A view needed a block the cache does not hold (the kernel has not read it since boot). */
export class NotCached extends InspectionError {
  override name = 'NotCached';
}

/** Where an inspection reads a block from. */
export type BlockReader = (block: number) => Io<Uint8Array>;

/** A CottonFS to inspect, and how to read its blocks. */
export interface Inspected {
  readonly fs: CottonFs;
  readonly read: BlockReader;
}

function cottonFsUnder(mounted: FileSystem): CottonFs {
  const fs = unlocked(mounted);
  if (!(fs instanceof CottonFs)) throw new InspectionError(`${mounted.name} is not a CottonFS`);
  return fs;
}

/**
 * Run `operation` on the CottonFS under a mount, from a kernel thread (the
 * shell). The kernel mounts each CottonFS behind its lock (../locked-fs.ts);
 * inspecting holds that lock, so no other task (the flusher) changes the
 * structures halfway through, and reads through the block cache, sleeping
 * for the disk on a miss.
 */
export function* withCottonFs<T>(
  mounted: FileSystem,
  operation: (inspected: Inspected) => Io<T>,
): Io<T> {
  const fs = cottonFsUnder(mounted);
  const inspected = { fs, read: (block: number) => fs.cache.read(block) };
  return mounted instanceof LockedFs
    ? yield* mounted.locked(() => operation(inspected))
    : yield* operation(inspected);
}

/**
 * The CottonFS under a mount, for a view the host takes between two slices of
 * the machine, when no task runs: there is no waiting for the lock and no
 * disk I/O then (a view must not change the machine), so it reads only the
 * blocks the cache holds, and refuses while a task is halfway through an
 * operation (it holds the lock, and the structures may be half changed): the
 * host then asks again once the machine has run on (ViewBusy).
 */
export function residentCottonFs(mounted: FileSystem): Inspected {
  const fs = cottonFsUnder(mounted);
  const holder = mounted instanceof LockedFs ? mounted.lock.holder : null;
  if (holder) throw new ViewBusy(`the file system is busy (pid ${holder.pid} is changing it)`);
  const read = function* (block: number): Io<Uint8Array> {
    const data = fs.cache.peek(block);
    if (!data) throw new NotCached(`block ${block} is not in the block cache yet`);
    return data;
  };
  return { fs, read };
}

// ---- the disk map ----

/** A fixed region of the disk: the superblock, a bitmap, the inode table, the journal. */
export interface DiskRegion {
  /** The letter `blocks` draws it with. */
  readonly letter: string;
  readonly name: string;
  readonly first: number;
  readonly last: number;
}

/** A group of `count` blocks from `first` on, as one character of `blocks` or one cell of the figure. */
export interface DiskCell {
  readonly first: number;
  readonly count: number;
  /** The region's letter when the group starts in a fixed region, else null (data). */
  readonly region: string | null;
  /** Blocks of the group marked used in the data bitmap. */
  readonly used: number;
}

export interface DiskMap {
  readonly label: string;
  readonly totalBlocks: number;
  readonly blockSize: number;
  readonly regions: readonly DiskRegion[];
  /** The data area: after the journal, to the end of the disk. */
  readonly firstDataBlock: number;
  /** Blocks per cell: the smallest power of two that fits the disk in MAP_CELLS cells. */
  readonly blocksPerCell: number;
  readonly columns: number;
  readonly cells: readonly DiskCell[];
  readonly dataUsed: number;
  readonly dataFree: number;
  /** The free count the superblock keeps (equal to dataFree on a consistent disk). */
  readonly superblockFree: number;
}

/** Columns of the map; rows of MAP_COLUMNS cells follow one another. */
export const MAP_COLUMNS = 64;
/** At most this many cells: four rows, so the map fits one screen whatever the disk's size. */
export const MAP_CELLS = 4 * MAP_COLUMNS;

export function regionsOf(fs: CottonFs): DiskRegion[] {
  const { journalStart, journalBlocks } = fs.superblock;
  return [
    { letter: 'S', name: 'superblock', first: SUPERBLOCK_BLOCK, last: SUPERBLOCK_BLOCK },
    {
      letter: 'i',
      name: 'inode bitmap',
      first: INODE_BITMAP_START,
      last: INODE_BITMAP_START + INODE_BITMAP_BLOCKS - 1,
    },
    {
      letter: 'b',
      name: 'block bitmap',
      first: DATA_BITMAP_START,
      last: DATA_BITMAP_START + DATA_BITMAP_BLOCKS - 1,
    },
    {
      letter: 'I',
      name: 'inode table',
      first: INODE_TABLE_START,
      last: INODE_TABLE_START + INODE_TABLE_BLOCKS - 1,
    },
    { letter: 'J', name: 'journal', first: journalStart, last: journalStart + journalBlocks - 1 },
  ];
}

/** The smallest power of two of blocks per cell that fits the disk in MAP_CELLS cells. */
function blocksPerCell(totalBlocks: number): number {
  let per = 1;
  while (Math.ceil(totalBlocks / per) > MAP_CELLS) per *= 2;
  return per;
}

/** Whether each block of the file system is marked used in its data bitmap (as the cache holds it now). */
function* usedBlocks({ fs, read }: Inspected): Io<boolean[]> {
  const { totalBlocks } = fs.superblock;
  const used: boolean[] = [];
  for (let block = 0; block < totalBlocks; ) {
    const { blockIndex } = bitmapPosition(block);
    const bitmap = yield* read(DATA_BITMAP_START + blockIndex);
    const end = Math.min(totalBlocks, (blockIndex + 1) * BITS_PER_BLOCK);
    for (; block < end; block++) used.push(testBit(bitmap, block % BITS_PER_BLOCK));
  }
  return used;
}

/** The disk's regions and its data bitmap, grouped into cells. */
export function* diskMap(inspected: Inspected): Io<DiskMap> {
  const { fs } = inspected;
  const { totalBlocks, label, freeBlocks } = fs.superblock;
  const used = yield* usedBlocks(inspected);
  const per = blocksPerCell(totalBlocks);
  const regions = regionsOf(fs);
  const cells: DiskCell[] = [];
  for (let first = 0; first < totalBlocks; first += per) {
    const group = used.slice(first, first + per);
    const region = regions.find((r) => first >= r.first && first <= r.last);
    cells.push({
      first,
      count: group.length,
      region: region?.letter ?? null,
      used: group.filter(Boolean).length,
    });
  }
  const dataUsed = used.slice(fs.firstDataBlock).filter(Boolean).length;
  return {
    label,
    totalBlocks,
    blockSize: BLOCK_SIZE,
    regions,
    firstDataBlock: fs.firstDataBlock,
    blocksPerCell: per,
    columns: MAP_COLUMNS,
    cells,
    dataUsed,
    dataFree: totalBlocks - fs.firstDataBlock - dataUsed,
    superblockFree: freeBlocks,
  };
}

// ---- pointer trees ----

/** An indirect block: the non-zero pointers in it, and below it the tables they lead to. */
export interface PointerTable {
  readonly block: number;
  /** Non-zero slots, in slot order, and the block each names. */
  readonly slots: readonly number[];
  readonly pointers: readonly number[];
  /** The tables the pointers name, for a double or triple indirect table (empty at the last level). */
  readonly tables: readonly PointerTable[];
}

/** An inode as stored, with its pointer trees read out. */
export interface InodeTree {
  readonly number: number;
  readonly type: string;
  readonly mode: number;
  readonly links: number;
  readonly size: number;
  /** Blocks allocated, tables included, as the inode counts them. */
  readonly blocks: number;
  readonly direct: readonly number[];
  readonly indirect: PointerTable | null;
  readonly doubleIndirect: PointerTable | null;
  readonly tripleIndirect: PointerTable | null;
}

export function typeName(type: number): string {
  return type === INODE_TYPE_FILE
    ? 'regular file'
    : type === INODE_TYPE_DIRECTORY
      ? 'directory'
      : type === 0
        ? 'free'
        : `type ${type}`;
}

/**
 * The table at `block` and, for `levels` > 1, the tables below it. A pointer
 * outside the disk is listed but not followed (fsck's business), so a damaged
 * tree cannot make this read out of range.
 */
function* pointerTable(inspected: Inspected, block: number, levels: number): Io<PointerTable> {
  const data = yield* inspected.read(block);
  const slots: number[] = [];
  const pointers: number[] = [];
  for (let slot = 0; slot < POINTERS_PER_BLOCK; slot++) {
    const pointer = readPointer(data, slot);
    if (pointer === 0) continue;
    slots.push(slot);
    pointers.push(pointer);
  }
  const tables: PointerTable[] = [];
  if (levels > 1) {
    for (const pointer of pointers)
      if (insideDataArea(inspected.fs, pointer))
        tables.push(yield* pointerTable(inspected, pointer, levels - 1));
  }
  return { block, slots, pointers, tables };
}

const insideDataArea = (fs: CottonFs, block: number): boolean =>
  block >= fs.firstDataBlock && block < fs.superblock.totalBlocks;

function* treeAt(inspected: Inspected, root: number, levels: number): Io<PointerTable | null> {
  return root !== 0 && insideDataArea(inspected.fs, root)
    ? yield* pointerTable(inspected, root, levels)
    : null;
}

/** Inode `number` as stored, with its indirect tables. */
export function* inodeTree(inspected: Inspected, number: number): Io<InodeTree> {
  if (!Number.isInteger(number) || number < ROOT_INODE || number >= INODE_COUNT)
    throw new InspectionError(`no inode ${number} (inodes are 1-${INODE_COUNT - 1})`);
  const { block, offset } = inodeLocation(number);
  const raw: DiskInode = decodeInode(yield* inspected.read(block), offset);
  return {
    number,
    type: typeName(raw.type),
    mode: raw.mode,
    links: raw.links,
    size: raw.size,
    blocks: raw.blocks,
    direct: [...raw.direct],
    indirect: yield* treeAt(inspected, raw.indirect, 1),
    doubleIndirect: yield* treeAt(inspected, raw.doubleIndirect, 2),
    tripleIndirect: yield* treeAt(inspected, raw.tripleIndirect, 3),
  };
}

/** The data blocks a tree names, in file order (holes left out). */
export function dataBlocks(tree: InodeTree): number[] {
  const blocks = tree.direct.filter((block) => block !== 0);
  const visit = (table: PointerTable | null): void => {
    if (!table) return;
    if (table.tables.length === 0) blocks.push(...table.pointers);
    else for (const child of table.tables) visit(child);
  };
  visit(tree.indirect);
  visit(tree.doubleIndirect);
  visit(tree.tripleIndirect);
  return blocks;
}

/** The indirect blocks (tables) of a tree, each before the tables below it. */
export function tableBlocks(tree: InodeTree): number[] {
  const blocks: number[] = [];
  const visit = (table: PointerTable | null): void => {
    if (!table) return;
    blocks.push(table.block);
    for (const child of table.tables) visit(child);
  };
  visit(tree.indirect);
  visit(tree.doubleIndirect);
  visit(tree.tripleIndirect);
  return blocks;
}

// ---- block owners ----

/** A file or directory and the blocks it owns. */
export interface BlockOwner {
  readonly inode: number;
  readonly path: string;
  readonly type: string;
  /** Its data blocks, in file order. */
  readonly data: readonly number[];
  /** Its indirect blocks. */
  readonly tables: readonly number[];
}

/** The entries of a directory, from its data blocks. */
function* directoryEntries(inspected: Inspected, tree: InodeTree): Io<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  if (tree.links === 0) return entries; // removed while open: empty
  for (const block of dataBlocks(tree)) {
    const data = yield* inspected.read(block);
    for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++) {
      const entry = decodeDirectoryEntry(data, slot);
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

/** The files found, and the paths that could not be read (a view finds only what the cache holds). */
export interface BlockOwners {
  readonly owners: readonly BlockOwner[];
  /** Paths whose inode or directory blocks a view could not read: their files are not in `owners`. */
  readonly unread: readonly string[];
}

/**
 * Every file and directory reachable from the root, with the blocks it owns
 * (debugfs's `icheck` and `ncheck` for the whole disk at once). Each inode is
 * visited once, so a damaged tree cannot loop; a hard link is listed under
 * its first name.
 */
export function* blockOwners(inspected: Inspected): Io<BlockOwners> {
  const owners: BlockOwner[] = [];
  const unread: string[] = [];
  const seen = new Set<number>();
  const visit = function* (number: number, path: string): Io<void> {
    if (seen.has(number)) return;
    seen.add(number);
    let tree: InodeTree;
    let entries: DirectoryEntry[] = [];
    try {
      tree = yield* inodeTree(inspected, number);
      if (tree.type === 'directory') entries = yield* directoryEntries(inspected, tree);
    } catch (error) {
      if (!(error instanceof NotCached)) throw error;
      unread.push(path);
      return;
    }
    owners.push({
      inode: number,
      path,
      type: tree.type,
      data: dataBlocks(tree),
      tables: tableBlocks(tree),
    });
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..') continue;
      yield* visit(entry.inode, `${path === '/' ? '' : path}/${entry.name}`);
    }
  };
  yield* visit(ROOT_INODE, '/');
  return { owners, unread };
}

// ---- the journal ----

/** What a mount would do with the last transaction: nothing (it is home, or never committed), or replay it. */
export type LoggedState = 'checkpointed' | 'committed' | 'incomplete';

export interface JournalState {
  readonly label: string;
  readonly start: number;
  readonly length: number;
  /** Blocks one transaction can hold. */
  readonly capacity: number;
  /** The header's sequence number: the next transaction's. */
  readonly headerSequence: number;
  /** The last transaction written to the log, or null if none since this mount. */
  readonly transaction: {
    readonly sequence: number;
    readonly homeBlocks: readonly number[];
    readonly committed: boolean;
    readonly checksum: number;
    readonly state: LoggedState;
  } | null;
  /** Blocks changed in the cache and not yet committed: the running transaction. */
  readonly dirtyBlocks: number;
  /** Their block numbers, in order: where the next commit will log them to. */
  readonly runningBlocks: readonly number[];
}

/**
 * What the journal holds and what a mount would do with it. The journal is
 * the only writer of its blocks and remembers what it last wrote or found
 * there (./journal.ts), so this reads no block: the same data for `journal`
 * and for a view taken between two slices.
 */
export function journalState({ fs }: Inspected): JournalState {
  const { start, blocks: length, capacity, headerSequence, lastTransaction } = fs.journal;
  const runningBlocks = fs.cache.dirtyBlocks().map(({ block }) => block);
  const stateOf = (logged: LoggedTransaction): LoggedState =>
    logged.sequence !== headerSequence
      ? 'checkpointed'
      : logged.committed
        ? 'committed'
        : 'incomplete';
  return {
    label: fs.superblock.label,
    start,
    length,
    capacity,
    headerSequence,
    transaction: lastTransaction && {
      sequence: lastTransaction.sequence,
      homeBlocks: [...lastTransaction.homeBlocks],
      committed: lastTransaction.committed,
      checksum: lastTransaction.checksum,
      state: stateOf(lastTransaction),
    },
    dirtyBlocks: runningBlocks.length,
    runningBlocks,
  };
}

// ---- views: the same data for the book's figures, taken between two slices ----

/** The disk map and every file with its blocks: what the block-map figure draws. */
export interface DiskView {
  readonly mountPoint: string;
  readonly map: DiskMap;
  /** Every file and directory the cache lets the view read, with its blocks. */
  readonly files: BlockOwners;
}

/** An inode's tree and the path it was asked for: what the inode-tree figure draws. */
export interface InodeView extends InodeTree {
  readonly path: string;
}

/** The mount an absolute path lies on (the longest mount point that prefixes it) and the names after it. */
function mountOf(vfs: Vfs, path: string): { fs: FileSystem; names: string[] } {
  if (!path.startsWith('/')) throw new InspectionError(`'${path}' is not an absolute path`);
  const names: string[] = [];
  for (const name of pathComponents(path)) {
    if (name === '..') names.pop();
    else if (name !== '.') names.push(name);
  }
  for (let keep = names.length; keep >= 0; keep--) {
    const at = `/${names.slice(0, keep).join('/')}`;
    const mount = vfs.mountTable().find((m) => m.path === at);
    if (mount) return { fs: mount.fs, names: names.slice(keep) };
  }
  throw new InspectionError('nothing is mounted on /');
}

/** The disk map of the CottonFS mounted at `mountPoint`, from the cache as it is now. */
export function diskMapView(vfs: Vfs, mountPoint: string): DiskMap {
  return runToCompletion(diskMap(residentCottonFs(mountedAt(vfs, mountPoint))));
}

/** The disk map and the blocks of every file of the CottonFS mounted at `mountPoint`. */
export function diskView(vfs: Vfs, mountPoint: string): DiskView {
  const inspected = residentCottonFs(mountedAt(vfs, mountPoint));
  return {
    mountPoint,
    map: runToCompletion(diskMap(inspected)),
    files: runToCompletion(blockOwners(inspected)),
  };
}

/** What the journal of the CottonFS mounted at `mountPoint` holds: what the journal figure draws. */
export function journalView(vfs: Vfs, mountPoint: string): JournalState {
  return journalState(residentCottonFs(mountedAt(vfs, mountPoint)));
}

/** The pointer tree of the file or directory at the absolute `path`, on a CottonFS. */
export function inodeView(vfs: Vfs, path: string): InodeView {
  const { fs, names } = mountOf(vfs, path);
  const inspected = residentCottonFs(fs);
  const find = function* (): Io<InodeTree> {
    let tree = yield* inodeTree(inspected, ROOT_INODE);
    for (const name of names) {
      if (tree.type !== 'directory')
        throw new InspectionError(`${path}: not a directory on the way`);
      const entry = (yield* directoryEntries(inspected, tree)).find((e) => e.name === name);
      if (!entry) throw new InspectionError(`${path}: no such file`);
      tree = yield* inodeTree(inspected, entry.inode);
    }
    return tree;
  };
  return { ...runToCompletion(find()), path };
}
