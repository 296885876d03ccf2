/**
 * Exercise paging/page-fault: the page-fault handler, demand paging and the
 * reasons a process is killed.
 *
 * The checks run programs whose heap and stack exist only as areas until
 * they are touched (memtest), compare `vm` before and after, and run each
 * kind of bad access (`crash MODE`), expecting the kernel to kill the program
 * with the reason Linux would give.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, jobPid, randomBelow, runOrExplain } from '../../machine-text';
import { starter } from './starter';

async function expectKilled(machine: ExerciseMachine, mode: string, reason: string): Promise<void> {
  const output = await runOrExplain(machine, `crash ${mode}`);
  if (output.includes('still alive'))
    throw new Error(
      `\`crash ${mode}\` was not stopped: the fault was resolved instead of killing the program.\n${output.trim()}`,
    );
  if (!new RegExp(`SIGSEGV: ${reason} at 0x[0-9a-f]{8}`).test(output)) {
    throw new Error(
      `\`crash ${mode}\` should be killed with "SIGSEGV: ${reason} at 0x…"; the kernel printed:\n${output.trim()}`,
    );
  }
}

/** The "mapped of total" pages of one kind of area in `vm`'s table. */
function vmPages(output: string, kind: string): number {
  const match = new RegExp(
    `^ +0x[0-9a-f]+ +0x[0-9a-f]+ +[-rwx]+ +${kind} +(\\d+) of \\d+$`,
    'm',
  ).exec(output);
  if (!match) throw new Error(`\`vm\` lists no ${kind} area:\n${output.trim()}`);
  return Number(match[1]);
}

const checks: Check[] = [
  {
    name: 'the heap and the stack are mapped on first touch: memtest passes',
    async run(machine) {
      await bootOrExplain(machine);
      const mib = 2 + randomBelow(5);
      const output = await runOrExplain(machine, `memtest ${mib}`);
      if (
        !output.includes(`${mib * 256} pages touched, pattern verified`) ||
        !output.includes('memtest: passed')
      ) {
        throw new Error(
          `\`memtest ${mib}\` grows its heap by ${mib} MiB, writes every word and reads it back, then recurses 1 MiB deep into the stack. It printed:\n${output.trim()}\n\nA first touch of a heap or stack page must map a zeroed frame and return RESOLVED.`,
        );
      }
    },
  },
  {
    name: 'only touched pages are mapped, and the stack stops at 8 MiB',
    async run(machine) {
      await bootOrExplain(machine);
      const pid = jobPid(await runOrExplain(machine, 'spin 100000 quiet &'));
      const vm = await runOrExplain(machine, `vm ${pid}`);
      const stack = vmPages(vm, 'stack');
      if (stack < 1 || stack > 4)
        throw new Error(
          `A program that has just started uses a page or two of its 8 MiB stack; \`vm\` says ${stack} are mapped:\n${vm.trim()}`,
        );
      await runOrExplain(machine, `kill ${pid} KILL`);
      await expectKilled(machine, 'stack', 'stack overflow beyond 8 MiB');
    },
  },
  {
    name: 'bad accesses are killed with the right reason, and good programs still run',
    async run(machine) {
      await bootOrExplain(machine);
      await expectKilled(machine, 'null', 'address not mapped');
      await expectKilled(machine, 'text', 'write to read-only page');
      await expectKilled(machine, 'exec', 'instruction fetch from non-executable page');
      await expectKilled(machine, 'other', 'address not mapped');
      const output = await runOrExplain(machine, 'hello');
      if (!output.includes('hello from user mode'))
        throw new Error(`After the crashes, \`hello\` should run:\n${output.trim()}`);
    },
  },
];

export const exercise: Exercise = {
  id: 'paging/page-fault',
  title: 'Handle a page fault',
  file: 'src/kernel/mm/process-memory.ts',
  region: 'page-fault',
  statement: `
A program's heap and stack are only **promises** when it starts: areas in its memory map with no
pages behind them. The first time it touches one of those pages the MMU raises a page fault, and
the kernel decides. If the address lies in an area whose rights allow the access, it maps a
zeroed frame there and the instruction runs again — *demand paging*. Anything else ends the
program, with a reason, the way Linux logs a segfault.

Write \`handlePageFault(address, errorCode)\` in \`src/kernel/mm/process-memory.ts\`. The error code
has the x86 bits \`PF_PRESENT\`, \`PF_WRITE\`, \`PF_USER\` and \`PF_INSTRUCTION\`; the helpers you need
(\`areaAt\`, \`inStackGuardGap\`, \`refusedAccess\`, \`protectionFaultReason\`, \`mapZeroPage\`,
\`pageDown\`) are in the same file. The kernel's reasons are:
\`address not mapped\`, \`stack overflow beyond 8 MiB\`, \`write to read-only page\`,
\`instruction fetch from non-executable page\` and \`out of memory\`.

The checks run \`memtest\`, look at \`vm\`, and run \`crash null|text|exec|other|stack\`.
`.trim(),
  starter,
  checks,
};
