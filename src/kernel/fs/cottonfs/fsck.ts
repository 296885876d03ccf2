/**
 * fsck: check every invariant of a CottonFS image, and repair what it can.
 *
 * Models: e2fsck's passes, in one walk. It trusts nothing it reads: every
 * number is range-checked before it is followed, every block and directory
 * is visited at most once, so a damaged image yields a list of problems and
 * never a crash or an endless loop. The checks:
 *
 *   superblock   magic, version, sizes, journal placement (else: refuse)
 *   journal      a committed transaction is replayed first, as mount would
 *   orphan list  files unlinked while open when the power went are freed,
 *                as mount would (./orphan-list.ts); a damaged list is cleared
 *   block trees  every pointer inside the data area; no block owned twice;
 *                the inode's block count; the size covers every block
 *   directories  "." and ".." right; names valid and unique; every entry
 *                names an inode in use with the entry's type; no directory
 *                reached twice (a loop, or a hard link to a directory)
 *   link counts  the entries naming each inode
 *   orphans      inodes in use that no directory names
 *   bitmaps      exactly the reachable inodes and blocks marked used
 *   superblock   free block and inode counts
 *
 * Without `repair` nothing is written (changes go to an in-memory overlay).
 * With it, the fixes are written at the end: bad pointers and entries are
 * dropped, counts and sizes set to what was found, orphans freed (CottonFS
 * has no lost+found yet), bitmaps rebuilt.
 */
import { setBit, testBit } from './bitmap';
import type { BlockDevice, Io } from '../block-device';
import type { Depth } from './block-map';
import { readPointer, setTreeRoot, treeRoot, treeSpan, treeStart, writePointer } from './block-map';
import {
  DIRENTS_PER_BLOCK,
  NAME_MAX,
  clearDirectoryEntry,
  decodeDirectoryEntry,
  encodeDirectoryEntry,
  rawNameLength,
} from './directory-entry';
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
import { FsError } from '../vfs';
import { CottonFs } from './cottonfs';
import { Journal, JournalDamaged } from './journal';
import {
  BITS_PER_BLOCK,
  BLOCK_SIZE,
  DATA_BITMAP_BLOCKS,
  DATA_BITMAP_START,
  INODE_BITMAP_BLOCKS,
  INODE_BITMAP_START,
  INODE_COUNT,
  INODE_SIZE,
  INODES_PER_BLOCK,
  POINTERS_PER_BLOCK,
  ROOT_INODE,
  SUPERBLOCK_BLOCK,
  inodeLocation,
} from './layout';
import { decodeSuperblock, encodeSuperblock, superblockProblem } from './superblock';
import type { Superblock } from './superblock';

export interface FsckOptions {
  readonly repair: boolean;
}

export interface FsckReport {
  /** Set when the image cannot be checked at all (not a CottonFS, unreadable superblock). */
  readonly fatal: string | null;
  /** One line per problem found, in the order found. */
  readonly problems: string[];
  /** Notes that are not problems (a replayed journal). */
  readonly notes: string[];
  readonly repaired: boolean;
  readonly files: number;
  readonly directories: number;
  readonly usedBlocks: number;
}

/** Exit codes as e2fsck's: 0 clean, 1 problems repaired, 4 problems left, 8 not checked. */
export function fsckExitCode(report: FsckReport): number {
  if (report.fatal) return 8;
  if (report.problems.length === 0) return 0;
  return report.repaired ? 1 : 4;
}

/** Blocks read from the device, changed in memory; written back only on request. */
class Overlay implements BlockDevice {
  readonly changed = new Map<number, Uint8Array>();
  readonly blockCount: number;

  constructor(private readonly device: BlockDevice) {
    this.blockCount = device.blockCount;
  }

  *readBlock(block: number, into: Uint8Array): Io<void> {
    const changed = this.changed.get(block);
    if (changed) into.set(changed);
    else yield* this.device.readBlock(block, into);
  }

  *writeBlock(block: number, data: Uint8Array): Io<void> {
    this.changed.set(block, Uint8Array.from(data.subarray(0, BLOCK_SIZE)));
  }

