/**
 * Exercise boot/pic-remap: move the PICs' interrupts off the CPU's exception
 * vectors.
 *
 * The checks boot the real machine with the reader's remap() and use one
 * device on each line that matters: the timer (IRQ 0 on the master) with a
 * random `sleep`, the serial line (IRQ 4) with a random command typed at the
 * shell, and the disk (IRQ 14 on the slave, through the cascade on IRQ 2)
 * with a random file written, synced and read back on the book's disk.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { plainText, randomBelow, runOrExplain } from '../../machine-text';
import { starter } from './starter';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function randomWord(length: number): string {
  return Array.from({ length }, () => LETTERS[randomBelow(LETTERS.length)]!).join('');
}

/**
 * Boot (on the book's disk: every disk read waits for IRQ 14); a panic or a
 * hang becomes a message about the PICs.
 */
async function bootOrExplainIrqs(machine: ExerciseMachine, bookDisk = false): Promise<void> {
  try {
    await machine.boot({ bookDisk });
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    const panic = output.indexOf('KERNEL PANIC');
    const vector = /\(vector (\d+),/.exec(output);
    const hint =
      vector && Number(vector[1]) < 32
        ? `An interrupt arrived at vector ${vector[1]}, one of the CPU's own exception vectors: an IRQ's vector is its PIC's base (ICW2) plus the IRQ.`
        : bookDisk
          ? "The disk interrupts on IRQ 14, a line of the slave PIC: its interrupts reach the CPU only through the master's IRQ 2, so the master must know the slave is there (ICW3) and leave IRQ 2 unmasked."
          : 'No device interrupt reached the kernel at its vector (the timer is IRQ 0, the serial line IRQ 4).';
    throw new Error(
      `The kernel did not reach the shell prompt${bookDisk ? " with the book's disk attached" : ''} (${(error as Error).message}). ${hint}` +
        (panic >= 0 ? `\n\n${output.slice(panic).trim()}` : ''),
    );
  }
}

const checks: Check[] = [
  {
    name: 'the timer (IRQ 0, master) reaches the kernel: `sleep` comes back',
    async run(machine) {
      await bootOrExplainIrqs(machine);
      const millis = 20 + randomBelow(180);
      await runOrExplain(machine, `sleep ${millis}ms`);
    },
  },
  {
    name: 'the serial line (IRQ 4, master) reaches the shell: typed commands run',
    async run(machine) {
      await bootOrExplainIrqs(machine);
      const word = randomWord(4 + randomBelow(12));
      const output = await runOrExplain(machine, `echo ${word}`);
      if (!output.split('\n').some((line) => line.trim() === word)) {
        throw new Error(
          `\`echo ${word}\` printed:\n${output.trim()}\nThe characters typed arrive with IRQ 4 (vector masterBase + 4).`,
        );
      }
    },
  },
  {
    name: 'the disk (IRQ 14, slave) reaches the kernel through the cascade',
    async run(machine) {
      await bootOrExplainIrqs(machine, true);
      const name = `/${randomWord(6)}`;
      const text = randomWord(8 + randomBelow(24));
      await runOrExplain(machine, `write ${name} ${text}`);
      await runOrExplain(machine, 'sync');
      const output = await runOrExplain(machine, `cat ${name}`);
      if (!output.includes(text)) {
        throw new Error(
          `\`cat ${name}\` should print ${text}, what \`write\` put there, but printed:\n${output.trim()}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'boot/pic-remap',
  title: 'Remap the PIC',
  file: 'src/kernel/arch/pic8259.ts',
  region: 'pic-remap',
  statement: `
A PC's devices interrupt through two **8259A PICs**: the master takes IRQ 0–7, the slave
IRQ 8–15, and the slave's output is wired to the master's IRQ 2 (the *cascade*). Each chip
turns an IRQ into a vector number: its *vector base* plus the IRQ. A PC's BIOS leaves the
master at vectors 8–15, the Cotton PC's firmware leaves both chips at 0: either way IRQs
land on the CPU's 32 exception vectors (vector 0 is the divide error, 8 the double fault),
and the timer's first tick would look like a crash. So the kernel **remaps** both chips,
to vectors 0x20–0x27 and 0x28–0x2f.

Write \`remap(masterBase, slaveBase)\` in \`src/kernel/arch/pic8259.ts\`. Each chip takes four
*Initialization Command Words*, in order:

| word | port | value |
|---|---|---|
| ICW1 | command (\`0x20\` / \`0xa0\`) | both bits \`ICW1_INIT\` and \`ICW1_ICW4_NEEDED\`: start, an ICW4 follows |
| ICW2 | data (\`0x21\` / \`0xa1\`) | the vector base: \`masterBase\` / \`slaveBase\` |
| ICW3 | data | master: \`ICW3_MASTER_SLAVE_ON_IRQ2\` (a bit mask); slave: \`ICW3_SLAVE_CASCADE_IDENTITY\` (2) |
| ICW4 | data | \`ICW4_8086_MODE\` |

Then mask every IRQ but the cascade line \`CASCADE_IRQ\` (set \`this.mask\`, call
\`this.writeMasks()\`): drivers unmask their own lines later. Write a port with
\`this.cpu.outb(port, value)\`.

The checks use a device on each line: the timer (IRQ 0), the serial line (IRQ 4) and
the disk (IRQ 14, on the slave).
`.trim(),
  starter,
  checks,
};
