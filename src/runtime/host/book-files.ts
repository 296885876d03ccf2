/**
 * The book's files for a machine, in one binary file: the user programs the
 * firmware hands the kernel as boot modules (src/userland/bin/*.elf, /bin on
 * BootFS and on the book's disk), the repository's disk/ tree (the desktop's
 * font, the book's root certificate), and the book's disk those make
 * (book-disk.ts), built once by the book's build, as xv6's mkfs builds its
 * fs.img at build time, rather than in every reader's browser.
 *
 * The browser's machine worker fetches this file once (the build names it by
 * its content, so the HTTP cache keeps it) rather than carrying the bytes as
 * base64 text inside its script: base64 is a third larger and compresses
 * worse, and the script would be parsed as code before the machine could
 * start. The disk comes as its written blocks (every other byte of the image
 * is zero), each named by the index of its content among the blocks the
 * files are cut into and the blocks no file has (the file system's
 * structures): a file's bytes lie on the disk twice (the journal, then their
 * home), and would otherwise double the file. The layout is the simplest
 * that can be checked:
 *
 *   magic "CBF2", u32 entry count, then per entry:
 *   u8 kind (1 program, 2 disk file), u16 name length, name (UTF-8),
 *   u32 byte length, bytes
 *   then the disk: u32 image byte length, u32 block byte length,
 *   u32 count of blocks no file has, those blocks,
 *   u32 written block count, per written block: u32 block number,
 *   u32 content index (the entries' blocks in order, each entry's last
 *   padded with zeros, then the blocks no file has)
 *                                               (integers little-endian)
 *
 * A file that is cut short, says more than it holds or names a block or a
 * content that is not there is rejected with a BookFilesError, never read
 * past its end.
 */
import type { BootModule } from '../../emu/firmware';
import { BLOCK_SIZE } from '../../kernel/fs/block-device';
import type { DiskFile, WrittenImage } from './book-disk';

const MAGIC = 'CBF2';
const KIND_PROGRAM = 1;
const KIND_DISK_FILE = 2;
const HEADER_BYTES = 8;
/** Larger disks than this are no book's: a corrupt length is refused before anything is allocated. */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
const MAX_BLOCK_BYTES = 1 << 20;

export interface BookFiles {
  readonly programs: readonly BootModule[];
  readonly diskFiles: readonly DiskFile[];
}

/** The book's disk as shipped: the image's size and its written blocks (every other byte is zero). */
export interface PackedDisk {
  readonly imageBytes: number;
  readonly blockBytes: number;
  /** Block number and content, in the order the disk's builder wrote them. */
  readonly blocks: readonly (readonly [number, Uint8Array])[];
}

/** What the book's file holds: the files, and the disk built from them. */
export interface BookFilesWithDisk extends BookFiles {
  readonly disk: PackedDisk;
}

export class BookFilesError extends Error {
  override name = 'BookFilesError';
}

interface Entry {
  readonly kind: number;
  readonly name: Uint8Array;
  readonly bytes: Uint8Array;
}

function entriesOf(files: BookFiles): Entry[] {
  const encoder = new TextEncoder();
  return [
    ...files.programs.map((p) => ({
      kind: KIND_PROGRAM,
      name: encoder.encode(p.name),
      bytes: p.bytes,
    })),
    ...files.diskFiles.map((f) => ({
      kind: KIND_DISK_FILE,
      name: encoder.encode(f.path),
      bytes: f.bytes,
    })),
  ];
}

/** `bytes` cut in blocks of `blockBytes`, the last padded with zeros. */
function blocksOf(bytes: Uint8Array, blockBytes: number): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += blockBytes) {
    const block = new Uint8Array(blockBytes);
    block.set(bytes.subarray(at, at + blockBytes));
    blocks.push(block);
  }
  return blocks;
}

/** A block's content as a map key. */
const contentKey = (block: Uint8Array): string => String.fromCharCode(...block);

/** The written blocks of `image`, which must be whole blocks of one size. */
function writtenBlocks(image: WrittenImage): PackedDisk {
  const blockBytes = image.written[0]?.[1] ?? BLOCK_SIZE;
  const blocks = image.written.map(([offset, length]): [number, Uint8Array] => {
    if (length !== blockBytes || offset % blockBytes !== 0)
      throw new Error(
        `book files: the disk's write at ${offset} (${length} bytes) is not one block`,
      );
    return [offset / blockBytes, image.bytes.subarray(offset, offset + blockBytes)];
  });
  return { imageBytes: image.bytes.length, blockBytes, blocks };
}

/**
 * The disk's section: the blocks no file has, then each written block as
 * its number and the index of its content (see the layout above).
 */
function diskSection(entries: readonly Entry[], disk: PackedDisk): Uint8Array[] {
  const index = new Map<string, number>();
  let contents = 0;
  for (const entry of entries)
    for (const block of blocksOf(entry.bytes, disk.blockBytes)) {
      const key = contentKey(block);
      if (!index.has(key)) index.set(key, contents);
      contents++;
    }
  const others: Uint8Array[] = [];
  const table = new Uint8Array(8 * disk.blocks.length);
  const view = new DataView(table.buffer);
  disk.blocks.forEach(([number, block], i) => {
    const key = contentKey(block);
    let content = index.get(key);
    if (content === undefined) {
      content = contents + others.length;
      index.set(key, content);
      others.push(block);
    }
    view.setUint32(8 * i, number, true);
    view.setUint32(8 * i + 4, content, true);
  });
  const u32s = (...values: number[]): Uint8Array => {
    const bytes = new Uint8Array(4 * values.length);
    values.forEach((value, i) => new DataView(bytes.buffer).setUint32(4 * i, value, true));
    return bytes;
  };
  return [
    u32s(disk.imageBytes, disk.blockBytes, others.length),
    ...others,
    u32s(disk.blocks.length),
    table,
  ];
}