  *flush(): Io<void> {}

  *read(block: number): Io<Uint8Array> {
    const data = new Uint8Array(BLOCK_SIZE);
    yield* this.readBlock(block, data);
    return data;
  }

  /** The block's contents to change in place (kept in the overlay). */
  *modify(block: number): Io<Uint8Array> {
    const existing = this.changed.get(block);
    if (existing) return existing;
    const data = yield* this.read(block);
    this.changed.set(block, data);
    return data;
  }

  *writeBack(): Io<void> {
    for (const [block, data] of [...this.changed].sort(([a], [b]) => a - b))
      yield* this.device.writeBlock(block, data);
    yield* this.device.flush();
  }
}

const FREE = 0;

class Checker {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  private readonly inodes: DiskInode[] = [];
  private readonly changedInodes = new Set<number>();
  /** For each block, the inode that owns it (0: nobody yet). */
  private readonly owner: Uint32Array;
  /** Entries naming each inode ("." and ".." included). */
  private readonly references = new Uint32Array(INODE_COUNT);
  private readonly reachable = new Uint8Array(INODE_COUNT);
  private readonly firstDataBlock: number;
  files = 0;
  directories = 0;

  constructor(
    private readonly disk: Overlay,
    private readonly superblock: Superblock,
  ) {
    this.owner = new Uint32Array(superblock.totalBlocks);
    this.firstDataBlock = superblock.journalStart + superblock.journalBlocks;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  *loadInodes(): Io<void> {
    for (let tableBlock = 0; tableBlock * INODES_PER_BLOCK < INODE_COUNT; tableBlock++) {
      const table = yield* this.disk.read(inodeLocation(tableBlock * INODES_PER_BLOCK).block);
      for (let i = 0; i < INODES_PER_BLOCK; i++)
        this.inodes.push(decodeInode(table, i * INODE_SIZE));
    }
  }

  /** Pass 1–2: walk the tree from the root, checking each directory and each inode's blocks. */
  *walk(): Io<void> {
    const root = this.inodes[ROOT_INODE]!;
    if (root.type !== INODE_TYPE_DIRECTORY) {
      this.problem(
        `root inode ${ROOT_INODE} is not a directory (type ${root.type}); cannot walk the tree`,
      );
      return;
    }
    this.reachable[ROOT_INODE] = 1;
    yield* this.checkBlocks(ROOT_INODE);
    const queue: { directory: number; parent: number; path: string }[] = [
      { directory: ROOT_INODE, parent: ROOT_INODE, path: '/' },
    ];
    while (queue.length > 0) {
      const { directory, parent, path } = queue.shift()!;
      this.directories++;
      for (const child of yield* this.checkDirectory(directory, parent, path)) queue.push(child);
    }
  }

  /** Check one directory's entries; returns its subdirectories, seen for the first time. */
  private *checkDirectory(
    number: number,
    parent: number,
    path: string,
  ): Io<{ directory: number; parent: number; path: string }[]> {
    const subdirectories: { directory: number; parent: number; path: string }[] = [];
    const names = new Set<string>();
    let dot = false;
    let dotDot = false;
    for (const { block, index } of yield* this.dataBlocks(number)) {
      for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++) {
        const data = yield* this.disk.read(block);
        const entry = decodeDirectoryEntry(data, slot);
        if (!entry) continue;
        const where = `${path} (directory ${number}, block ${index} slot ${slot})`;
        const drop = (why: string): Io<void> =>
          this.dropEntry(block, slot, `${where}: entry '${entry.name}' ${why}`);
        const length = rawNameLength(data, slot);
        if (
          length === 0 ||
          length > NAME_MAX ||
          entry.name.includes('/') ||
          entry.name.includes('\0')
        ) {
          yield* drop(`has a bad name (length ${length})`);
          continue;
        }
        if (entry.inode >= INODE_COUNT) {
          yield* drop(`names inode ${entry.inode}, beyond the last (${INODE_COUNT - 1})`);
          continue;
        }
        const target = this.inodes[entry.inode]!;
        if (target.type !== INODE_TYPE_FILE && target.type !== INODE_TYPE_DIRECTORY) {
          yield* drop(
            `names inode ${entry.inode}, which is ${target.type === INODE_TYPE_FREE ? 'free' : `of unknown type ${target.type}`}`,
          );
          continue;
        }
        if (names.has(entry.name)) {
          yield* drop('is a duplicate name');
          continue;
        }
        if (entry.name === '.') {
          dot = true;
          if (entry.inode !== number)
            yield* this.fixEntry(
              block,
              slot,
              { ...entry, inode: number },
              `${where}: '.' names inode ${entry.inode}, not itself`,
            );
        } else if (entry.name === '..') {
          dotDot = true;
          if (entry.inode !== parent)
            yield* this.fixEntry(
              block,
              slot,
              { ...entry, inode: parent },
              `${where}: '..' names inode ${entry.inode}, not its parent ${parent}`,
            );
        } else if (target.type === INODE_TYPE_DIRECTORY && this.reachable[entry.inode]) {
          yield* drop(
            `names directory ${entry.inode}, which is already reached elsewhere (a loop or a hard link to a directory)`,
          );
          continue;
        }
        names.add(entry.name);
        if (entry.type !== target.type)
          yield* this.fixEntry(
            block,
            slot,
            { ...entry, type: target.type },
            `${where}: entry '${entry.name}' says type ${entry.type}, inode ${entry.inode} has type ${target.type}`,
          );
        const named = entry.name === '.' ? number : entry.name === '..' ? parent : entry.inode;
        this.references[named]!++;
        if (entry.name === '.' || entry.name === '..' || this.reachable[entry.inode]) continue;
        this.reachable[entry.inode] = 1;
        yield* this.checkBlocks(entry.inode);
        if (target.type === INODE_TYPE_DIRECTORY)
          subdirectories.push({
            directory: entry.inode,
            parent: number,
            path: `${path}${entry.name}/`,
          });
        else this.files++;
      }
    }
    if (!dot)
      yield* this.addMissingEntry(
        number,
        { inode: number, type: INODE_TYPE_DIRECTORY, name: '.' },
        path,
      );
    if (!dotDot)
      yield* this.addMissingEntry(
        number,
        { inode: parent, type: INODE_TYPE_DIRECTORY, name: '..' },
        path,
      );
    return subdirectories;
  }

