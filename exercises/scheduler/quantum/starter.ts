/**
 * The starter for exercise scheduler/quantum: the text that takes the place of
 * the `exercise:quantum` region in timerTick(), src/kernel/sched/scheduler.ts.
 */
export const starter = `  // TODO (exercise scheduler/quantum): charge this tick, and preempt.
  //
  // \`current\` is the task the timer interrupted, or null if the CPU was idle.
  //   - A task: count the tick in current.cpuTicks (its CPU time, for ps), and take
  //     one from current.quantumLeft; when the quantum is used up (0 or less), set
  //     needReschedule = true. The trap loop asks shouldYield() after every
  //     interrupt, and gives up the CPU when it is true: that is preemption.
  //   - Idle: count the tick in idleTicks (ps shows it as [idle]'s time).`;
