/**
 * Exercise paging/allocate: the frame allocator's allocate().
 *
 * The checks boot the real machine on the reader's allocator and watch the
 * frame counts of `mem` while programs allocate memory, copy it (fork) and
 * give it back (exit), and while one runs a small machine out of memory. A
 * frame handed out twice corrupts a page table or a program's data; a frame
 * never counted shows up as a leak.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, memFrames, runOrExplain } from '../../machine-text';
import { starter } from './starter';

async function usedFrames(machine: ExerciseMachine): Promise<number> {
  return memFrames(await runOrExplain(machine, 'mem')).used;
}

async function expectOutput(
  machine: ExerciseMachine,
  command: string,
  expected: RegExp,
  hint: string,
): Promise<string> {
  const output = await runOrExplain(machine, command);
  if (!expected.test(output))
    throw new Error(
      `\`${command}\` should print ${expected} but printed:\n${output.trim()}\n\n${hint}`,
    );
  return output;
}

const checks: Check[] = [
  {
    name: 'the kernel boots and a program runs',
    async run(machine) {
      await bootOrExplain(machine);
      await expectOutput(
        machine,
        'hello frames',
        /hello from user mode \(pid \d+\)[\s\S]*argv\[1\] = frames/,
        'Each program needs frames for its page tables, code and stack.',
      );
      const { used, free } = memFrames(await runOrExplain(machine, 'mem'));
      if (used < 100 || free < 1000)
        throw new Error(
          `\`mem\` says ${used} frames used and ${free} free: does allocate() mark the frame it returns as used (setUsed)?`,
        );
    },
  },
  {
    name: 'frames are never handed out twice: memtest and forkexit pass, and give every frame back',
    async run(machine) {
      await bootOrExplain(machine);
      const before = await usedFrames(machine);
      await expectOutput(
        machine,
        'memtest 6',
        /memtest: passed/,
        'memtest writes a pattern into 6 MiB and reads it back: two pages sharing one frame overwrite each other.',
      );
      await expectOutput(
        machine,
        'forkexit 40',
        /forkexit: 40 ok/,
        'fork copies every page of the parent into new frames.',
      );
      const after = await usedFrames(machine);
      if (after !== before) {
        throw new Error(
          `Before memtest and forkexit ${before} frames were in use, after them ${after}: every frame allocate() hands out must be counted (setUsed), so that free() can give it back.`,
        );
      }
    },
  },
  {
    name: 'running out of memory: the program is killed, the kernel carries on (48 MiB machine)',
    async run(machine) {
      await bootOrExplain(machine, 48);
      const before = await usedFrames(machine);
      await expectOutput(
        machine,
        'memtest 64',
        /out of memory[\s\S]*Segmentation fault/,
        'With 48 MiB of RAM, touching 64 MiB of heap must run out of frames: allocate() returns null, and the page fault kills the program ("out of memory").',
      );
      const after = await usedFrames(machine);
      if (after !== before)
        throw new Error(
          `After the program that ran out of memory was killed, ${after} frames are in use instead of ${before}.`,
        );
      await expectOutput(
        machine,
        'hello',
        /hello from user mode/,
        'Once the frames are freed, programs must run again: after null, allocate() must find the freed frames (wrap the search around).',
      );
    },
  },
];

export const exercise: Exercise = {
  id: 'paging/allocate',
  title: 'Hand out a frame',
  file: 'src/kernel/mm/frame-allocator.ts',
  region: 'allocate',
  statement: `
Every page table, every page of a program, every copy \`fork\` makes needs a **physical frame**:
4 KiB of RAM nobody else is using. The frame allocator keeps one bit per frame in a bitmap,
set when the frame is in use.

Write \`allocate()\` in \`src/kernel/mm/frame-allocator.ts\`: find a free frame, mark it used,
remember where to search next time (the *next fit* hint), and return the frame's **physical
address** (frame number × \`FRAME_SIZE\`). When no frame is free, return \`null\`.
The search itself is already there (\`findFreeFrame()\`); read it.

Until \`allocate()\` works the kernel cannot even build its own page tables, so it panics at boot.
The checks then run programs that allocate, copy and free thousands of frames, and run a
48 MiB machine out of memory; \`mem\` must count every frame back.
`.trim(),
  starter,
  checks,
};