/** The programs, then the disk files, in the order given, then `disk` (the book's disk built from them). */
export function packBookFiles(files: BookFiles, disk: WrittenImage): Uint8Array {
  const entries = entriesOf(files);
  const section = diskSection(entries, writtenBlocks(disk));
  const size = entries.reduce(
    (n, e) => n + 7 + e.name.length + e.bytes.length,
    HEADER_BYTES + section.reduce((n, part) => n + part.length, 0),
  );
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC));
  view.setUint32(4, entries.length, true);
  let at = HEADER_BYTES;
  for (const entry of entries) {
    view.setUint8(at, entry.kind);
    view.setUint16(at + 1, entry.name.length, true);
    out.set(entry.name, at + 3);
    at += 3 + entry.name.length;
    view.setUint32(at, entry.bytes.length, true);
    out.set(entry.bytes, at + 4);
    at += 4 + entry.bytes.length;
  }
  for (const part of section) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A reader over `bytes` that fails, saying what it was reading, instead of reading past the end. */
function cursor(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (count: number, what: string): number => {
    if (at + count > bytes.length)
      throw new BookFilesError(`book files: cut short in ${what} at byte ${at}`);
    const start = at;
    at += count;
    return start;
  };
  return {
    u8: (what: string) => view.getUint8(need(1, what)),
    u16: (what: string) => view.getUint16(need(2, what), true),
    u32: (what: string) => view.getUint32(need(4, what), true),
    bytes: (count: number, what: string) => bytes.slice(need(count, what), at),
    get left() {
      return bytes.length - at;
    },
  };
}

/** The disk's section (see the layout above), its contents taken from `entries`' bytes where they name them. */
function readDisk(read: ReturnType<typeof cursor>, entries: readonly Uint8Array[]): PackedDisk {
  const imageBytes = read.u32("the disk's size");
  const blockBytes = read.u32("the disk's block size");
  if (blockBytes === 0 || blockBytes > MAX_BLOCK_BYTES || imageBytes % blockBytes !== 0)
    throw new BookFilesError(
      `book files: a disk of ${imageBytes} bytes in ${blockBytes}-byte blocks`,
    );
  if (imageBytes > MAX_IMAGE_BYTES)
    throw new BookFilesError(`book files: a disk of ${imageBytes} bytes is larger than any book's`);
  const contents = entries.flatMap((bytes) => blocksOf(bytes, blockBytes));
  const others = read.u32("the count of the disk's own blocks");
  for (let i = 0; i < others; i++) contents.push(read.bytes(blockBytes, `the disk's block ${i}`));
  const written = read.u32("the disk's written block count");
  const blocks: [number, Uint8Array][] = [];
  for (let i = 0; i < written; i++) {
    const number = read.u32(`written block ${i}'s number`);
    const content = contents[read.u32(`written block ${i}'s content`)];
    if (number >= imageBytes / blockBytes || !content)
      throw new BookFilesError(
        `book files: written block ${i} is not on the disk or has no content`,
      );
    blocks.push([number, content]);
  }
  return { imageBytes, blockBytes, blocks };
}

export function unpackBookFiles(bytes: Uint8Array): BookFilesWithDisk {
  const read = cursor(bytes);
  const magic = new TextDecoder().decode(read.bytes(MAGIC.length, 'the magic'));
  if (magic !== MAGIC) throw new BookFilesError(`book files: bad magic ${JSON.stringify(magic)}`);
  const count = read.u32('the entry count');
  const decoder = new TextDecoder();
  const programs: BootModule[] = [];
  const diskFiles: DiskFile[] = [];
  const entries: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const kind = read.u8(`entry ${i}'s kind`);
    const name = decoder.decode(
      read.bytes(read.u16(`entry ${i}'s name length`), `entry ${i}'s name`),
    );
    const content = read.bytes(read.u32(`${name}'s length`), `${name}'s bytes`);
    if (kind === KIND_PROGRAM) programs.push({ name, bytes: content });
    else if (kind === KIND_DISK_FILE) diskFiles.push({ path: name, bytes: content });
    else throw new BookFilesError(`book files: ${name} has unknown kind ${kind}`);
    entries.push(content);
  }
  const disk = readDisk(read, entries);
  if (read.left !== 0) throw new BookFilesError(`book files: ${read.left} bytes after the disk`);
  return { programs, diskFiles, disk };
}

/** A fresh image of the packed disk (the machine writes to it), and where it was written. */
export function diskImage(disk: PackedDisk): WrittenImage {
  const bytes = new Uint8Array(disk.imageBytes);
  for (const [number, block] of disk.blocks) bytes.set(block, number * disk.blockBytes);
  return {
    bytes,
    written: disk.blocks.map(([number]) => [number * disk.blockBytes, disk.blockBytes] as const),
  };
}
