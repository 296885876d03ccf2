/**
 * Shell commands that look inside a CottonFS: `blocks` (the data bitmap as a
 * map of the disk), `inode` (an inode's raw fields and pointers), `journal`
 * (what the journal holds), and two tools to feed them: `fill` (write a known
 * pattern anywhere in a file, holes included) and `crc32` (a file's checksum).
 *
 * Models: the inspection tools of real file systems — ext2's dumpe2fs and
 * debugfs (`stat`, `blocks`, `logdump`) — cut down to one screen each. They
 * print the data that fs/cottonfs/inspection.ts reads out of the mounted file
 * system (what the kernel sees now, changes not yet committed included); the
 * CottonFS chapter's figures draw the same data, so text and figure agree.
 */
import type { Io } from '../fs/block-device';
import { crc32 } from '../fs/cottonfs/journal-format';
import {
  type InodeTree,
  InspectionError,
  type PointerTable,
  diskMap,
  inodeTree,
  journalState,
  mountedAt,
  withCottonFs,
} from '../fs/cottonfs/inspection';
import { BLOCK_SIZE, POINTERS_PER_BLOCK } from '../fs/cottonfs/layout';
import { FsError } from '../fs/vfs';
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
    if (
      !(
        error instanceof FsError ||
        error instanceof SyscallError ||
        error instanceof InspectionError ||
        error instanceof UsageError
      )
    )
      throw error;
    sh.println(`${command}: ${error.message}`);
    return EXIT_FAILURE;
  }
}

class UsageError extends Error {}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const absolute = (sh: ShellContext, path: string): string => normalizePath(sh.cwd, path);

// ---- blocks ----

function* blocks(sh: ShellContext, arg: string): Io<void> {
  const path = absolute(sh, arg);
  const map = yield* withCottonFs(mountedAt(sh.kernel.vfs, path), diskMap);
  const { totalBlocks, label, blocksPerCell: per, regions, columns } = map;
  const range = (first: number, last: number): string =>
    first === last ? `${first}` : `${first}-${last}`;
  sh.println(
    `${paint(BOLD, `CottonFS "${label}"`)} on ${path}: ${totalBlocks} blocks of 4 KiB, ${per === 1 ? 'one block' : `${per} blocks`} per character`,
  );
  const legend = [
    ...regions.map((r) => `${r.letter} ${r.name} ${range(r.first, r.last)}`),
    `data ${range(map.firstDataBlock, totalBlocks - 1)}`,
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
  for (let row = 0; row * columns < map.cells.length; row++) {
    const line = map.cells
      .slice(row * columns, (row + 1) * columns)
      .map((cell) => cell.region ?? (cell.used === 0 ? '.' : cell.used === cell.count ? '#' : '+'))
      .join('');
    sh.println(`${String(row * columns * per).padStart(6)}  ${line}`);
  }
  sh.println(
    `data blocks: ${map.dataUsed} used, ${map.dataFree} free; superblock says ${map.superblockFree} free`,
  );
}

// ---- inode ----

/** "-> N of 1024 slots used: a b c …": the pointers in a table block. */
function tableSummary(table: PointerTable): string {
  const { pointers } = table;
  const shown = pointers.slice(0, 6).join(' ');
  return `-> ${pointers.length} of ${POINTERS_PER_BLOCK} slots used${pointers.length ? `: ${shown}${pointers.length > 6 ? ' ...' : ''}` : ''}`;
}

/** The path the last `inode` showed: the CottonFS chapter's pointer tree figure follows it. */
let lastInodePath: string | null = null;

export function lastInodeShown(): string | null {
  return lastInodePath;
}

function* inode(sh: ShellContext, args: string[]): Io<void> {
  if (args.length !== 1) throw new UsageError('usage: inode <path>');
  const path = absolute(sh, args[0]!);
  const handle = yield* sh.kernel.vfs.resolve(path);
  const tree: InodeTree = yield* withCottonFs(handle.fs, (inspected) =>
    inodeTree(inspected, handle.number),
  );
  lastInodePath = path;
  sh.println(
    `${paint(BOLD, `inode ${tree.number}`)} (${path}): ${tree.type}, mode ${tree.mode.toString(8).padStart(4, '0')}, ${tree.links} link${tree.links === 1 ? '' : 's'}`,
  );
  sh.println(
    `  size      ${tree.size} bytes (${plural(Math.ceil(tree.size / BLOCK_SIZE), 'block')} of 4 KiB)`,
  );
  sh.println(`  blocks    ${tree.blocks} allocated, tables included`);
  sh.println(`  direct    ${tree.direct.join(' ')}`);
  for (const [name, table] of [
    ['indirect', tree.indirect],
    ['double', tree.doubleIndirect],
    ['triple', tree.tripleIndirect],
  ] as const) {
    sh.println(
      `  ${name.padEnd(8)}  ${table === null ? '0' : `${table.block} ${tableSummary(table)}`}`,
    );
  }
}

// ---- journal ----

function* journal(sh: ShellContext, arg: string): Io<void> {
  const mounted = mountedAt(sh.kernel.vfs, absolute(sh, arg));
  const state = yield* withCottonFs(mounted, function* (inspected) {
    return journalState(inspected);
  });
  const { start, length, capacity, transaction } = state;
  sh.println(
    `${paint(BOLD, 'journal')} of CottonFS "${state.label}": blocks ${start}-${start + length - 1} (${length} blocks; a transaction holds up to ${capacity})`,
  );
  sh.println(
    `  header    sequence ${state.headerSequence}: the next transaction is #${state.headerSequence}`,
  );
  if (transaction === null) {
    sh.println('  log       empty: nothing has been committed since mkfs');
  } else {
    const count = transaction.homeBlocks.length;
    const homes = transaction.homeBlocks.slice(0, 10).join(' ') + (count > 10 ? ' ...' : '');
    sh.println(
      `  log       transaction #${transaction.sequence}, ${plural(count, 'block')}: ${homes}`,
    );
    sh.println(
      `  commit    ${transaction.committed ? `record valid (CRC-32 ${transaction.checksum.toString(16).padStart(8, '0')})` : 'missing or does not match: the transaction never happened'}`,
    );
    sh.println(`  state     ${JOURNAL_STATE_TEXT[transaction.state]}`);
  }
  sh.println(
    `  running   ${plural(state.dirtyBlocks, 'block')} changed in the cache, not yet committed (sync, or the flusher within a second)`,
  );
}

const JOURNAL_STATE_TEXT = {
  checkpointed:
    'checkpointed: every block is at home and the header has moved on, so a mount ignores it',
  committed: 'committed but not checkpointed: a mount now would replay it',
  incomplete: 'incomplete: a mount ignores it',
} as const;

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
