/**
 * Shell commands that look inside a CottonFS: `blocks` (the data bitmap as a
 * map of the disk), `inode` (an inode's raw fields and pointers), `journal`
 * (what the journal holds), and two tools to feed them: `fill` (write a known
 * pattern anywhere in a file, holes included) and `crc32` (a file's checksum).
 *
 * Models: the inspection tools of real file systems — ext2's dumpe2fs and
 * debugfs (`stat`, `blocks`, `logdump`) — cut down to one screen each. They
 * read the structures through the mounted file system's block cache, so they
 * show what the kernel sees now, changes not yet committed included; the
 * journal itself is never cached, so `journal` reads it from the device.
 * Every one of them is used by the CottonFS chapter of the book to draw its
 * figures from the running machine.
 */
import { bitmapPosition, testBit } from '../fs/cottonfs/bitmap';
import type { Io } from '../fs/block-device';
import { LockedFs, unlocked } from '../fs/locked-fs';
import { CottonFs } from '../fs/cottonfs/cottonfs';
import { INODE_TYPE_DIRECTORY, INODE_TYPE_FILE, type DiskInode } from '../fs/cottonfs/inode-format';
import {
  JOURNAL_COMMIT_MAGIC,
  JOURNAL_DESCRIPTOR_MAGIC,
  JOURNAL_HEADER_MAGIC,
  crc32,
  decodeJournalCommit,
  decodeJournalDescriptor,
  decodeJournalHeader,
} from '../fs/cottonfs/journal-format';
import {
  BITS_PER_BLOCK,
  BLOCK_SIZE,
  DATA_BITMAP_BLOCKS,
  DATA_BITMAP_START,
  INODE_BITMAP_BLOCKS,
  INODE_BITMAP_START,
  INODE_TABLE_BLOCKS,
  INODE_TABLE_START,
  POINTERS_PER_BLOCK,
  SUPERBLOCK_BLOCK,
} from '../fs/cottonfs/layout';
import { readPointer } from '../fs/cottonfs/block-map';
import { FsError } from '../fs/vfs';
import type { FileSystem } from '../fs/vfs';
import { BOLD, paint } from '../lib/ansi';
import { SyscallError } from '../lib/errno';
import { normalizePath } from '../syscall/file-calls';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

export const FS_INSPECT_COMMANDS: readonly ShellCommand[] = [
  {
    name: 'blocks',
    usage: '[mount point]',
    help: 'map of a CottonFS: its regions and which data blocks are used',
    run: (args, sh) => inspect(sh, 'blocks', () => blocks(sh, args[0] ?? '/')),
  },
  {
    name: 'inode',
    usage: '<path>',
    help: "a file's inode as stored: fields and block pointers",
    run: (args, sh) => inspect(sh, 'inode', () => inode(sh, args)),
  },
  {
    name: 'journal',
    usage: '[mount point]',
    help: 'what a CottonFS journal holds, and what a mount would replay',
    run: (args, sh) => inspect(sh, 'journal', () => journal(sh, args[0] ?? '/')),
  },
  {
    name: 'fill',
    usage: '<file> <size>[K|M] [offset[K|M]]',
    help: 'write a test pattern into a file (at an offset: a hole before it)',
    run: (args, sh) => inspect(sh, 'fill', () => fill(sh, args)),
  },
  {
    name: 'crc32',
    usage: '<file>...',
    help: 'CRC-32 and size of files',
    run: (args, sh) => inspect(sh, 'crc32', () => checksums(sh, args)),
  },
];

/** Run an inspection; a file system error is printed as `command: message`. */
function* inspect(
  sh: ShellContext,
  command: string,
  operation: () => Io<void>,
): Generator<void, ExitStatus, void> {
  try {
    yield* operation();
    return EXIT_SUCCESS;
  } catch (error) {
    if (!(error instanceof FsError || error instanceof SyscallError || error instanceof UsageError))
      throw error;
    sh.println(`${command}: ${error.message}`);
    return EXIT_FAILURE;
  }
}