  private *dropEntry(block: number, slot: number, message: string): Io<void> {
    this.problem(`${message}: entry removed`);
    clearDirectoryEntry(yield* this.disk.modify(block), slot);
  }

  private *fixEntry(
    block: number,
    slot: number,
    entry: { inode: number; type: number; name: string },
    message: string,
  ): Io<void> {
    this.problem(`${message}: entry corrected`);
    encodeDirectoryEntry(entry, yield* this.disk.modify(block), slot);
  }

  private *addMissingEntry(
    number: number,
    entry: { inode: number; type: number; name: string },
    path: string,
  ): Io<void> {
    for (const { block } of yield* this.dataBlocks(number)) {
      const data = yield* this.disk.read(block);
      for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++) {
        if (decodeDirectoryEntry(data, slot)) continue;
        this.problem(`${path} (directory ${number}) has no '${entry.name}' entry: added`);
        encodeDirectoryEntry(entry, yield* this.disk.modify(block), slot);
        this.references[entry.inode]!++;
        return;
      }
    }
    this.problem(
      `${path} (directory ${number}) has no '${entry.name}' entry and no free slot for one: left as is`,
    );
  }

  /** The data blocks of an inode whose pointers have been checked, in file order. */
  private *dataBlocks(number: number): Io<{ block: number; index: number }[]> {
    const inode = this.inodes[number]!;
    const blocks: { block: number; index: number }[] = [];
    inode.direct.forEach((block, index) => block && blocks.push({ block, index }));
    for (const depth of [1, 2, 3] as const) {
      const root = treeRoot(inode, depth);
      if (root) yield* this.collect(root, depth, treeStart(depth), blocks);
    }
    return blocks;
  }

  private *collect(
    block: number,
    depth: Depth | 0,
    first: number,
    into: { block: number; index: number }[],
  ): Io<void> {
    if (depth === 0) {
      into.push({ block, index: first });
      return;
    }
    const table = yield* this.disk.read(block);
    const span = treeSpan((depth - 1) as Depth);
    for (let slot = 0; slot < POINTERS_PER_BLOCK; slot++) {
      const child = readPointer(table, slot);
      if (child) yield* this.collect(child, (depth - 1) as Depth | 0, first + slot * span, into);
    }
  }

  /** Claim every block of inode `number`, dropping bad or doubly owned pointers; check the block count and size. */
  private *checkBlocks(number: number): Io<void> {
    const inode = this.inodes[number]!;
    const found = { blocks: 0, lastIndex: -1 };
    for (let slot = 0; slot < DIRECT_POINTERS; slot++) {
      const block = inode.direct[slot]!;
      if (block && !this.claim(number, block, `file block ${slot}`, found, slot, 0)) {
        inode.direct[slot] = 0;
        this.changedInodes.add(number);
      }
    }
    for (const depth of [1, 2, 3] as const) {
      const root = treeRoot(inode, depth);
      if (root && !(yield* this.claimTree(number, root, depth, treeStart(depth), found))) {
        setTreeRoot(inode, depth, 0);
        this.changedInodes.add(number);
      }
    }
    if (inode.blocks !== found.blocks) {
      this.problem(
        `inode ${number}: block count ${inode.blocks}, but ${found.blocks} blocks are allocated: set`,
      );
      inode.blocks = found.blocks;
      this.changedInodes.add(number);
    }
    const needed = (found.lastIndex + 1) * BLOCK_SIZE;
    const badDirectorySize = inode.type === INODE_TYPE_DIRECTORY && inode.size !== needed;
    if (inode.size < found.lastIndex * BLOCK_SIZE + 1 || badDirectorySize) {
      if (found.lastIndex >= 0 || badDirectorySize) {
        this.problem(
          `inode ${number}: size ${inode.size}, but it has data in file block ${found.lastIndex}: size set to ${needed}`,
        );
        inode.size = needed;
        this.changedInodes.add(number);
      }
    }
  }

  /** Claim one block for `number`; false (after reporting) if the pointer must go. */
  private claim(
    number: number,
    block: number,
    what: string,
    found: { blocks: number; lastIndex: number },
    index: number,
    depth: number,
  ): boolean {
    if (block < this.firstDataBlock || block >= this.superblock.totalBlocks) {
      this.problem(
        `inode ${number}: ${what} points to block ${block}, outside the data area (${this.firstDataBlock}–${this.superblock.totalBlocks - 1}): pointer cleared`,
      );
      return false;
    }
    const previous = this.owner[block]!;
    if (previous !== FREE) {
      this.problem(
        `inode ${number}: ${what} points to block ${block}, which inode ${previous} already uses: pointer cleared`,
      );
      return false;
    }
    this.owner[block] = number;
    found.blocks++;
    if (depth === 0) found.lastIndex = Math.max(found.lastIndex, index);
    return true;
  }

  private *claimTree(
    number: number,
    block: number,
    depth: Depth | 0,
    first: number,
    found: { blocks: number; lastIndex: number },
  ): Io<boolean> {
    const what =
      depth === 0
        ? `file block ${first}`
        : `the depth-${depth} table for file blocks from ${first}`;
    if (!this.claim(number, block, what, found, first, depth)) return false;
    if (depth === 0) return true;
    const table = yield* this.disk.read(block);
    const span = treeSpan((depth - 1) as Depth);
    for (let slot = 0; slot < POINTERS_PER_BLOCK; slot++) {
      const child = readPointer(table, slot);
      if (
        child &&
        !(yield* this.claimTree(
          number,
          child,
          (depth - 1) as Depth | 0,
          first + slot * span,
          found,
        ))
      ) {
        writePointer(yield* this.disk.modify(block), slot, 0);
      }
    }
    return true;
  }

  /** Pass 3–4: link counts and orphans. */
  checkInodes(): void {
    for (let number = ROOT_INODE; number < INODE_COUNT; number++) {
      const inode = this.inodes[number]!;
      if (this.reachable[number]) {
        if (inode.nextOrphan !== 0) {
          this.problem(`inode ${number}: named, yet linked into the orphan list: unlinked`);
          inode.nextOrphan = 0;
          this.changedInodes.add(number);
        }
        if (inode.links !== this.references[number]) {
          this.problem(
            `inode ${number}: link count ${inode.links}, but ${this.references[number]} entries name it: set`,
          );
          inode.links = this.references[number]!;
          this.changedInodes.add(number);
        }
      } else if (inode.type !== INODE_TYPE_FREE) {
        this.problem(
          `inode ${number} (${inode.type === INODE_TYPE_DIRECTORY ? 'directory' : 'file'}, ${inode.size} bytes) is in use but no directory names it: freed`,
        );
        this.inodes[number] = emptyInode();
        this.changedInodes.add(number);
      }
    }
  }

  /** Pass 5: the bitmaps must mark exactly what is in use; the superblock must count it. */
  *checkBitmaps(): Io<{ usedBlocks: number }> {
    const inodeInUse = (n: number): boolean => n === 0 || this.reachable[n] === 1;
    const usedInodes = yield* this.checkBitmap(
      'inode',
      INODE_BITMAP_START,
      INODE_BITMAP_BLOCKS,
      INODE_COUNT,
      inodeInUse,
    );
    const blockInUse = (b: number): boolean => b < this.firstDataBlock || this.owner[b] !== FREE;
    const usedBlocks = yield* this.checkBitmap(
      'block',
      DATA_BITMAP_START,
      DATA_BITMAP_BLOCKS,
      this.superblock.totalBlocks,
      blockInUse,
    );
    const sb = this.superblock;
    if (sb.freeInodes !== INODE_COUNT - usedInodes) {
      this.problem(
        `superblock: ${sb.freeInodes} free inodes, but ${INODE_COUNT - usedInodes} are free: set`,
      );
      sb.freeInodes = INODE_COUNT - usedInodes;
    }
    if (sb.freeBlocks !== sb.totalBlocks - usedBlocks) {
      this.problem(
        `superblock: ${sb.freeBlocks} free blocks, but ${sb.totalBlocks - usedBlocks} are free: set`,
      );
      sb.freeBlocks = sb.totalBlocks - usedBlocks;
    }
    return { usedBlocks };
  }

  /** Compare a bitmap region with `inUse` for 0…count-1 (bits beyond must be clear); rebuild it. Returns the number in use. */
  private *checkBitmap(
    kind: string,
    start: number,
    blocks: number,
    count: number,
    inUse: (n: number) => boolean,
  ): Io<number> {
    const bitsPerBlock = BITS_PER_BLOCK; // module constants are getters under some loaders: keep hot loops local
    const blockSize = BLOCK_SIZE;
    const wrong: string[] = [];
    let wrongCount = 0;
    let used = 0;
    for (let blockIndex = 0; blockIndex < blocks; blockIndex++) {
      const base = blockIndex * bitsPerBlock;
      const bitmap = yield* this.disk.read(start + blockIndex);
      const rebuilt = new Uint8Array(BLOCK_SIZE);
      const bits = Math.max(0, Math.min(bitsPerBlock, count - base));
      for (let bit = 0; bit < bits; bit++) {
        if (!inUse(base + bit)) continue;
        setBit(rebuilt, bit);
        used++;
      }
      for (let byte = 0; byte < blockSize; byte++) {
        if (bitmap[byte] === rebuilt[byte]) continue;
        for (let bit = byte * 8; bit < byte * 8 + 8; bit++) {
          const shouldBeSet = testBit(rebuilt, bit);
          if (testBit(bitmap, bit) === shouldBeSet) continue;
          if (wrongCount++ < 10)
            wrong.push(
              `${kind} ${base + bit} is marked ${shouldBeSet ? 'free but in use' : 'used but free'}`,
            );
        }
        (yield* this.disk.modify(start + blockIndex)).set(rebuilt);
      }
    }
    if (wrongCount > wrong.length) wrong.push(`… and ${wrongCount - wrong.length} more`);
    if (wrongCount > 0) this.problem(`${kind} bitmap is wrong: ${wrong.join('; ')}: rebuilt`);
    return used;
  }

  /** Put the changed inodes and superblock into the overlay. */
  *storeChanges(): Io<void> {
    for (const number of this.changedInodes) {
      const { block, offset } = inodeLocation(number);
      encodeInode(this.inodes[number]!, yield* this.disk.modify(block), offset);
    }
    encodeSuperblock(this.superblock, yield* this.disk.modify(SUPERBLOCK_BLOCK));
  }
}

