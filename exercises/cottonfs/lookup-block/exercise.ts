/**
 * Exercise cottonfs/lookup-block: follow the inode's indirect pointers.
 *
 * The checks boot the real machine on the reader's lookup, write files with
 * `fill` (a pattern that differs from block to block) past the 12 direct
 * blocks, at the end of the single indirect tree and inside the double
 * indirect one, with holes in between, and compare the CRC-32 of what the
 * kernel reads back with the CRC of what was written. Sizes and offsets are
 * random, so no fixed answer passes.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import {
  BLOCK,
  KiB,
  bootOrExplain,
  expectClean,
  expectContents,
  filledContents,
  randomBelow,
  runOk,
} from '../fs-checks';
import { starter } from './starter';

const DIRECT = 12;
const POINTERS = 1024;

const checks: Check[] = [
  {
    name: 'a file longer than 12 blocks reads back (single indirect)',
    async run(machine) {
      await bootOrExplain(machine);
      const size = (DIRECT + 1 + randomBelow(150)) * BLOCK + randomBelow(BLOCK);
      await runOk(machine, `fill /tmp/long ${size}`);
      await expectContents(
        machine,
        '/tmp/long',
        filledContents([[size, 0]]),
        `The first ${DIRECT * BLOCK} bytes come from the direct pointers; after them, file block i is slot i - 12 of the indirect table.`,
      );
      await expectClean(machine, 'Reading should never change the file system.');
    },
  },
  {
    name: 'a sparse file reads back: holes as zeros, data at the end of the indirect table',
    async run(machine) {
      await bootOrExplain(machine);
      const lastIndirect = (DIRECT + POINTERS - 1) * BLOCK; // the last block the single indirect table names
      const pieces = [
        [100 + randomBelow(2 * KiB), randomBelow(DIRECT) * BLOCK],
        [BLOCK, (DIRECT + 5 + randomBelow(500)) * BLOCK],
        [1 + randomBelow(BLOCK), lastIndirect],
      ] as const;
      for (const [size, offset] of pieces)
        await runOk(machine, `fill /tmp/sparse ${size} ${offset}`);
      await expectContents(
        machine,
        '/tmp/sparse',
        filledContents(pieces),
        'A pointer of 0 is a hole and reads as zeros; a written block past the 12 direct ones is named in the indirect table.',
      );
    },
  },
  {
    name: 'data beyond 4 MiB reads back (double indirect)',
    async run(machine) {
      await bootOrExplain(machine);
      const doubleStart = (DIRECT + POINTERS) * BLOCK;
      const pieces = [
        [
          2 * BLOCK + randomBelow(BLOCK),
          doubleStart +
            randomBelow(3) * POINTERS * BLOCK +
            randomBelow(POINTERS - 4) * BLOCK +
            randomBelow(BLOCK),
        ],
        [1 + randomBelow(BLOCK), randomBelow(DIRECT * BLOCK)],
      ] as const;
      for (const [size, offset] of pieces) await runOk(machine, `fill /tmp/huge ${size} ${offset}`);
      await expectContents(
        machine,
        '/tmp/huge',
        filledContents(pieces),
        'Past 12 + 1024 blocks, a file block is reached through the double indirect table: slots[0] of it names a second table, and slots[1] of that table names the data block.',
      );
      await expectClean(machine, 'Reading should never change the file system.');
    },
  },
];

export const exercise: Exercise = {
  id: 'cottonfs/lookup-block',
  title: 'Follow the indirect pointers',
  file: 'src/kernel/fs/cottonfs/cottonfs.ts',
  region: 'lookup-block',
  statement: `
An inode has room for 12 block pointers: 48 KiB. Beyond that, CottonFS does what Unix
has done since the 1970s: the inode's **indirect** pointer names a block that is a table
of 1024 more pointers (4 MiB more), the **double indirect** pointer a table of such tables
(4 GiB), the **triple** one a table of those (4 TiB).

Write \`lookupBlock(number, inode, index)\` in \`src/kernel/fs/cottonfs/cottonfs.ts\`: the disk block
that holds block \`index\` of the file, or 0 if that block is a hole. The direct blocks
are done for you.

- \`blockPath(index)\` (in \`block-map.ts\`) does the arithmetic: the tree's \`depth\`
  (1–3) and the slot to take at each level.
- \`treeRoot(inode, depth)\` is the tree's top table; \`readPointer(table, slot)\` reads one
  pointer of a table you read with \`yield* this.cache.read(block)\`.
- A 0 pointer on the way is a hole: return 0. Call \`this.checkPointer(pointer, number)\`
  before following a pointer.

Writing files already works (\`mapBlockForWrite\` is the same walk, allocating as it goes);
only reading is broken. Try \`fill /tmp/f 100K\`, \`inode /tmp/f\` and \`crc32 /tmp/f\`.
`.trim(),
  starter,
  checks,
};
