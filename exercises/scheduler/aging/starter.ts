/**
 * The starter for exercise scheduler/aging: the text that takes the place of
 * the `exercise:aging` region in src/kernel/sched/scheduler.ts.
 */
export const starter = `/** Move every task that has waited AGING_TICKS in its queue up one level. */
function ageReadyTasks(): void {
  // TODO (exercise scheduler/aging): keep low priorities from starving.
  //
  // Called at every timer tick. For each ready queue below the highest
  // (readyQueues[1] … readyQueues[PRIORITY_LEVELS - 1]), every task that has waited
  // AGING_TICKS or more since it became ready (now - task.readySince) moves up ONE
  // level: take it out of its queue, set task.level to the level above, restart its
  // wait (task.readySince = now) and push it at the back of the queue above.
  // (When it has run, runOneStep puts it back at task.priority.)
}`;
