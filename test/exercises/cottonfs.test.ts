/**
 * The CottonFS chapter's exercises beyond what every exercise is checked for
 * (every-exercise.test.ts): a tempting wrong answer fails the check written
 * for it.
 */
import { describe, expect, it } from 'vitest';
import { exercise as allocateBlock } from '../../exercises/cottonfs/allocate-block/exercise';
import { exercise as directorySlot } from '../../exercises/cottonfs/directory-slot/exercise';
import { fillByte as checkFillByte } from '../../exercises/cottonfs/fs-checks';
import { fillByte } from '../../src/kernel/shell/fs-inspect-commands';
import { runChecks } from '../../src/runtime/host/exercise';
import { repoKernelSources } from '../../src/runtime/node/node-host';
import { withRegion } from './exercise-checks';

const sources = repoKernelSources();

describe('CottonFS exercise checks', () => {
  it('compute the pattern `fill` writes exactly as the kernel does', () => {
    for (const position of [0, 1, 4095, 4096, 123_457, 5 << 20])
      expect(checkFillByte(position)).toBe(fillByte(position));
  });

  it('catch an allocator whose search never wraps around to the start of the disk', async () => {
    const noWrap = withRegion(
      allocateBlock,
      `  private *allocateBlock(): Io<number> {
    const { totalBlocks } = this.superblock;
    for (let next = this.nextBlockHint; next < totalBlocks; next++) {
      const { blockIndex, bit } = bitmapPosition(next);
      if (!testBit(yield* this.cache.read(DATA_BITMAP_START + blockIndex), bit)) return yield* this.takeBlock(next);
    }
    throw new FsError('ENOSPC', 'no free blocks');
  }`,
    );
    const results = await runChecks(allocateBlock, sources, { [allocateBlock.file]: noWrap });
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
    expect(results[2]!.message).toMatch(/ENOSPC/);
  });

  it('catch a directory that grows instead of reusing a freed slot', async () => {
    const alwaysGrow = withRegion(
      directorySlot,
      `  private *freeSlot(number: number): Io<{ block: number; slot: number }> {
    const directory = yield* this.readDirectory(number);
    const blocks = Math.floor(directory.size / BLOCK_SIZE);
    const last = yield* this.lookupBlock(number, directory, blocks - 1);
    const data = yield* this.cache.read(last);
    let used = DIRENTS_PER_BLOCK;
    while (used > 0 && !decodeDirectoryEntry(data, used - 1)) used--;
    if (used < DIRENTS_PER_BLOCK) return { block: last, slot: used };
    const { block } = yield* this.mapBlockForWrite(number, directory, blocks);
    directory.size = (blocks + 1) * BLOCK_SIZE;
    yield* this.writeInode(number, directory);
    return { block, slot: 0 };
  }`,
    );
    const results = await runChecks(directorySlot, sources, { [directorySlot.file]: alwaysGrow });
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
  });
});