class UsageError extends Error {}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const absolute = (sh: ShellContext, path: string): string => normalizePath(sh.cwd, path);

/**
 * The kernel mounts each CottonFS behind its lock (fs/locked-fs.ts);
 * inspecting holds that lock, so no other task (the flusher) changes the
 * structures halfway through a figure.
 */
function* withCottonFs<T>(mounted: FileSystem, operation: (fs: CottonFs) => Io<T>): Io<T> {
  const fs = unlocked(mounted);
  if (!(fs instanceof CottonFs)) throw new UsageError(`${mounted.name} is not a CottonFS`);
  return mounted instanceof LockedFs
    ? yield* mounted.locked(() => operation(fs))
    : yield* operation(fs);
}

function mountedAt(sh: ShellContext, arg: string): FileSystem {
  const path = absolute(sh, arg);
  const mount = sh.kernel.vfs.mountTable().find((m) => m.path === path);
  if (!mount) throw new UsageError(`${path} is not a mount point (see mount)`);
  return mount.fs;
}

// ---- blocks ----

const MAP_COLUMNS = 64;
const MAP_CELLS = 4 * MAP_COLUMNS;

interface Region {
  readonly letter: string;
  readonly name: string;
  readonly first: number;
  readonly last: number;
}

function regionsOf(fs: CottonFs): Region[] {
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

/** The smallest power of two of blocks per character that fits the disk in MAP_CELLS characters. */
function blocksPerCell(totalBlocks: number): number {
  let per = 1;
  while (Math.ceil(totalBlocks / per) > MAP_CELLS) per *= 2;
  return per;
}

/** Whether each block of the file system is marked used in its data bitmap (as the cache holds it now). */
function* usedBlocks(fs: CottonFs): Io<boolean[]> {
  const { totalBlocks } = fs.superblock;
  const used: boolean[] = [];
  for (let block = 0; block < totalBlocks; ) {
    const { blockIndex } = bitmapPosition(block);
    const bitmap = yield* fs.cache.read(DATA_BITMAP_START + blockIndex);
    const end = Math.min(totalBlocks, (blockIndex + 1) * BITS_PER_BLOCK);
    for (; block < end; block++) used.push(testBit(bitmap, block % BITS_PER_BLOCK));
  }
  return used;
}

function* blocks(sh: ShellContext, arg: string): Io<void> {
  yield* withCottonFs(mountedAt(sh, arg), function* (fs) {
    const { totalBlocks, label } = fs.superblock;
    const used = yield* usedBlocks(fs);
    const per = blocksPerCell(totalBlocks);
    const regions = regionsOf(fs);
    const range = (first: number, last: number): string =>
      first === last ? `${first}` : `${first}-${last}`;
    sh.println(
      `${paint(BOLD, `CottonFS "${label}"`)} on ${absolute(sh, arg)}: ${totalBlocks} blocks of 4 KiB, ${per === 1 ? 'one block' : `${per} blocks`} per character`,
    );
    const legend = [
      ...regions.map((r) => `${r.letter} ${r.name} ${range(r.first, r.last)}`),
      `data ${range(fs.firstDataBlock, totalBlocks - 1)}`,
    ];
    for (let i = 0; i < legend.length; i += 3)
      sh.println(
        `  ${legend
          .slice(i, i + 3)
          .map((text) => text.padEnd(25))
          .join('')
          .trimEnd()}`,
      );
    sh.println('  data: # used, + partly used, . free');
    const cell = (first: number): string => {
      const region = regions.find((r) => first >= r.first && first <= r.last);
      if (region) return region.letter;
      const group = used.slice(first, first + per);
      const count = group.filter(Boolean).length;
      return count === 0 ? '.' : count === group.length ? '#' : '+';
    };
    for (let row = 0; row * MAP_COLUMNS * per < totalBlocks; row++) {
      let line = '';
      for (let column = 0; column < MAP_COLUMNS; column++) {
        const first = (row * MAP_COLUMNS + column) * per;
        if (first < totalBlocks) line += cell(first);
      }
      sh.println(`${String(row * MAP_COLUMNS * per).padStart(6)}  ${line}`);
    }
    const dataUsed = used.slice(fs.firstDataBlock).filter(Boolean).length;
    sh.println(
      `data blocks: ${dataUsed} used, ${totalBlocks - fs.firstDataBlock - dataUsed} free; superblock says ${fs.superblock.freeBlocks} free`,
    );
  });
}

// ---- inode ----

function typeName(type: number): string {
  return type === INODE_TYPE_FILE
    ? 'regular file'
    : type === INODE_TYPE_DIRECTORY
      ? 'directory'
      : type === 0
        ? 'free'
        : `type ${type}`;
}

/** "N of 1024 slots in use: a b c …": the pointers in a table block. */
function* tableSummary(fs: CottonFs, table: number): Io<string> {
  const data = yield* fs.cache.read(table);
  const pointers: number[] = [];
  for (let slot = 0; slot < POINTERS_PER_BLOCK; slot++) {
    const pointer = readPointer(data, slot);
    if (pointer !== 0) pointers.push(pointer);
  }
  const shown = pointers.slice(0, 6).join(' ');
  return `-> ${pointers.length} of ${POINTERS_PER_BLOCK} slots used${pointers.length ? `: ${shown}${pointers.length > 6 ? ' ...' : ''}` : ''}`;
}

function* inode(sh: ShellContext, args: string[]): Io<void> {
  if (args.length !== 1) throw new UsageError('usage: inode <path>');
  const path = absolute(sh, args[0]!);
  const handle = yield* sh.kernel.vfs.resolve(path);
  yield* withCottonFs(handle.fs, function* (fs) {
    const raw: DiskInode = yield* fs.readInode(handle.number);
    sh.println(
      `${paint(BOLD, `inode ${handle.number}`)} (${path}): ${typeName(raw.type)}, mode ${raw.mode.toString(8).padStart(4, '0')}, ${raw.links} link${raw.links === 1 ? '' : 's'}`,
    );
    sh.println(
      `  size      ${raw.size} bytes (${plural(Math.ceil(raw.size / BLOCK_SIZE), 'block')} of 4 KiB)`,
    );
    sh.println(`  blocks    ${raw.blocks} allocated, tables included`);
    sh.println(`  direct    ${raw.direct.join(' ')}`);
    for (const [name, root] of [
      ['indirect', raw.indirect],
      ['double', raw.doubleIndirect],
      ['triple', raw.tripleIndirect],
    ] as const) {
      sh.println(
        `  ${name.padEnd(8)}  ${root === 0 ? '0' : `${root} ${yield* tableSummary(fs, root)}`}`,
      );
    }
  });
}

// ---- journal ----

function* journal(sh: ShellContext, arg: string): Io<void> {
  yield* withCottonFs(mountedAt(sh, arg), function* (fs) {
    const { start, blocks: length, capacity } = fs.journal;
    const read = function* (index: number): Io<Uint8Array> {
      const data = new Uint8Array(BLOCK_SIZE);
      yield* fs.device.readBlock(start + index, data);
      return data;
    };
    sh.println(
      `${paint(BOLD, 'journal')} of CottonFS "${fs.superblock.label}": blocks ${start}-${start + length - 1} (${length} blocks; a transaction holds up to ${capacity})`,
    );
    const header = decodeJournalHeader(yield* read(0));
    if (header.magic !== JOURNAL_HEADER_MAGIC) {
      sh.println(
        '  header    damaged (bad magic): the disk cannot be mounted; fsck --repair resets it',
      );
      return;
    }
    sh.println(
      `  header    sequence ${header.sequence}: the next transaction is #${header.sequence}`,
    );
    const descriptorBlock = yield* read(1);
    const descriptor = decodeJournalDescriptor(descriptorBlock);
    if (descriptor.magic !== JOURNAL_DESCRIPTOR_MAGIC) {
      sh.println('  log       empty: nothing has been committed since mkfs');
    } else {
      const count = descriptor.homeBlocks.length;
      let checksum = crc32(descriptorBlock);
      for (let i = 0; i < count; i++) checksum = crc32(yield* read(2 + i), checksum);
      const commit = decodeJournalCommit(yield* read(2 + count));
      const committed =
        commit.magic === JOURNAL_COMMIT_MAGIC &&
        commit.sequence === descriptor.sequence &&
        commit.count === count &&
        commit.checksum === checksum;
      const homes = descriptor.homeBlocks.slice(0, 10).join(' ') + (count > 10 ? ' ...' : '');
      sh.println(
        `  log       transaction #${descriptor.sequence}, ${plural(count, 'block')}: ${homes}`,
      );
      sh.println(
        `  commit    ${committed ? `record valid (CRC-32 ${checksum.toString(16).padStart(8, '0')})` : 'missing or does not match: the transaction never happened'}`,
      );
      const state =
        descriptor.sequence !== header.sequence
          ? `checkpointed: every block is at home and the header has moved on, so a mount ignores it`
          : committed
            ? 'committed but not checkpointed: a mount now would replay it'
            : 'incomplete: a mount ignores it';
      sh.println(`  state     ${state}`);
    }
    const dirty = fs.cache.dirtyCount;
    sh.println(
      `  running   ${plural(dirty, 'block')} changed in the cache, not yet committed (sync, or the flusher within a second)`,
    );
  });
}

// ---- fill and crc32 ----

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 * 1024 };

