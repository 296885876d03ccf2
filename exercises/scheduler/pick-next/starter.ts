/**
 * The starter for exercise scheduler/pick-next: the text that takes the place
 * of the `exercise:pick-next` region in src/kernel/sched/scheduler.ts.
 */
export const starter = `/** The next task to run: the first of the highest non-empty ready queue, or null to idle. */
export function pickNext(queues: Task[][]): Task | null {
  // TODO (exercise scheduler/pick-next): choose the task that runs next.
  //
  // queues[0] is the ready queue of the highest priority, queues[4] of the lowest;
  // each is in arrival order (a task that used up its quantum was pushed at the back).
  // Take the first task of the highest-priority queue that is not empty, removing it
  // from its queue (Array.prototype.shift), and return it. If every queue is empty,
  // return null: the main loop halts the CPU until the next interrupt.
  return null;
}`;
