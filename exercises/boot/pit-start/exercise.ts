/**
 * Exercise boot/pit-start: program the 8254 timer for the kernel's 1000 Hz tick.
 *
 * The checks boot the real machine with the reader's start() and measure the
 * kernel's clock against the emulated PC's: `sleep` must come back (IRQ 0
 * arrives at all), and a random number of seconds slept, from the moment the
 * CMOS real-time clock's seconds change, must pass on that clock too: it runs
 * on the machine's time, not the kernel's, so a wrong divisor or byte order
 * makes the kernel's seconds too short or too long.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, randomBelow, runOrExplain } from '../../machine-text';
import { starter } from './starter';

/** Seconds since midnight in `date`'s output ("2026-12-01 23:15:12"). */
function clockSeconds(output: string): number {
  const match = /(\d\d):(\d\d):(\d\d)/.exec(output);
  if (!match) throw new Error(`\`date\` printed no time of day:\n${output.trim()}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

const DIVISOR_HINT =
  'The kernel counts 1000 ticks a second: the divisor must be 1193 (this.divisor), written low byte first, then high byte.';

/** Wait (100 ms at a time) until the CMOS clock's seconds change; return the new second. */
async function nextClockSecond(machine: ExerciseMachine): Promise<number> {
  const first = clockSeconds(await runOrExplain(machine, 'date'));
  for (let step = 0; step < 15; step++) {
    await runOrExplain(machine, 'sleep 100ms');
    const now = clockSeconds(await runOrExplain(machine, 'date'));
    if (now !== first) return now;
  }
  throw new Error(
    `The CMOS clock's seconds did not change in 15 sleeps of 100 ms: the kernel's ticks come far too fast. ${DIVISOR_HINT}`,
  );
}

const checks: Check[] = [
  {
    name: 'the timer interrupts: `sleep` comes back',
    async run(machine) {
      await bootOrExplain(machine);
      const millis = 20 + randomBelow(180);
      await runOrExplain(machine, `sleep ${millis}ms`).catch((error: Error) => {
        throw new Error(
          `\`sleep ${millis}ms\` waits for ${millis} timer ticks, and none came: is counter 0 programmed (a control word to 0x43, then the divisor to 0x40)?\n\n${error.message}`,
        );
      });
    },
  },
  {
    name: 'a second of the kernel is a second of the real-time clock',
    async run(machine) {
      await bootOrExplain(machine);
      const start = await nextClockSecond(machine);
      const seconds = 6 + randomBelow(4);
      await runOrExplain(machine, `sleep ${seconds}`).catch((error: Error) => {
        throw new Error(
          `\`sleep ${seconds}\` did not come back within 30 s: the kernel's ticks come far too slowly. ${DIVISOR_HINT}\n\n${error.message}`,
        );
      });
      const passed = (clockSeconds(await runOrExplain(machine, 'date')) - start + 86_400) % 86_400;
      if (passed !== seconds) {
        throw new Error(
          `\`sleep ${seconds}\`, started just after the CMOS clock's seconds changed, took ${passed} s by that clock. ${DIVISOR_HINT}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'boot/pit-start',
  title: 'Start the timer',
  file: 'src/kernel/drivers/pit8254.ts',
  region: 'pit-start',
  statement: `
The kernel's sense of time is an interrupt: the **8254 Programmable Interval Timer** counts
down from a reload value at 1.193182 MHz and raises IRQ 0 each time it reaches 1. Every
tick moves the kernel's clock by a millisecond, ends a task's time slice, wakes sleepers.
Until the kernel programs the PIT, no tick ever comes.

Write \`start()\` in \`src/kernel/drivers/pit8254.ts\`. It sends the PIT a **control word**
on port \`0x43\`, then the **reload value** (the divisor) on counter 0's port \`0x40\`:

| bits of the control word | field | value here |
|---|---|---|
| 7–6 | counter | 0 (\`CW_COUNTER_0\`) |
| 5–4 | access | low byte, then high byte (\`CW_RW_LOW_THEN_HIGH\`) |
| 3–1 | mode | 2, rate generator (\`CW_MODE_2_RATE_GENERATOR\`) |
| 0 | BCD | 0, binary (\`CW_BINARY\`) |

For 1000 ticks a second the divisor is 1 193 182 / 1000 ≈ 1193 (\`this.divisor\`). Then set
\`this.running = true\`. Write a port with \`this.cpu.outb(port, value)\`.

The checks boot the machine, \`sleep\` a random time, and compare the kernel's seconds with
the CMOS real-time clock's.
`.trim(),
  starter,
  checks,
};