function parseSize(text: string, what: string): number {
  const m = /^(\d+)([KM]?)$/i.exec(text);
  if (!m) throw new UsageError(`bad ${what} '${text}' (a number of bytes, or with K or M)`);
  return Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!;
}

/** The test pattern's byte at file position `position`: it changes with the block, so a block read from the wrong place shows. */
export function fillByte(position: number): number {
  return (position * 7 + Math.floor(position / BLOCK_SIZE) * 13 + 1) & 0xff;
}

/** Writes at most this much at once, so that a big fill does not need a big buffer. */
const FILL_CHUNK = 256 * 1024;

function* fill(sh: ShellContext, args: string[]): Io<void> {
  if (args.length < 2 || args.length > 3)
    throw new UsageError('usage: fill <file> <size>[K|M] [offset[K|M]]');
  const path = absolute(sh, args[0]!);
  const size = parseSize(args[1]!, 'size');
  const offset = args[2] === undefined ? 0 : parseSize(args[2], 'offset');
  const { vfs } = sh.kernel;
  const { parent, name } = yield* vfs.resolveParent(path);
  const exists = (yield* parent.readdir()).some((e) => e.name === name);
  const file = exists ? yield* parent.lookup(name) : yield* parent.create(name, 'file');
  for (let done = 0; done < size; ) {
    const chunk = new Uint8Array(Math.min(FILL_CHUNK, size - done));
    for (let i = 0; i < chunk.length; i++) chunk[i] = fillByte(offset + done + i);
    const written = yield* file.write(offset + done, chunk);
    if (written < chunk.length)
      throw new FsError('ENOSPC', `${path}: the disk is full after ${done + written} bytes`);
    done += written;
  }
  sh.println(`${path}: ${size} bytes at offset ${offset}, now ${(yield* file.stat()).size} bytes`);
}

function* checksums(sh: ShellContext, args: string[]): Io<void> {
  if (args.length === 0) throw new UsageError('usage: crc32 <file>...');
  for (const arg of args) {
    const data = yield* sh.kernel.vfs.readFile(absolute(sh, arg));
    sh.println(
      `${crc32(data).toString(16).padStart(8, '0')} ${String(data.length).padStart(9)}  ${arg}`,
    );
  }
}
