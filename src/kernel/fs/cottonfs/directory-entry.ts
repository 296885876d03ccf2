/**
 * Directory entries: a directory's data blocks are arrays of fixed-size entries.
 *
 * Models: the seed's "inode, name length, type, name" entry. ext2 makes each
 * entry as long as its name and chains them with a record length; CottonFS
 * gives every entry 64 bytes instead, so that finding, adding and removing an
 * entry is array indexing and a student can read a directory in a hex dump:
 *
 *   0 u32 inode        0 = a free slot
 *   4 u8  type         the inode's type (as in the inode), so `ls` need not read it
 *   5 u8  name length  1–58
 *   6 58 bytes name    UTF-8, no '/' and no NUL
 *
 * Every directory starts with "." (itself) and ".." (its parent; the root's
 * parent is the root).
 */
import { BLOCK_SIZE } from './layout';
import { utf8Decode, utf8Encode } from '../../lib/utf8';

export const DIRENT_SIZE = 64;
export const DIRENTS_PER_BLOCK = BLOCK_SIZE / DIRENT_SIZE;
export const NAME_MAX = 58;
const NAME_OFFSET = 6;

export interface DirectoryEntry {
  inode: number;
  type: number;
  name: string;
}

/** The entry in slot `slot` of a directory block, or null for a free slot. */
export function decodeDirectoryEntry(block: Uint8Array, slot: number): DirectoryEntry | null {
  const at = slot * DIRENT_SIZE;
  const inode =
    (block[at]! | (block[at + 1]! << 8) | (block[at + 2]! << 16) | (block[at + 3]! << 24)) >>> 0;
  if (inode === 0) return null;
  const length = Math.min(block[at + 5]!, NAME_MAX);
  return {
    inode,
    type: block[at + 4]!,
    name: utf8Decode(block.subarray(at + NAME_OFFSET, at + NAME_OFFSET + length)),
  };
}

export function encodeDirectoryEntry(entry: DirectoryEntry, block: Uint8Array, slot: number): void {
  const at = slot * DIRENT_SIZE;
  const name = utf8Encode(entry.name);
  block.fill(0, at, at + DIRENT_SIZE);
  block[at] = entry.inode & 0xff;
  block[at + 1] = (entry.inode >>> 8) & 0xff;
  block[at + 2] = (entry.inode >>> 16) & 0xff;
  block[at + 3] = entry.inode >>> 24;
  block[at + 4] = entry.type;
  block[at + 5] = name.length;
  block.set(name, at + NAME_OFFSET);
}

export function clearDirectoryEntry(block: Uint8Array, slot: number): void {
  block.fill(0, slot * DIRENT_SIZE, (slot + 1) * DIRENT_SIZE);
}

/** The raw name length byte of a slot (fsck checks it against the limits). */
export function rawNameLength(block: Uint8Array, slot: number): number {
  return block[slot * DIRENT_SIZE + 5]!;
}

/** Why `name` cannot be a directory entry's name, or null if it can. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return `'${name}' is reserved`;
  if (name.includes('/') || name.includes('\0')) return `'${name}' contains '/' or NUL`;
  if (utf8Encode(name).length > NAME_MAX) return `'${name}' is longer than ${NAME_MAX} bytes`;
  return null;
}
