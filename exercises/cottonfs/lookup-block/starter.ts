/**
 * The starter for exercise cottonfs/lookup-block: the text that takes the
 * place of the `exercise:lookup-block` region in src/kernel/fs/cottonfs/cottonfs.ts.
 */
export const starter = `  /** The disk block holding file block \`index\` of inode \`number\`, or 0 for a hole. */
  private *lookupBlock(number: number, inode: DiskInode, index: number): Io<number> {
    // The first 12 blocks of a file are named in the inode itself.
    if (index < DIRECT_POINTERS) return inode.direct[index]!;

    // TODO (exercise cottonfs/lookup-block): the blocks after the first 12.
    //
    // blockPath(index) (block-map.ts) says how to reach them: { depth, slots }, where depth is
    // 1 (single), 2 (double) or 3 (triple indirect) and slots has one slot number per level.
    // treeRoot(inode, depth) is the tree's first table; each table is a block of 1024 pointers:
    // read it with \`yield* this.cache.read(block)\` and take a slot with readPointer(table, slot).
    // A pointer of 0 on the way means a hole: return 0. Call this.checkPointer(pointer, number)
    // before you follow a pointer, so a damaged disk gives an error, not garbage.
    return 0;
  }`;
