/**
 * The CottonFS on-disk layout: where everything lives, in blocks.
 *
 * Models: the CottonOS seed's layout, which follows ext2's single block group:
 *
 *   block 0        superblock
 *   blocks 1–31    inode bitmap        (bit i set = inode i in use)
 *   blocks 32–63   data block bitmap   (bit b set = block b in use)
 *   blocks 64–127  inode table         (128-byte inodes, 32 per block)
 *   blocks 128…    data blocks; the journal is the first run of them
 *
 * The regions have fixed places, so a tool can find any structure without
 * reading anything else first. The data bitmap covers every block of the disk,
 * metadata included (those bits are set by mkfs), which caps a disk at
 * 32 × 4096 × 8 blocks = 4 GiB. The inode table caps the file count at 2047
 * (inode 0 means "no inode", as in ext2).
 */
import { BLOCK_SIZE } from '../block-device';

export { BLOCK_SIZE };

export const SUPERBLOCK_BLOCK = 0;
export const INODE_BITMAP_START = 1;
export const INODE_BITMAP_BLOCKS = 31;
export const DATA_BITMAP_START = 32;
export const DATA_BITMAP_BLOCKS = 32;
export const INODE_TABLE_START = 64;
export const INODE_TABLE_BLOCKS = 64;
export const DATA_START = 128;

export const INODE_SIZE = 128;
export const INODES_PER_BLOCK = BLOCK_SIZE / INODE_SIZE;
/** Inode numbers 0…INODE_COUNT-1; 0 is never used. */
export const INODE_COUNT = INODE_TABLE_BLOCKS * INODES_PER_BLOCK;
export const ROOT_INODE = 1;

export const BITS_PER_BLOCK = BLOCK_SIZE * 8;
/** The most blocks the data bitmap can describe. */
export const MAX_BLOCKS = DATA_BITMAP_BLOCKS * BITS_PER_BLOCK;
/** Block pointers are 32-bit, so an indirect block holds 1024 of them. */
export const POINTERS_PER_BLOCK = BLOCK_SIZE / 4;

/** The inode table block and byte offset of inode `number`. */
export function inodeLocation(number: number): { block: number; offset: number } {
  return {
    block: INODE_TABLE_START + Math.floor(number / INODES_PER_BLOCK),
    offset: (number % INODES_PER_BLOCK) * INODE_SIZE,
  };
}
