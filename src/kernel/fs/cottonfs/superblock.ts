/**
 * The CottonFS superblock (block 0): the facts about the whole file system.
 *
 * Models: ext2's superblock, cut down to what CottonFS needs. All fields are
 * little-endian u32 at fixed offsets:
 *
 *   0  magic            0x43544653, "CTFS" read as a big-endian word
 *   4  format version   1 = the seed's format (12 direct + 1 indirect, no
 *                       journal); 2 = this one: double and triple indirect
 *                       pointers in bytes the seed left reserved, and a journal
 *   8  block size       4096
 *   12 total blocks     16 free blocks
 *   20 total inodes     24 free inodes
 *   28 mount count      32 last mount time   36 last write time (Unix seconds)
 *   40 root inode (1)   44 journal start     48 journal blocks
 *   52 volume label, 32 bytes of UTF-8, NUL-padded
 *   84 orphan head      the first inode of the orphan list (files unlinked
 *                       while open, freed at their last close or, after a
 *                       power cut, at the next mount: ./orphan-list.ts);
 *                       0 when the list is empty, as on an older image
 */
import { utf8Decode, utf8Encode } from '../../lib/utf8';
import { BLOCK_SIZE, DATA_START, INODE_COUNT, MAX_BLOCKS, ROOT_INODE } from './layout';

export const SUPERBLOCK_MAGIC = 0x43544653;
export const FORMAT_VERSION = 2;
/** The seed's format: readable facts, but no journal and no double/triple pointers. */
export const FORMAT_VERSION_SEED = 1;
const LABEL_OFFSET = 52;
export const LABEL_BYTES = 32;
const ORPHAN_HEAD_OFFSET = 84;

export interface Superblock {
  magic: number;
  version: number;
  blockSize: number;
  totalBlocks: number;
  freeBlocks: number;
  totalInodes: number;
  freeInodes: number;
  mountCount: number;
  lastMountTime: number;
  lastWriteTime: number;
  rootInode: number;
  journalStart: number;
  journalBlocks: number;
  label: string;
  orphanHead: number;
}

const FIELDS = [
  'magic',
  'version',
  'blockSize',
  'totalBlocks',
  'freeBlocks',
  'totalInodes',
  'freeInodes',
  'mountCount',
  'lastMountTime',
  'lastWriteTime',
  'rootInode',
  'journalStart',
  'journalBlocks',
] as const;

export function decodeSuperblock(block: Uint8Array): Superblock {
  const view = new DataView(block.buffer, block.byteOffset, BLOCK_SIZE);
  const numbers = Object.fromEntries(FIELDS.map((name, i) => [name, view.getUint32(4 * i, true)]));
  return {
    ...(numbers as Record<(typeof FIELDS)[number], number>),
    label: decodeLabel(block.subarray(LABEL_OFFSET, LABEL_OFFSET + LABEL_BYTES)),
    orphanHead: view.getUint32(ORPHAN_HEAD_OFFSET, true),
  };
}

export function encodeSuperblock(sb: Superblock, into: Uint8Array): void {
  into.fill(0, 0, BLOCK_SIZE);
  const view = new DataView(into.buffer, into.byteOffset, BLOCK_SIZE);
  FIELDS.forEach((name, i) => view.setUint32(4 * i, sb[name], true));
  encodeLabel(sb.label, into.subarray(LABEL_OFFSET, LABEL_OFFSET + LABEL_BYTES));
  view.setUint32(ORPHAN_HEAD_OFFSET, sb.orphanHead, true);
}

/**
 * Why a superblock cannot be mounted, or null if it can. `deviceBlocks` is the
 * size of the disk it was read from.
 */
export function superblockProblem(sb: Superblock, deviceBlocks: number): string | null {
  const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
  if (sb.magic !== SUPERBLOCK_MAGIC)
    return `bad magic ${hex(sb.magic)} (a CottonFS superblock starts with ${hex(SUPERBLOCK_MAGIC)} "CTFS")`;
  if (sb.version !== FORMAT_VERSION)
    return `format version ${sb.version} is not supported (this CottonFS reads version ${FORMAT_VERSION})`;
  if (sb.blockSize !== BLOCK_SIZE) return `block size ${sb.blockSize} is not ${BLOCK_SIZE}`;
  if (sb.totalBlocks <= DATA_START || sb.totalBlocks > MAX_BLOCKS)
    return `total blocks ${sb.totalBlocks} is outside ${DATA_START + 1}–${MAX_BLOCKS}`;
  if (sb.totalBlocks > deviceBlocks)
    return `the superblock says ${sb.totalBlocks} blocks but the disk has only ${deviceBlocks}`;
  if (sb.totalInodes !== INODE_COUNT) return `total inodes ${sb.totalInodes} is not ${INODE_COUNT}`;
  if (sb.rootInode !== ROOT_INODE) return `root inode ${sb.rootInode} is not ${ROOT_INODE}`;
  if (
    sb.journalStart !== DATA_START ||
    sb.journalBlocks < 4 ||
    sb.journalStart + sb.journalBlocks > sb.totalBlocks
  ) {
    return `journal blocks ${sb.journalStart}+${sb.journalBlocks} do not fit the disk`;
  }
  return null;
}

function decodeLabel(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return utf8Decode(bytes.subarray(0, end));
}

function encodeLabel(label: string, into: Uint8Array): void {
  const bytes = utf8Encode(label);
  if (bytes.length > LABEL_BYTES)
    throw new Error(`volume label '${label}' is longer than ${LABEL_BYTES} bytes`);
  into.set(bytes);
}
