/**
 * The starter for exercise cottonfs/allocate-block: the text that takes the
 * place of the `exercise:allocate-block` region in src/kernel/fs/cottonfs/cottonfs.ts.
 */
export const starter = `  /** A free data block, marked used, zeroed and dirty in the cache. Next-fit from the last one. */
  private *allocateBlock(): Io<number> {
    // TODO (exercise cottonfs/allocate-block): find a free data block in the data bitmap.
    //
    // The data bitmap starts at block DATA_BITMAP_START; bit b of the region is set when
    // block b is in use. bitmapPosition(b) gives the bitmap block (blockIndex) and the bit
    // inside it; read a bitmap block with \`yield* this.cache.read(DATA_BITMAP_START + blockIndex)\`
    // and test bits with testBit(bitmap, bit), or let findClearBit(bitmap, from, end) scan.
    //
    // Only blocks from this.firstDataBlock to this.superblock.totalBlocks - 1 may be handed
    // out. Start at this.nextBlockHint (just after the last block handed out) and, if you
    // reach the end of the disk, go on from this.firstDataBlock: freed blocks are found again.
    //
    // When you have a clear bit for block b, \`return yield* this.takeBlock(b);\` marks it used,
    // counts it in the superblock and gives it a zeroed cache buffer. If every bit is set,
    // throw new FsError('ENOSPC', 'no free blocks').
    throw new FsError('ENOSPC', 'allocateBlock is not written yet (exercise cottonfs/allocate-block)');
  }`;