/** Check (and with `repair`, fix) the CottonFS on `device`. Never throws for a damaged image. */
export function* fsck(device: BlockDevice, options: FsckOptions): Io<FsckReport> {
  const empty = {
    problems: [],
    notes: [],
    repaired: false,
    files: 0,
    directories: 0,
    usedBlocks: 0,
  };
  const disk = new Overlay(device);
  let superblock: Superblock;
  try {
    if (device.blockCount === 0) return { ...empty, fatal: 'the disk is empty' };
    superblock = decodeSuperblock(yield* disk.read(SUPERBLOCK_BLOCK));
    const problem = superblockProblem(superblock, device.blockCount);
    if (problem) return { ...empty, fatal: `not a CottonFS that can be checked: ${problem}` };
  } catch (error) {
    return { ...empty, fatal: `cannot read the superblock: ${(error as Error).message}` };
  }
  const checker = new Checker(disk, superblock);
  try {
    yield* replayJournal(disk, superblock, checker);
    superblock = decodeSuperblock(yield* disk.read(SUPERBLOCK_BLOCK)); // the journal may have changed it
    const problem = superblockProblem(superblock, device.blockCount);
    if (problem) return { ...empty, fatal: `after replaying the journal: ${problem}` };
    superblock = yield* freeOrphans(disk, superblock, checker);
    const final = new Checker(disk, superblock);
    final.notes.push(...checker.notes);
    final.problems.push(...checker.problems);
    yield* final.loadInodes();
    yield* final.walk();
    final.checkInodes();
    const { usedBlocks } = yield* final.checkBitmaps();
    yield* final.storeChanges();
    const repaired = options.repair && (final.problems.length > 0 || final.notes.length > 0);
    if (repaired) yield* disk.writeBack();
    return {
      fatal: null,
      problems: final.problems,
      notes: final.notes,
      repaired,
      files: final.files,
      directories: final.directories,
      usedBlocks,
    };
  } catch (error) {
    return {
      ...empty,
      fatal: `fsck stopped: ${(error as Error).message}`,
      problems: checker.problems,
    };
  }
}

