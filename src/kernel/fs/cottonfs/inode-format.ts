/**
 * The CottonFS inode: 128 bytes in the inode table, one per file or directory.
 *
 * Models: ext2's inode, smaller. Little-endian, at fixed offsets:
 *
 *   0  u16 type        0 free, 1 regular file, 2 directory
 *   2  u16 mode        permission bits (0o755 …)
 *   4  u16 link count  directory entries naming this inode
 *   6  u16 flags       reserved, 0
 *   8  u64 size        in bytes (two u32, low first)
 *   16 u32 access time 20 u32 modification time 24 u32 change time
 *   28 u32 blocks      blocks allocated to the file, indirect blocks included
 *   32 12 × u32        direct block pointers       (the first 48 KiB)
 *   80 u32 indirect    a block of 1024 pointers    (the next 4 MiB)
 *   84 u32 double      a block of 1024 indirect    (the next 4 GiB)
 *   88 u32 triple      a block of 1024 double      (the next 4 TiB)
 *   92 u32 next orphan the next inode on the orphan list (0: the last), see
 *                      ./orphan-list.ts; 0 for an inode that is not on it
 *   96 32 bytes reserved, 0
 *
 * The seed's format (version 1) stopped at the single indirect pointer, so its
 * files ended at about 4 MiB; version 2 uses two of its reserved words for the
 * double and triple indirect pointers and keeps the inode at 128 bytes. A
 * pointer of 0 means "no block": that is how a sparse file has holes. The
 * orphan link (as ext4's, which reuses the deletion time) took one more
 * reserved word; an older image has 0 there, which is what "not an orphan"
 * reads as.
 */
import { INODE_SIZE } from './layout';

export const INODE_TYPE_FREE = 0;
export const INODE_TYPE_FILE = 1;
export const INODE_TYPE_DIRECTORY = 2;
export type InodeType = typeof INODE_TYPE_FILE | typeof INODE_TYPE_DIRECTORY;

export const DIRECT_POINTERS = 12;
const DIRECT_OFFSET = 32;
const INDIRECT_OFFSET = 80;
const DOUBLE_INDIRECT_OFFSET = 84;
const TRIPLE_INDIRECT_OFFSET = 88;
const NEXT_ORPHAN_OFFSET = 92;

export interface DiskInode {
  type: number;
  mode: number;
  links: number;
  size: number;
  accessTime: number;
  modifyTime: number;
  changeTime: number;
  blocks: number;
  direct: number[];
  indirect: number;
  doubleIndirect: number;
  tripleIndirect: number;
  nextOrphan: number;
}

export function emptyInode(): DiskInode {
  return {
    type: INODE_TYPE_FREE,
    mode: 0,
    links: 0,
    size: 0,
    accessTime: 0,
    modifyTime: 0,
    changeTime: 0,
    blocks: 0,
    direct: new Array<number>(DIRECT_POINTERS).fill(0),
    indirect: 0,
    doubleIndirect: 0,
    tripleIndirect: 0,
    nextOrphan: 0,
  };
}

/** Decode the inode at `offset` in an inode table block. */
export function decodeInode(block: Uint8Array, offset: number): DiskInode {
  const view = new DataView(block.buffer, block.byteOffset + offset, INODE_SIZE);
  const u32 = (at: number): number => view.getUint32(at, true);
  return {
    type: view.getUint16(0, true),
    mode: view.getUint16(2, true),
    links: view.getUint16(4, true),
    size: u32(8) + u32(12) * 0x1_0000_0000,
    accessTime: u32(16),
    modifyTime: u32(20),
    changeTime: u32(24),
    blocks: u32(28),
    direct: Array.from({ length: DIRECT_POINTERS }, (_, i) => u32(DIRECT_OFFSET + 4 * i)),
    indirect: u32(INDIRECT_OFFSET),
    doubleIndirect: u32(DOUBLE_INDIRECT_OFFSET),
    tripleIndirect: u32(TRIPLE_INDIRECT_OFFSET),
    nextOrphan: u32(NEXT_ORPHAN_OFFSET),
  };
}

/** Encode `inode` into its 128 bytes at `offset` in an inode table block. */
export function encodeInode(inode: DiskInode, block: Uint8Array, offset: number): void {
  block.fill(0, offset, offset + INODE_SIZE);
  const view = new DataView(block.buffer, block.byteOffset + offset, INODE_SIZE);
  const u32 = (at: number, value: number): void => view.setUint32(at, value, true);
  view.setUint16(0, inode.type, true);
  view.setUint16(2, inode.mode, true);
  view.setUint16(4, inode.links, true);
  u32(8, inode.size % 0x1_0000_0000);
  u32(12, Math.floor(inode.size / 0x1_0000_0000));
  u32(16, inode.accessTime);
  u32(20, inode.modifyTime);
  u32(24, inode.changeTime);
  u32(28, inode.blocks);
  inode.direct.forEach((pointer, i) => u32(DIRECT_OFFSET + 4 * i, pointer));
  u32(INDIRECT_OFFSET, inode.indirect);
  u32(DOUBLE_INDIRECT_OFFSET, inode.doubleIndirect);
  u32(TRIPLE_INDIRECT_OFFSET, inode.tripleIndirect);
  u32(NEXT_ORPHAN_OFFSET, inode.nextOrphan);
}
