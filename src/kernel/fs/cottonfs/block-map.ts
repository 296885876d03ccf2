/**
 * The block map: which disk block holds block `index` of a file.
 *
 * Models: the Unix inode's pointer tree (ext2, and the original Unix file
 * system before it). The first 12 blocks of a file are named directly in the
 * inode; later ones through indirect blocks, each a table of 1024 pointers:
 *
 *   index 0–11                   direct[index]
 *   the next 1024                indirect → [i]
 *   the next 1024²  (4 GiB)      double   → [i / 1024] → [i % 1024]
 *   the next 1024³  (4 TiB)      triple   → three steps
 *
 * Small files pay nothing for the big ones' tables. This file only does the
 * arithmetic (which table slots lead to an index) and reads and writes
 * pointers in a table block; following them on disk is ./cottonfs.ts's job.
 */
import { DIRECT_POINTERS } from './inode-format';
import type { DiskInode } from './inode-format';
import { BLOCK_SIZE, POINTERS_PER_BLOCK } from './layout';

/** Blocks a file can have: the direct ones and the three trees. */
export const MAX_FILE_BLOCKS =
  DIRECT_POINTERS + POINTERS_PER_BLOCK + POINTERS_PER_BLOCK ** 2 + POINTERS_PER_BLOCK ** 3;
export const MAX_FILE_SIZE = MAX_FILE_BLOCKS * BLOCK_SIZE;

/** How many levels of tables lie between the inode and a block: 0 (direct) to 3 (triple indirect). */
export type Depth = 0 | 1 | 2 | 3;

/** The blocks a tree of `depth` levels covers: 1024^depth. */
export function treeSpan(depth: Depth): number {
  return POINTERS_PER_BLOCK ** depth;
}

/** The first file block index reached through the tree of `depth` (1–3). */
export function treeStart(depth: Depth): number {
  let start = DIRECT_POINTERS;
  for (let d = 1; d < depth; d++) start += treeSpan(d as Depth);
  return start;
}

/**
 * The way to file block `index`: for depth 0 the direct slot, else the slot
 * to take in each table from the root of the tree of that depth down.
 */
export function blockPath(index: number): { depth: Depth; slots: number[] } {
  if (index < DIRECT_POINTERS) return { depth: 0, slots: [index] };
  for (const depth of [1, 2, 3] as const) {
    const offset = index - treeStart(depth);
    if (offset < treeSpan(depth)) {
      const slots: number[] = [];
      for (let level = depth - 1; level >= 0; level--)
        slots.push(Math.floor(offset / treeSpan(level as Depth)) % POINTERS_PER_BLOCK);
      return { depth, slots };
    }
  }
  throw new RangeError(
    `file block ${index} is beyond the largest file (${MAX_FILE_BLOCKS} blocks)`,
  );
}

/** The inode's pointer to the root table of the tree of `depth` (1–3). */
export function treeRoot(inode: DiskInode, depth: Depth): number {
  return depth === 1 ? inode.indirect : depth === 2 ? inode.doubleIndirect : inode.tripleIndirect;
}

export function setTreeRoot(inode: DiskInode, depth: Depth, block: number): void {
  if (depth === 1) inode.indirect = block;
  else if (depth === 2) inode.doubleIndirect = block;
  else inode.tripleIndirect = block;
}

export function readPointer(table: Uint8Array, slot: number): number {
  const at = slot * 4;
  return (
    (table[at]! | (table[at + 1]! << 8) | (table[at + 2]! << 16) | (table[at + 3]! << 24)) >>> 0
  );
}

export function writePointer(table: Uint8Array, slot: number, block: number): void {
  const at = slot * 4;
  table[at] = block & 0xff;
  table[at + 1] = (block >>> 8) & 0xff;
  table[at + 2] = (block >>> 16) & 0xff;
  table[at + 3] = block >>> 24;
}
