/**
 * Exercise scheduler/pick-next: the scheduler's choice, pickNext().
 *
 * The checks boot the machine on the reader's pickNext, start CPU-bound
 * programs (`spin`) in the background, and read `sched`'s per-tick timeline:
 * who got the CPU, how much of it, in how many slices.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, jobPid, randomBelow, runOrExplain, schedRows } from '../../machine-text';
import { starter } from './starter';

/** Start `count` spins in the background; their pids. */
export async function startSpins(
  machine: ExerciseMachine,
  count: number,
  rounds = 100000,
): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < count; i++)
    pids.push(
      jobPid(await runOrExplain(machine, `spin ${rounds} ${String.fromCharCode(65 + i)} &`)),
    );
  return pids;
}

/** Ticks each pid ran during `sched ms`, and the whole output for messages. */
export async function schedule(
  machine: ExerciseMachine,
  ms: number,
  pids: number[],
): Promise<{ output: string; ticks: number[]; slices: number[] }> {
  const output = await runOrExplain(machine, `sched ${ms}`);
  const rows = schedRows(output);
  return {
    output,
    ticks: pids.map((pid) => rows.get(pid)?.ticks ?? 0),
    slices: pids.map((pid) => rows.get(pid)?.slices ?? 0),
  };
}

/** Just the timeline and summary of `sched` (the spins' round lines left out). */
export function timeline(output: string): string {
  return output
    .split('\n')
    .filter((line) => !/^spin [A-Z]: /.test(line))
    .join('\n')
    .trim();
}

const checks: Check[] = [
  {
    name: 'the shell and two programs all get the CPU',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 2);
      const { output, ticks } = await schedule(machine, 200, pids);
      if (ticks.some((t) => t < 60)) {
        throw new Error(
          `Two CPU-bound programs of the same priority should each run about half of 200 ticks; they ran ${ticks.join(' and ')}:\n${timeline(output)}`,
        );
      }
    },
  },
  {
    name: 'round robin: three programs of one priority take turns',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 3);
      const { output, ticks, slices } = await schedule(machine, 300, pids);
      if (ticks.some((t) => t < 70 || t > 130) || slices.some((s) => s < 5)) {
        throw new Error(
          `Three programs of the same priority should share 300 ticks about evenly, a 10-tick quantum at a time (a task that used its quantum goes to the back of its queue: take tasks from the front). They ran ${ticks.join(', ')} ticks in ${slices.join(', ')} slices:\n${timeline(output)}`,
        );
      }
    },
  },
  {
    name: 'a higher priority runs first',
    async run(machine) {
      await bootOrExplain(machine);
      const pids = await startSpins(machine, 2);
      const favourite = randomBelow(2);
      await runOrExplain(machine, `nice ${pids[favourite]} 0`);
      const { output, ticks } = await schedule(machine, 300, pids);
      const other = 1 - favourite;
      if (ticks[favourite]! < 240 || ticks[other]! > 40) {
        throw new Error(
          `After \`nice ${pids[favourite]} 0\`, pid ${pids[favourite]} is alone at the highest priority and should run almost all the time (the other gets a slice only when aging lifts it); they ran ${ticks[favourite]} and ${ticks[other]} ticks:\n${timeline(output)}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'scheduler/pick-next',
  title: 'Pick the next task',
  file: 'src/kernel/sched/scheduler.ts',
  region: 'pick-next',
  statement: `
Every time a task stops running — its quantum is over, it blocks, it yields — the main loop
asks \`pickNext\` who runs next. CottonOS keeps one **ready queue per priority**, five of them,
\`queues[0]\` the highest.

Write \`pickNext(queues)\` in \`src/kernel/sched/scheduler.ts\`: take the first task of the highest
non-empty queue out of it and return it, or return \`null\` when nothing is ready (the CPU then
halts until the next interrupt). Round robin comes from where tasks go back: at the end of their queue.

Until it works nothing runs, not even the shell. The checks start \`spin\` programs and read
\`sched\`, the kernel's timeline of which task each timer tick interrupted.
`.trim(),
  starter,
  checks,
};
