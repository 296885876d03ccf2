/**
 * The starter for exercise cottonfs/directory-slot: the text that takes the
 * place of the `exercise:directory-slot` region in src/kernel/fs/cottonfs/cottonfs.ts.
 */
export const starter = `  /** A free slot in directory \`number\`, growing it by a block if it is full. */
  private *freeSlot(number: number): Io<{ block: number; slot: number }> {
    // TODO (exercise cottonfs/directory-slot): where does a new directory entry go?
    //
    // A directory's data is directory.size / BLOCK_SIZE blocks of DIRENTS_PER_BLOCK (64)
    // entries of 64 bytes. \`const directory = yield* this.readDirectory(number);\` reads its inode;
    // \`yield* this.lookupBlock(number, directory, index)\` gives the disk block of its block
    // \`index\` (0 for a hole: skip it), \`yield* this.cache.read(block)\` that block's bytes, and
    // decodeDirectoryEntry(data, slot) returns null for a free slot.
    //
    // Return the first free { block, slot }. If every slot is taken, grow the directory by one
    // block: \`yield* this.mapBlockForWrite(number, directory, index)\` allocates block \`index\`,
    // then set directory.size to the new length and save the inode with
    // \`yield* this.writeInode(number, directory)\`; the new block's slot 0 is free.
    throw new FsError('ENOSPC', 'freeSlot is not written yet (exercise cottonfs/directory-slot)');
  }`;
