/**
 * Exercise cottonfs/directory-slot: find the slot for a new directory entry.
 *
 * The checks boot the real machine on the reader's code and create files
 * with random names: `ls` must show every one of them, a directory of more
 * than 64 entries must grow to a second block, a slot freed by `rm` must be
 * used again before the directory grows, and `fsck` must find every entry
 * and link count in order.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import {
  BLOCK,
  bootOrExplain,
  expectClean,
  inodeSize,
  randomBelow,
  randomNames,
  runOk,
  runOrExplain,
} from '../fs-checks';
import { starter } from './starter';

const ENTRIES_PER_BLOCK = 64;

/** Create files, ten names to a `touch`. */
async function touchAll(
  machine: ExerciseMachine,
  directory: string,
  names: readonly string[],
): Promise<void> {
  for (let i = 0; i < names.length; i += 10) {
    await runOk(
      machine,
      `touch ${names
        .slice(i, i + 10)
        .map((name) => `${directory}/${name}`)
        .join(' ')}`,
    );
  }
}

async function expectListed(
  machine: ExerciseMachine,
  directory: string,
  names: readonly string[],
  hint: string,
): Promise<void> {
  const output = await runOrExplain(machine, `ls ${directory}`);
  const listed = new Set(
    output
      .split('\n')
      .map((line) => /\s(\S+)$/.exec(line.trim())?.[1])
      .filter(Boolean),
  );
  const missing = names.filter((name) => !listed.has(name));
  if (missing.length > 0) {
    throw new Error(
      `\`ls ${directory}\` is missing ${missing.length} of the ${names.length} files created, e.g. ${missing.slice(0, 3).join(', ')}. ${hint}`,
    );
  }
}

const checks: Check[] = [
  {
    name: 'every file created shows up in ls, and fsck finds the directories in order',
    async run(machine) {
      await bootOrExplain(machine);
      await runOk(machine, 'mkdir /tmp/d');
      const names = randomNames(8 + randomBelow(12));
      await touchAll(machine, '/tmp/d', names);
      await expectListed(
        machine,
        '/tmp/d',
        names,
        'Each new entry needs a slot nobody uses: a slot whose entry decodes to null.',
      );
      await expectClean(
        machine,
        'fsck follows every directory entry and counts the names each inode has.',
      );
    },
  },
  {
    name: 'a directory of more than 64 entries grows to a second block',
    async run(machine) {
      await bootOrExplain(machine);
      await runOk(machine, 'mkdir /tmp/big');
      const names = randomNames(ENTRIES_PER_BLOCK + 5 + randomBelow(40)); // with "." and "..", more than one block
      await touchAll(machine, '/tmp/big', names);
      await expectListed(
        machine,
        '/tmp/big',
        names,
        `A block holds ${ENTRIES_PER_BLOCK} entries, "." and ".." included; when they are all taken, the directory needs another block.`,
      );
      const size = await inodeSize(machine, '/tmp/big');
      if (size !== 2 * BLOCK)
        throw new Error(
          `The directory holds ${names.length + 2} entries, so it should be 2 blocks (${2 * BLOCK} bytes), but its inode says ${size} bytes.`,
        );
      await expectClean(
        machine,
        'A grown directory must name its new block and have the size that covers it.',
      );
    },
  },
  {
    name: 'a slot freed by rm is used again before the directory grows',
    async run(machine) {
      await bootOrExplain(machine);
      await runOk(machine, 'mkdir /tmp/full');
      const names = randomNames(ENTRIES_PER_BLOCK - 2); // exactly one block with "." and ".."
      await touchAll(machine, '/tmp/full', names);
      const before = await inodeSize(machine, '/tmp/full');
      if (before !== BLOCK)
        throw new Error(
          `62 files and "." and ".." fill one block exactly, but the directory is ${before} bytes: use the free slots of a block before growing.`,
        );
      const removed = names.splice(randomBelow(names.length), 1)[0]!;
      await runOk(machine, `rm /tmp/full/${removed}`);
      const [added] = randomNames(1, 'new');
      await runOk(machine, `touch /tmp/full/${added}`);
      const after = await inodeSize(machine, '/tmp/full');
      if (after !== BLOCK)
        throw new Error(
          `After rm ${removed} a slot was free, but creating ${added} grew the directory to ${after} bytes: look for a free slot before growing.`,
        );
      await expectListed(
        machine,
        '/tmp/full',
        [...names, added!],
        'The new entry goes into the freed slot.',
      );
      await expectClean(machine, 'Reusing a slot must leave no trace of the old entry.');
    },
  },
];

export const exercise: Exercise = {
  id: 'cottonfs/directory-slot',
  title: 'Insert a directory entry',
  file: 'src/kernel/fs/cottonfs/cottonfs.ts',
  region: 'directory-slot',
  statement: `
A CottonFS directory is a file whose blocks are arrays of 64-byte **entries**: an inode
number (0 = a free slot), the inode's type, the name's length and the name. Creating,
linking or renaming a file writes one entry; the question is *where*.

Write \`freeSlot(number)\` in \`src/kernel/fs/cottonfs/cottonfs.ts\`: return the first free slot of
directory \`number\` as \`{ block, slot }\` (the disk block and the entry's index in it),
and when every slot is taken, grow the directory by one block and return its slot 0.

- \`this.readDirectory(number)\` reads the directory's inode; it has
  \`size / BLOCK_SIZE\` blocks; \`this.lookupBlock\` finds each one on disk.
- \`decodeDirectoryEntry(data, slot)\` returns null for a free slot; a block has
  \`DIRENTS_PER_BLOCK\` (64) slots.
- To grow: \`this.mapBlockForWrite(number, directory, index)\` allocates the block; then the
  directory's size must cover it, and the inode is saved with \`this.writeInode\`.

The kernel cannot even create /tmp without this, so until it works the machine stops
at boot with a panic. The checks create dozens of files with random names, remove one
and create another, and run \`fsck\`.
`.trim(),
  starter,
  checks,
};
