/**
 * Exercise boot/memory-map: parse the Multiboot2 memory map.
 *
 * The checks boot the real machine with the reader's parser and compare what
 * the kernel reports (the boot log and `mem`) with the map the Cotton PC's
 * firmware builds for the RAM size it was given. They boot with two RAM sizes,
 * so numbers copied from one boot cannot pass.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { starter } from './starter';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The Cotton PC's map for `ramMiB` of RAM (the PC layout below 1 MiB, then one range up to the top). */
function expectedMap(ramMiB: number): Array<{ base: number; last: number; type: string }> {
  return [
    { base: 0, last: 0x9fbff, type: 'available' },
    { base: 0x9fc00, last: 0x9ffff, type: 'reserved' },
    { base: 0xf0000, last: 0xfffff, type: 'reserved' },
    { base: 0x100000, last: ramMiB * MiB - 1, type: 'available' },
  ];
}

/** KiB of usable RAM: 639 KiB of conventional memory plus everything above 1 MiB. */
function expectedUsableKiB(ramMiB: number): number {
  return 0x9fc00 / KiB + (ramMiB - 1) * 1024;
}
const EXPECTED_RESERVED_KIB = (0x400 + 0x10000) / KiB;

function plainText(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(16, '0')}`;
}

/** Boot, turning a panic or a hang into a message about the reader's code. */
async function boot(machine: ExerciseMachine, ramMiB: number): Promise<string> {
  try {
    return plainText(await machine.boot({ ramMiB }));
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    const panicAt = output.indexOf('KERNEL PANIC');
    const detail = panicAt >= 0 ? `\n\n${output.slice(panicAt).trim()}` : '';
    throw new Error(
      `With ${ramMiB} MiB of RAM the kernel did not reach the shell prompt (${(error as Error).message}).${detail}`,
    );
  }
}

/** The KiB figure on the `label:` line of `mem`'s output. */
function memFigure(output: string, label: string): number | null {
  const match = new RegExp(`^${label}:.*\\((\\d+) KiB\\)`, 'm').exec(plainText(output));
  return match ? Number(match[1]) : null;
}

async function checkMem(machine: ExerciseMachine, ramMiB: number): Promise<void> {
  await boot(machine, ramMiB);
  const output = await machine.run('mem');
  const usable = memFigure(output, 'usable');
  const reserved = memFigure(output, 'reserved');
  const expected = expectedUsableKiB(ramMiB);
  if (usable !== expected) {
    throw new Error(
      `With ${ramMiB} MiB of RAM, \`mem\` reports ${usable ?? 'no'} KiB usable; expected ${expected} KiB ` +
        `(639 KiB below 1 MiB plus ${ramMiB - 1} MiB above it). ` +
        (usable === 0
          ? 'Does parseMemoryMap return an entry for each range?'
          : 'Check the base, length and type offsets of each entry.'),
    );
  }
  if (reserved !== EXPECTED_RESERVED_KIB) {
    throw new Error(
      `With ${ramMiB} MiB of RAM, \`mem\` reports ${reserved ?? 'no'} KiB reserved; expected ${EXPECTED_RESERVED_KIB} KiB (the EBDA and the BIOS ROM).`,
    );
  }
}

const checks: Check[] = [
  {
    name: 'the boot log lists every range of the memory map',
    async run(machine) {
      const log = await boot(machine, 128);
      if (!/mem: +\[0x/.test(log)) {
        throw new Error(
          'The boot log lists no memory ranges at all: parseMemoryMap returned an empty list.',
        );
      }
      for (const range of expectedMap(128)) {
        const line = `[${hex16(range.base)}-${hex16(range.last)}] ${range.type}`;
        if (!log.includes(line)) {
          throw new Error(
            `The boot log should list the range\n    ${line}\nbut it does not. Compare the mem: lines of the boot log with the map the firmware passes.`,
          );
        }
      }
    },
  },
  {
    name: '`mem` counts usable and reserved memory with 128 MiB of RAM',
    run: (machine) => checkMem(machine, 128),
  },
  {
    name: '`mem` follows the RAM size (48 MiB and 200 MiB)',
    async run(machine) {
      await checkMem(machine, 48);
      await checkMem(machine, 200);
    },
  },
];

export const exercise: Exercise = {
  id: 'boot/memory-map',
  title: 'Read the memory map',
  file: 'src/kernel/arch/multiboot2.ts',
  region: 'memory-map',
  statement: `
Before the kernel can hand out a single page of memory it has to know **where the RAM is**.
Nothing in the CPU says so: the firmware does. On a PC the BIOS reports a list of
physical address ranges and what each one is (usable RAM, reserved for the firmware,
ACPI tables, …), and a Multiboot2 boot loader passes that list to the kernel as a
**memory map tag** (type 6) in the boot information.

Write \`parseMemoryMap(memory, tag)\` in \`src/kernel/arch/multiboot2.ts\`. It receives the
physical address of the tag and returns one \`{ base, length, type }\` for every entry:

| offset | field | |
|---|---|---|
| +4 | \`u32 size\` | size of the whole tag, header included |
| +8 | \`u32 entry_size\` | distance between entries: step by it, even though it is 24 today |
| +16 | entries | until \`tag + size\` |

Each entry is \`u64 base_addr\`, \`u64 length\`, \`u32 type\`, \`u32 reserved\`.
Read memory with \`memory.read32(address)\` and \`memory.read64(address)\`.

When it works, the boot log lists the ranges (\`mem: [0x…-0x…] available\`), and
\`mem\` adds them up. The checks boot the machine with several RAM sizes.
`.trim(),
  starter,
  checks,
};
