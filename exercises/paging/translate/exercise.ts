/**
 * Exercise paging/translate: PageTables.translate(), the MMU's walk in software.
 *
 * The kernel translates user addresses itself whenever it loads a program or
 * copies a system call's buffer, so a wrong translate() breaks programs. The
 * checks also compare `walk`, whose steps come from walk() and whose last
 * line comes from translate(), at addresses picked at random in a program's
 * code and stack and in the kernel's 2 MiB direct map.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, randomBelow, runOrExplain } from '../../machine-text';
import { starter } from './starter';

const KERNEL_DIRECT_MAP_BASE = 0xffff_8000_0000_0000;

interface WalkResult {
  /** The address each printed entry points to (bits 51:12 of the raw entry). */
  readonly entries: Array<{ level: string; address: number }>;
  readonly physical: number | null;
  readonly pageSize: string | null;
  readonly rights: string | null;
}

/** Parse `walk`'s table and its last line. */
function parseWalk(output: string): WalkResult {
  const entries = [
    ...output.matchAll(/^ +(PML4|PDPT|PD|PT) +0x[0-9a-f]+ +\d+ +0x([0-9a-f]{8})_([0-9a-f]{8})/gm),
  ].map((match) => ({
    level: match[1]!,
    address:
      (parseInt(match[2]!, 16) & 0xfffff) * 2 ** 32 +
      ((parseInt(match[3]!, 16) & 0xfffff000) >>> 0),
  }));
  const last =
    /→ (4 KiB|2 MiB) page at 0x[0-9a-f]+ \+ offset 0x[0-9a-f]+ = physical 0x([0-9a-f]+) \(([^)]*)\)/.exec(
      output,
    );
  return {
    entries,
    physical: last ? parseInt(last[2]!, 16) : null,
    pageSize: last?.[1] ?? null,
    rights: last?.[3] ?? null,
  };
}

async function walk(
  machine: ExerciseMachine,
  pid: number,
  virt: number,
): Promise<{ output: string; result: WalkResult }> {
  const output = await runOrExplain(machine, `walk ${pid} 0x${virt.toString(16)}`);
  return { output, result: parseWalk(output) };
}

/** Walk a mapped 4 KiB user page and check translate() agrees with the PT entry. */
async function checkUserAddress(
  machine: ExerciseMachine,
  virt: number,
  rights: string,
): Promise<void> {
  const { output, result } = await walk(machine, 1, virt);
  const pt = result.entries.find((entry) => entry.level === 'PT');
  if (!pt)
    throw new Error(
      `\`walk 1 0x${virt.toString(16)}\` found no PT entry, so the page tables were not built right:\n${output.trim()}`,
    );
  const expected = pt.address + (virt % 4096);
  if (result.physical === null) {
    throw new Error(
      `Walking 0x${virt.toString(16)} by hand reaches a present PT entry, but translate() says the address is not mapped:\n${output.trim()}`,
    );
  }
  if (result.physical !== expected) {
    throw new Error(
      `0x${virt.toString(16)} lies at offset 0x${(virt % 4096).toString(16)} of the page whose PT entry points to 0x${pt.address.toString(16)}, so it translates to 0x${expected.toString(16)}; translate() says 0x${result.physical.toString(16)}:\n${output.trim()}`,
    );
  }
  if (result.pageSize !== '4 KiB' || result.rights !== rights) {
    throw new Error(
      `0x${virt.toString(16)} should be a 4 KiB page with rights "${rights}"; translate() says "${result.pageSize} … (${result.rights})":\n${output.trim()}`,
    );
  }
}

const checks: Check[] = [
  {
    name: 'programs load and system calls reach their memory',
    async run(machine) {
      await bootOrExplain(machine);
      const word = `w${randomBelow(1e6)}`;
      const output = await runOrExplain(machine, `hello ${word}`);
      if (!output.includes(`argv[1] = ${word}`)) {
        throw new Error(
          `\`hello ${word}\` should print its argument, but printed:\n${output.trim()}\n\nexec copies the program and its arguments through translate(), and write() reads the text to print through it.`,
        );
      }
    },
  },
  {
    name: "`walk` translates init's code and stack as its page tables say",
    async run(machine) {
      await bootOrExplain(machine);
      await checkUserAddress(machine, 0x10000 + randomBelow(4096), 'user read-only');
      await checkUserAddress(
        machine,
        0x7fff_f000 + randomBelow(4096),
        'user read-write, no execute',
      );
      const { output, result } = await walk(machine, 1, 0x4000_0000 + randomBelow(0x1000_0000));
      if (result.physical !== null || !output.includes('not mapped'))
        throw new Error(`An address where init maps nothing must not translate:\n${output.trim()}`);
    },
  },
  {
    name: "the kernel's direct map: 2 MiB pages, supervisor-only, no execute",
    async run(machine) {
      await bootOrExplain(machine);
      for (let i = 0; i < 3; i++) {
        const physical = randomBelow(0x10000) * 0x800; // 0 … 128 MiB, in steps a JS number holds exactly at this height
        const { output, result } = await walk(machine, 0, KERNEL_DIRECT_MAP_BASE + physical);
        if (result.physical !== physical || result.pageSize !== '2 MiB') {
          throw new Error(
            `The direct map puts physical 0x${physical.toString(16)} at 0xffff8000${physical.toString(16).padStart(8, '0')}, in a 2 MiB page (PS set in the PD entry); translate() says:\n${output.trim()}`,
          );
        }
        if (result.rights !== 'kernel read-write, no execute') {
          throw new Error(
            `The direct map is supervisor-only and no-execute (U/S clear and XD set in the PD entry); translate() gives the rights "${result.rights}":\n${output.trim()}`,
          );
        }
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'paging/translate',
  title: 'Translate an address',
  file: 'src/kernel/mm/page-table.ts',
  region: 'translate',
  statement: `
The MMU translates every address a program uses, but the kernel must sometimes do the same walk
in software: to copy a program into the pages it has just mapped, or to check and follow a
pointer a system call was given.

Write \`PageTables.translate(root, virt)\` in \`src/kernel/mm/page-table.ts\`: start at the PML4 at
\`root\`, index each level with 9 bits of \`virt\` (\`LEVELS\` has the four index functions), stop at
the first entry that is not present (\`null\`), and at the entry that maps the page — a PT entry, or
a PD entry with PS set (a 2 MiB page) — return the physical address with the offset added, the
effective rights (R/W and U/S only if every level grants them; XD if any level sets it) and the
page size. \`walk()\`, just below, does the same walk without the translation: read it.

Programs cannot even be loaded until it works. The checks compare \`walk <pid> <address>\`, which
prints each level's entry and then your translation, at addresses chosen at random.
`.trim(),
  starter,
  checks,
};
