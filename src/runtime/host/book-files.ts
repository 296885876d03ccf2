/**
 * The book's files for a machine, in one binary file: the user programs the
 * firmware hands the kernel as boot modules (src/userland/bin/*.elf, /bin on
 * BootFS and on the book's disk) and the repository's disk/ tree (the
 * desktop's font, the book's root certificate), which book-disk.ts writes to
 * the book's disk.
 *
 * The browser's machine worker fetches this file once (the build names it by
 * its content, so the HTTP cache keeps it) rather than carrying the bytes as
 * base64 text inside its script: base64 is a third larger and compresses
 * worse, and the script would be parsed as code before the machine could
 * start. The layout is the simplest that can be checked:
 *
 *   magic "CBF1", u32 entry count, then per entry:
 *   u8 kind (1 program, 2 disk file), u16 name length, name (UTF-8),
 *   u32 byte length, bytes                      (integers little-endian)
 *
 * A file that is cut short or says more than it holds is rejected with a
 * BookFilesError, never read past its end.
 */
import type { BootModule } from '../../emu/firmware';
import type { DiskFile } from './book-disk';

const MAGIC = 'CBF1';
const KIND_PROGRAM = 1;
const KIND_DISK_FILE = 2;
const HEADER_BYTES = 8;

export interface BookFiles {
  readonly programs: readonly BootModule[];
  readonly diskFiles: readonly DiskFile[];
}

export class BookFilesError extends Error {
  override name = 'BookFilesError';
}

interface Entry {
  readonly kind: number;
  readonly name: Uint8Array;
  readonly bytes: Uint8Array;
}

/** The programs, then the disk files, in the order given. */
export function packBookFiles(files: BookFiles): Uint8Array {
  const encoder = new TextEncoder();
  const entries: Entry[] = [
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
  const size = entries.reduce((n, e) => n + 7 + e.name.length + e.bytes.length, HEADER_BYTES);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(MAGIC));
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

export function unpackBookFiles(bytes: Uint8Array): BookFiles {
  const read = cursor(bytes);
  const magic = new TextDecoder().decode(read.bytes(MAGIC.length, 'the magic'));
  if (magic !== MAGIC) throw new BookFilesError(`book files: bad magic ${JSON.stringify(magic)}`);
  const count = read.u32('the entry count');
  const decoder = new TextDecoder();
  const programs: BootModule[] = [];
  const diskFiles: DiskFile[] = [];
  for (let i = 0; i < count; i++) {
    const kind = read.u8(`entry ${i}'s kind`);
    const name = decoder.decode(
      read.bytes(read.u16(`entry ${i}'s name length`), `entry ${i}'s name`),
    );
    const content = read.bytes(read.u32(`${name}'s length`), `${name}'s bytes`);
    if (kind === KIND_PROGRAM) programs.push({ name, bytes: content });
    else if (kind === KIND_DISK_FILE) diskFiles.push({ path: name, bytes: content });
    else throw new BookFilesError(`book files: ${name} has unknown kind ${kind}`);
  }
  if (read.left !== 0)
    throw new BookFilesError(`book files: ${read.left} bytes after the last entry`);
  return { programs, diskFiles };
}