/** Free the orphan list as mount does (CottonFs.recover on the overlay); returns the superblock after. */
function* freeOrphans(disk: Overlay, superblock: Superblock, checker: Checker): Io<Superblock> {
  if (superblock.orphanHead === 0) return superblock;
  try {
    const fs = yield* CottonFs.recover(disk, () => superblock.lastWriteTime);
    checker.notes.push(
      `orphan list: freed ${fs.releasedOrphans} inodes unlinked while open (as mount does)`,
    );
    return decodeSuperblock(yield* disk.read(SUPERBLOCK_BLOCK));
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    checker.problem(`${error.message}: orphan list cleared (its inodes are freed as unnamed)`);
    return { ...superblock, orphanHead: 0 };
  }
}

function* replayJournal(disk: Overlay, superblock: Superblock, checker: Checker): Io<void> {
  const journal = new Journal(disk, superblock.journalStart, superblock.journalBlocks);
  const journalEnd = superblock.journalStart + superblock.journalBlocks;
  try {
    const replayed = yield* journal.recover(
      (block) =>
        block < superblock.totalBlocks && (block < superblock.journalStart || block >= journalEnd),
    );
    if (replayed > 0)
      checker.notes.push(`journal: replayed a committed transaction of ${replayed} blocks`);
  } catch (error) {
    if (!(error instanceof JournalDamaged)) throw error;
    checker.problem(`${error.message}: journal reset to empty`);
    yield* journal.format();
  }
}
