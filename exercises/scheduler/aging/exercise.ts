/**
 * Exercise scheduler/aging: ageReadyTasks(), which keeps low priorities from
 * starving under a strict priority scheduler.
 *
 * The checks run CPU-bound programs at several priorities and read `sched`:
 * the low ones must get some CPU, but less than the high ones, and climbing
 * takes AGING_TICKS per level.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { bootOrExplain, runOrExplain } from '../../machine-text';
import { schedule, startSpins, timeline } from '../pick-next/exercise';
import { starter } from './starter';

const checks: Check[] = [
  {
    name: 'a low-priority program still runs while two others keep the CPU busy',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 3);
      await runOrExplain(machine, `nice ${pids[2]} 4`);
      const { output, ticks } = await schedule(machine, 600, pids);
      if (ticks[2]! < 10 || ticks[2]! > 90) {
        throw new Error(
          `pid ${pids[2]} (priority 4) waits behind two priority-2 programs; aging should lift it two levels in 200 ticks and give it a quantum now and then (10 to 90 of 600 ticks). It ran ${ticks[2]} ticks:\n${timeline(output)}`,
        );
      }
    },
  },
  {
    name: 'aging lifts a task one level per AGING_TICKS, not more',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 2);
      await runOrExplain(machine, `nice ${pids[1]} 4`);
      const { output, ticks, slices } = await schedule(machine, 900, pids);
      if (ticks[1]! < 20 || ticks[1]! > 60 || slices[1]! < 2) {
        throw new Error(
          `pid ${pids[1]} (priority 4) must climb two levels, AGING_TICKS (100) each, before it can run beside the priority-2 program: about one quantum in 200 ticks, so 20 to 60 of 900 ticks. It ran ${ticks[1]} ticks in ${slices[1]} slices:\n${timeline(output)}`,
        );
      }
    },
  },
  {
    name: 'every waiting priority progresses, the higher ones more',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 3);
      await runOrExplain(machine, `nice ${pids[1]} 3`);
      await runOrExplain(machine, `nice ${pids[2]} 4`);
      const { output, ticks } = await schedule(machine, 900, pids);
      const [high, middle, low] = ticks as [number, number, number];
      if (!(low >= 10 && middle >= low && high > middle)) {
        throw new Error(
          `Programs at priorities 2, 3 and 4 should all run, in that order of share; they ran ${high}, ${middle} and ${low} ticks:\n${timeline(output)}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'scheduler/aging',
  title: 'Age the waiting',
  file: 'src/kernel/sched/scheduler.ts',
  region: 'aging',
  statement: `
A strict priority scheduler **starves** its low priorities: as long as one priority-2 program
wants the CPU, a priority-4 program never runs. CottonOS fixes this with *aging*: a task that has
waited \`AGING_TICKS\` (100) in a ready queue moves up one level, and again 100 ticks later,
until it runs; then it drops back to its own priority.

Write \`ageReadyTasks()\` in \`src/kernel/sched/scheduler.ts\`; the timer calls it at every tick.
The checks run \`spin\` programs at different priorities (\`nice\`) and read \`sched\`'s timeline.
`.trim(),
  starter,
  checks,
};
