/**
 * The book's disk: the CottonFS image every machine starts with, in the
 * browser (the reader's disk until they change it) and in `cotton boot`
 * without --disk, and what `cotton mkfs` writes without --from.
 *
 * It is built, not kept in the repository: the same kernel fs code the
 * machine runs formats an image in memory and writes the user programs to
 * /bin (mode 0555, as the machine's own /bin, BootFS, shows them), a little
 * of /etc, the reader's home, the file system's own documentation and the
 * repository's `disk/` tree (the desktop's font under /usr/share/fonts). Every
 * time stamp is the machine's default start time and files are written in a
 * fixed order, so the same programs give byte-identical images. Node builds
 * it where it is needed; the browser gets it as the book's build made it,
 * in the book's files (book-files.ts), rather than building it again in every
 * reader's worker before the first boot. No node:fs here: the dev server and
 * the tests build it too.
 *
 * Why 32 MiB (BOOK_DISK_BYTES): the programs and files take about 1 MiB, and
 * the rest is room for a reader's files; the kernel keeps a 128 MiB machine's
 * RAM for itself, and a disk is held whole in the host's memory (the worker's
 * and, for Download, briefly the page's). An image is mostly zeros, which the
 * browser's disk store does not store (disk-store.ts), so the size costs
 * IndexedDB nothing until it is used; but the machine host hashes the whole
 * image at power-on (the snapshot's disk identity), which for 32 MiB costs
 * tens of milliseconds, a price a larger disk would pay at every boot.
 */
import type { BootModule } from '../../emu/firmware';
import { DEFAULT_START_TIME } from '../../emu/machine';
import { sha256, toHex } from '../../emu/sha256';
import {
  BLOCK_SIZE,
  type Io,
  MemoryBlockDevice,
  runToCompletion as run,
} from '../../kernel/fs/block-device';
import { BOOT_FILE_MODE } from '../../kernel/fs/boot-fs';
import { CottonFs, format, type Clock } from '../../kernel/fs/cottonfs/cottonfs';
import { Vfs } from '../../kernel/fs/vfs';

export const BOOK_DISK_BYTES = 32 * 1024 * 1024;
export const BOOK_DISK_LABEL = 'cottonos';
/** Bump when the default files below change, so browsers start readers on the new disk. */
const BOOK_DISK_LAYOUT = 3;

/** A file for the book's disk from the repository's `disk/` tree (the desktop's font, its licence). */
export interface DiskFile {
  /** Where it goes on the disk: "/usr/share/fonts/cotton-8x16.psf". */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface BookDiskOptions {
  /** Image size in bytes (a multiple of 4096); BOOK_DISK_BYTES by default. */
  readonly bytes?: number;
  /** Every time stamp on the disk, in Unix seconds; the machine's default start time by default. */
  readonly time?: number;
  readonly label?: string;
  /** The repository's `disk/` tree, copied to the same paths. */
  readonly files?: readonly DiskFile[];
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const MOTD = `Welcome to CottonOS, the kernel of the book you are reading.
This disk is a CottonFS image: try ls, cat and fsck on it from the host with
\`cotton ls\`, \`cotton cat\` and \`cotton fsck\`.
`;

const WELCOME = `Hello, reader.

Everything in this directory lives on the machine's ATA disk, in CottonFS:
a superblock, two bitmaps, an inode table and a journal, all in 4 KiB blocks.
Change a file, reboot, and it is still there.
`;

const COTTONFS_DOC = `CottonFS on-disk layout (4096-byte blocks)

  block 0        superblock, magic 0x43544653 "CTFS", format version 2
  blocks 1-31    inode bitmap
  blocks 32-63   data block bitmap
  blocks 64-127  inode table: 2048 inodes of 128 bytes (inode 1 is the root)
  blocks 128...  the journal, then data blocks

Inodes hold 12 direct pointers, then single, double and triple indirect ones.
Directory entries are 64 bytes: inode, type, name length, name (58 bytes).
Every change is journalled (data=journal) and survives a power cut.
`;

/** Path of a program on the disk: its module name if that is a path, else /bin/NAME. */
function programPath(program: BootModule): string {
  return program.name.startsWith('/') ? program.name : `/bin/${program.name}`;
}

/**
 * Write the book's default files into a freshly formatted file system: /bin,
 * /etc, the reader's home, the fs's doc, then the `disk/` tree's files.
 */
export function writeBookFiles(
  vfs: Vfs,
  programs: readonly BootModule[],
  files: readonly DiskFile[] = [],
): void {
  for (const directory of ['/bin', '/etc', '/home/reader', '/usr/share/doc/cottonfs'])
    run(vfs.mkdirs(directory));
  const byPath = programs.map((program) => ({ path: programPath(program), bytes: program.bytes }));
  byPath.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, bytes } of byPath) run(vfs.writeFile(path, bytes, BOOT_FILE_MODE));
  run(vfs.writeFile('/etc/hostname', text('cotton\n')));
  run(vfs.writeFile('/etc/motd', text(MOTD)));
  run(vfs.writeFile('/home/reader/welcome.txt', text(WELCOME)));
  run(vfs.writeFile('/usr/share/doc/cottonfs/layout.txt', text(COTTONFS_DOC)));
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    run(vfs.mkdirs(file.path.slice(0, file.path.lastIndexOf('/')) || '/'));
    run(vfs.writeFile(file.path, file.bytes));
  }
}

