/**
 * Exercise scheduler/quantum: the timer's part of scheduling, in timerTick():
 * CPU time, the quantum and preemption.
 *
 * The checks run two CPU-bound programs (which never yield) and read `sched`
 * and `ps`: without preemption the first one keeps the CPU until it exits.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, runOrExplain } from '../../machine-text';
import { schedule, startSpins, timeline } from '../pick-next/exercise';
import { starter } from './starter';

/** The TIME column of `ps` for `pid` (seconds), or null if ps does not list it. */
async function cpuSeconds(
  machine: ExerciseMachine,
  pid: number,
): Promise<{ seconds: number | null; output: string }> {
  const output = await runOrExplain(machine, 'ps');
  const match = new RegExp(`^ *${pid} +\\d+ +\\S+ +[A-Z][a-z ]*?(\\d+\\.\\d{3}) `, 'm').exec(
    output,
  );
  return { seconds: match ? Number(match[1]) : null, output };
}

const checks: Check[] = [
  {
    name: 'two programs that never yield take turns, a 10 ms quantum each',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 2, 40);
      const { output, ticks, slices } = await schedule(machine, 200, pids);
      const average = (ticks[0]! + ticks[1]!) / Math.max(1, slices[0]! + slices[1]!);
      if (ticks.some((t) => t < 60) || average < 8 || average > 12) {
        throw new Error(
          `Two spins of the same priority should alternate every quantum (10 ticks); in 200 ticks they ran ${ticks.join(' and ')} ticks, ${average.toFixed(1)} ticks per slice on average:\n${timeline(output)}`,
        );
      }
    },
  },
  {
    name: '`ps` shows the CPU time a program used',
    async run(machine) {
      await bootOrExplain(machine);
      const [pid] = await startSpins(machine, 1, 60);
      await runOrExplain(machine, 'sleep 200ms');
      const { seconds, output } = await cpuSeconds(machine, pid!);
      if (seconds === null || seconds < 0.15) {
        throw new Error(
          `While the shell slept 200 ms, the spin (pid ${pid}) had the CPU, so \`ps\` should show about 0.2 s of CPU time for it (each tick it runs counts in cpuTicks):\n${output.trim()}`,
        );
      }
    },
  },
  {
    name: 'idle time is counted',
    async run(machine) {
      await bootOrExplain(machine);
      const before = await cpuSeconds(machine, 0);
      await runOrExplain(machine, 'sleep 1');
      const after = await cpuSeconds(machine, 0);
      const idle = (after.seconds ?? 0) - (before.seconds ?? 0);
      if (idle < 0.9) {
        throw new Error(
          `During \`sleep 1\` nothing runs, so [idle] (pid 0) should gain about 1 s of time in \`ps\`; it gained ${idle.toFixed(3)} s:\n${after.output.trim()}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'scheduler/quantum',
  title: 'Preempt at the end of the quantum',
  file: 'src/kernel/sched/scheduler.ts',
  region: 'quantum',
  statement: `
A user program does not have to give the CPU back: \`spin\` computes for ever without a system call.
The kernel takes the CPU back with the **timer**: 1000 times a second the PIT interrupts whatever
runs, and \`timerTick\` charges that millisecond to the running task. When the task has used its
**quantum** (\`QUANTUM_TICKS\`, 10 ticks) it asks for a reschedule; the trap loop sees it after the
interrupt and yields — the program is *preempted*.

Fill in the part of \`timerTick()\` in \`src/kernel/sched/scheduler.ts\` that charges the tick: to the
running task (its \`cpuTicks\`, its \`quantumLeft\`, and \`needReschedule\` when the quantum is over)
or, when the CPU was idle, to \`idleTicks\`.

The checks run two \`spin\` programs and read \`sched\` and \`ps\`.
`.trim(),
  starter,
  checks,
};
