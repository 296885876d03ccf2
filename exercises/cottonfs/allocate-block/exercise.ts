/**
 * Exercise cottonfs/allocate-block: find a free block in the data bitmap.
 *
 * The checks boot the real machine on the reader's allocator (the root file
 * system is a CottonFS on a RAM disk) and write files of random sizes: every
 * file must read back what was written (no block handed out twice), `fsck`
 * must find the bitmap, the superblock and the files in agreement, the
 * bitmap must grow by exactly the blocks the files need, and blocks freed
 * near the start of the disk must be found again once the end is reached.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import {
  BLOCK,
  bootOrExplain,
  dataBlocks,
  expectClean,
  expectContents,
  filledContents,
  randomBelow,
  runOk,
  runOrExplain,
} from '../fs-checks';
import { starter } from './starter';

/** Blocks a file of `data` data blocks takes: those, an indirect table past 12, and double indirect tables past 12 + 1024. */
function fileBlocks(data: number): number {
  const beyond = data - 12 - 1024;
  return data + (data > 12 ? 1 : 0) + (beyond > 0 ? 1 + Math.ceil(beyond / 1024) : 0);
}

function blocksFor(size: number): number {
  return fileBlocks(Math.ceil(size / BLOCK));
}

/** The most data blocks a file can have when `free` blocks are left. */
function dataFitting(free: number): number {
  let data = free;
  while (data > 0 && fileBlocks(data) > free) data--;
  return data;
}

async function fillAndCheck(machine: ExerciseMachine, path: string, size: number): Promise<void> {
  await runOk(machine, `fill ${path} ${size}`);
  await expectContents(
    machine,
    path,
    filledContents([[size, 0]]),
    'Two files that share a block overwrite each other: is the block you return marked used (takeBlock) and was its bit clear?',
  );
}

const checks: Check[] = [
  {
    name: 'files get blocks of their own: they read back, and fsck finds the disk clean',
    async run(machine) {
      await bootOrExplain(machine);
      await runOk(machine, 'mkdir /tmp/a /tmp/a/b');
      const files = [
        ['/tmp/one', 1 + randomBelow(3 * BLOCK)],
        ['/tmp/a/two', 5 * BLOCK + randomBelow(20 * BLOCK)],
        ['/tmp/a/b/three', 1 + randomBelow(8 * BLOCK)],
      ] as const;
      for (const [path, size] of files) await fillAndCheck(machine, path, size);
      for (const [path, size] of files)
        await expectContents(
          machine,
          path,
          filledContents([[size, 0]]),
          'A later file overwrote an earlier one: the same block was handed out twice.',
        );
      await expectClean(
        machine,
        'fsck compares the data bitmap with the blocks the inodes point at: a block must be marked used exactly when a file owns it.',
      );
    },
  },
  {
    name: 'the bitmap and the superblock count exactly the blocks a file takes',
    async run(machine) {
      await bootOrExplain(machine);
      const before = await dataBlocks(machine);
      const size = 13 * BLOCK + randomBelow(60 * BLOCK);
      await fillAndCheck(machine, '/tmp/counted', size);
      const after = await dataBlocks(machine);
      const expected = blocksFor(size);
      if (after.used - before.used !== expected) {
        throw new Error(
          `A file of ${size} bytes needs ${expected} blocks (its data and one indirect table), but the data bitmap went from ${before.used} to ${after.used} used blocks.`,
        );
      }
      if (after.free !== after.superblockFree) {
        throw new Error(
          `The bitmap has ${after.free} free data blocks but the superblock says ${after.superblockFree}: hand blocks out with takeBlock, which counts them.`,
        );
      }
      await runOk(machine, 'rm /tmp/counted');
      const freed = await dataBlocks(machine);
      if (freed.used !== before.used)
        throw new Error(
          `After rm the bitmap should be back to ${before.used} used blocks, but it has ${freed.used}.`,
        );
    },
  },
  {
    name: 'blocks freed behind the last allocation are found again (the search wraps around)',
    async run(machine) {
      await bootOrExplain(machine);
      const start = await dataBlocks(machine);
      await runOk(machine, `fill /tmp/first ${2 * BLOCK}`); // two blocks near the start of the data area
      const middle = 400 + randomBelow(400); // data blocks, plus an indirect table
      await fillAndCheck(machine, '/tmp/middle', middle * BLOCK);
      const { free } = await dataBlocks(machine);
      const end = dataFitting(free); // every block up to the end of the disk…
      await fillAndCheck(machine, '/tmp/end', end * BLOCK);
      if (free > fileBlocks(end))
        await runOk(machine, `fill /tmp/pad ${(free - fileBlocks(end)) * BLOCK}`); // …with a small file for the rest
      const full = await dataBlocks(machine);
      if (full.free !== 0)
        throw new Error(
          `The disk should be full now (${start.free} free blocks at boot), but \`blocks\` counts ${full.free} free.`,
        );
      await runOk(machine, 'rm /tmp/middle');
      await fillAndCheck(machine, '/tmp/again', middle * BLOCK); // exactly the blocks /tmp/middle gave back
      await runOk(machine, 'rm /tmp/first');
      // Now every block from the last one handed out to the end of the disk is in use; the two free ones are behind it.
      const output = await runOrExplain(
        machine,
        `fill /tmp/last ${BLOCK + 1 + randomBelow(BLOCK - 1)}`,
      );
      if (/ENOSPC/.test(output)) {
        throw new Error(
          `Two blocks are free near the start of the data area, but writing a two-block file fails:\n${output.trim()}\n\nEvery block from nextBlockHint to the end of the disk is in use: when the search reaches the end it must go on from firstDataBlock.`,
        );
      }
      await expectContents(
        machine,
        '/tmp/end',
        filledContents([[end * BLOCK, 0]]),
        'A block of a file in use was handed out again.',
      );
      await expectClean(
        machine,
        'After files were freed and the space reused, the bitmap must still match the files.',
      );
    },
  },
];

export const exercise: Exercise = {
  id: 'cottonfs/allocate-block',
  title: 'Allocate a block from the bitmap',
  file: 'src/kernel/fs/cottonfs/cottonfs.ts',
  region: 'allocate-block',
  statement: `
Every block a file gets comes from one place: the **data bitmap**, blocks 32–63 of the
disk, one bit per block, set when the block is in use. mkfs sets the bits of the
superblock, the bitmaps, the inode table and the journal, so only the data area is
ever free.

Write \`allocateBlock()\` in \`src/kernel/fs/cottonfs/cottonfs.ts\`: find a clear bit and hand its
block out with \`this.takeBlock(block)\`, which sets the bit, counts the block in the
superblock and gives it a zeroed buffer in the cache.

- Search from \`this.nextBlockHint\` (just after the block handed out last: *next fit*, so a
  file's blocks tend to be consecutive) to the end of the disk, then from
  \`this.firstDataBlock\` up to the hint, so blocks freed earlier are found again.
- \`bitmapPosition(b)\` says which bitmap block holds bit \`b\`; read it with
  \`yield* this.cache.read(DATA_BITMAP_START + blockIndex)\`. \`testBit\` and \`findClearBit\`
  are in \`bitmap.ts\`.
- No free block: \`throw new FsError('ENOSPC', …)\`.

The checks write files of random sizes and read them back, compare \`blocks\` before
and after, and fill the disk twice over. Try \`blocks\` yourself after \`fill /tmp/x 100K\`.
`.trim(),
  starter,
  checks,
};