/** A device over a zeroed image that remembers which blocks were written: the rest is still zeros. */
class WrittenBlocksDevice extends MemoryBlockDevice {
  readonly written = new Set<number>();

  override *writeBlock(block: number, data: Uint8Array): Io<void> {
    yield* super.writeBlock(block, data);
    this.written.add(block);
  }
}

/** A built image, and the byte ranges [offset, length] written into it (every other byte is zero). */
export interface WrittenImage {
  readonly bytes: Uint8Array;
  readonly written: readonly (readonly [number, number])[];
}

/** Format an image of `bytes` bytes with CottonFS and mount it; `fill` writes the files, then everything is synced. */
export function buildCottonFsImage(
  bytes: number,
  fill: (vfs: Vfs) => void,
  options: { time?: number; label?: string } = {},
): { image: Uint8Array; fs: CottonFs; written: WrittenImage['written'] } {
  const time = options.time ?? DEFAULT_START_TIME;
  const clock: Clock = () => time;
  const device = new WrittenBlocksDevice(new Uint8Array(bytes));
  run(format(device, { clock, label: options.label ?? BOOK_DISK_LABEL }));
  const fs = run(CottonFs.mount(device, clock));
  fill(new Vfs(fs));
  run(fs.sync());
  const written = [...device.written].map((block) => [block * BLOCK_SIZE, BLOCK_SIZE] as const);
  return { image: device.bytes, fs, written };
}

/** The book's default disk with these programs in /bin, and where its builder wrote. */
export function buildBookDiskImage(
  programs: readonly BootModule[],
  options: BookDiskOptions = {},
): WrittenImage {
  const { bytes = BOOK_DISK_BYTES, time, label, files = [] } = options;
  const { image, written } = buildCottonFsImage(
    bytes,
    (vfs) => writeBookFiles(vfs, programs, files),
    { time, label },
  );
  return { bytes: image, written };
}

/** The bytes of the book's default disk with these programs in /bin. */
export function buildBookDisk(
  programs: readonly BootModule[],
  options: BookDiskOptions = {},
): Uint8Array {
  return buildBookDiskImage(programs, options).bytes;
}

/**
 * A short name for the book's disk built from these programs: it changes when
 * the programs, the default files or the size change, and names the reader's
 * stored disk in the browser (a new edition of the book starts a new disk).
 * Cheap: it hashes the programs, not the 32 MiB image.
 */
export function bookDiskVersion(
  programs: readonly BootModule[],
  bytes = BOOK_DISK_BYTES,
  files: readonly DiskFile[] = [],
): string {
  const parts: string[] = [`layout ${BOOK_DISK_LAYOUT}`, `bytes ${bytes}`];
  for (const program of programs) parts.push(`${program.name} ${toHex(sha256(program.bytes))}`);
  for (const file of files) parts.push(`${file.path} ${toHex(sha256(file.bytes))}`);
  parts.sort();
  return toHex(sha256(parts.join('\n'))).slice(0, 16);
}
