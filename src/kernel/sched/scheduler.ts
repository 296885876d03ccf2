/**
 * The scheduler: tasks, five priority levels, round robin in each, and the
 * kernel's main loop.
 *
 * Models: the preemptive priority round-robin scheduler of CottonOS (1000 Hz
 * timer, five priorities), which is also the textbook "multilevel queue":
 * one ready queue per priority, always run the first task of the highest
 * non-empty queue, and give each task a quantum of timer ticks, after which it
 * goes to the back of its queue. Aging keeps low priorities from starving: a
 * task that has waited AGING_TICKS in a ready queue moves up one level until
 * it next runs.
 *
 * A task is a kernel thread or a user process; both are driven the same way.
 * Each has a body, a TypeScript generator, which is the task's kernel stack:
 * running the task means resuming the generator until it yields. A kernel
 * thread yields where it chooses to; a user process's body (process.ts) enters
 * user mode and yields when the timer says its quantum is over, so user code
 * is preempted at any instruction. A task gives up the CPU in one of three ways:
 *   - `yield`                 stay ready, let the others run;
 *   - `yield* queue.wait()`   block until someone wakes the queue (./wait-queue.ts);
 *   - `yield* sleepUntil(t)`  block until the timer reaches tick t.
 *
 * The main loop is the kernel's idle task (pid 0): open the interrupt window,
 * run the next task for one step, pass a checkpoint (so the machine's host can
 * pause between tasks), and when nobody is ready, halt the CPU until the next
 * interrupt. Any JavaScript exception that escapes a task or an interrupt
 * handler ends here and becomes a kernel panic.
 */
import type { CpuRequest, MachineInterface } from '../../emu/machine-interface';
import { throwIfInterruptHandlerFailed } from '../arch/interrupts';
import { panic } from '../arch/panic';
import { recordTick, tickHistoryRange, tickTimeline } from './tick-history';
import type { TickTimeline } from './tick-history';

/** A task's code: a generator that yields whenever it stops running. */
export type ThreadBody = Generator<void, void, void>;

export type TaskState = 'ready' | 'running' | 'blocked' | 'sleeping' | 'zombie';

/** Priorities 0 (highest) … 4 (lowest); new tasks get PRIORITY_NORMAL. */
export const PRIORITY_LEVELS = 5;
export const PRIORITY_HIGHEST = 0;
export const PRIORITY_NORMAL = 2;
export const PRIORITY_LOWEST = PRIORITY_LEVELS - 1;
/** Timer ticks (ms at 1000 Hz) a task runs before the next one of its level gets the CPU. */
export const QUANTUM_TICKS = 10;
/** Ticks in a ready queue after which a task is moved up one level. */
export const AGING_TICKS = 100;
/** The idle task's pid: the main loop itself, which runs when nothing else can. */
export const IDLE_PID = 0;

export interface Task {
  readonly pid: number;
  name: string;
  /** A kernel thread, or a user process (init starts as the one and becomes the other). */
  kind: 'kernel' | 'user';
  /** The priority the task was given (nice); `level` is where it queues now. */
  priority: number;
  level: number;
  state: TaskState;
  body: ThreadBody;
  /** Timer ticks spent running this task (its CPU time in ms). */
  cpuTicks: number;
  /** Ticks left of the current quantum. */
  quantumLeft: number;
  /** The tick at which the task last became ready (for aging). */
  readySince: number;
  /** For a sleeping task: the tick at which it becomes ready again. */
  wakeTick: number;
  /** A signal sent to the task and not yet acted on (user processes only). */
  pendingSignal: number;
  /** Context switches to this task. */
  switches: number;
}

const tasks = new Map<number, Task>();
const readyQueues: Task[][] = Array.from({ length: PRIORITY_LEVELS }, () => []);
const sleepers: Task[] = [];
let current: Task | null = null;
let nextPid = 1;
let now = 0;
let idleTicks = 0;
let needReschedule = false;

/** Create a task; it runs once the main loop picks it. */
export function createTask(
  name: string,
  kind: Task['kind'],
  body: ThreadBody,
  priority = PRIORITY_NORMAL,
): Task {
  const task: Task = {
    pid: nextPid++,
    name,
    kind,
    priority,
    level: priority,
    state: 'ready',
    body,
    cpuTicks: 0,
    quantumLeft: QUANTUM_TICKS,
    readySince: now,
    wakeTick: 0,
    pendingSignal: 0,
    switches: 0,
  };
  tasks.set(task.pid, task);
  readyQueues[task.level]!.push(task);
  return task;
}

/** Create a kernel thread. */
export function spawn(name: string, body: ThreadBody, priority = PRIORITY_NORMAL): Task {
  return createTask(name, 'kernel', body, priority);
}

/** The task that is running now (only valid inside a task). */
export function currentTask(): Task {
  if (!current)
    throw new Error(
      'sched: no task is running (called from an interrupt handler or the main loop?)',
    );
  return current;
}

/** The running task, or null in an interrupt taken while the CPU was idle. */
export function runningTask(): Task | null {
  return current;
}

export function findTask(pid: number): Task | undefined {
  return tasks.get(pid);
}

/** Every task, by pid, for `ps`. */
export function allTasks(): Task[] {
  return [...tasks.values()].sort((a, b) => a.pid - b.pid);
}

/** Forget a task for good (a reaped zombie, a finished kernel thread). */
export function removeTask(task: Task): void {
  tasks.delete(task.pid);
}

/** Timer ticks the idle task has run, and ticks since boot. */
export function idleTime(): { idleTicks: number; ticks: number } {
  return { idleTicks, ticks: now };
}

/** The last `count` ticks (or as many as the history holds) as a timeline, with the quantum: the scheduler chapter's figure. */
export function recentTimeline(count: number): TickTimeline & { readonly quantumTicks: number } {
  const { oldest, newest } = tickHistoryRange();
  const from = Math.max(oldest, newest - count + 1);
  return { ...tickTimeline(from, newest), quantumTicks: QUANTUM_TICKS };
}

/** One ready queue: its level and the tasks in it, first to run first. */
export interface ReadyQueue {
  readonly level: number;
  readonly tasks: ReadonlyArray<{ pid: number; name: string; priority: number; waited: number }>;
}

/** The ready queues, highest level first, with how long each task has waited: the chapter's figure of them. */
export function readyQueuesNow(): { readonly agingTicks: number; readonly levels: ReadyQueue[] } {
  const levels = readyQueues.map((queue, level) => ({
    level,
    tasks: queue.map((task) => ({
      pid: task.pid,
      name: task.name,
      priority: task.priority,
      waited: now - task.readySince,
    })),
  }));
  return { agingTicks: AGING_TICKS, levels };
}

/** Put `task` at the back of the ready queue of its level. */
function makeReady(task: Task): void {
  task.state = 'ready';
  task.readySince = now;
  readyQueues[task.level]!.push(task);
  if (current && task.level < current.level) needReschedule = true;
}

/** Make a blocked or sleeping task ready to run again. */
export function wake(task: Task): void {
  if (task.state !== 'blocked' && task.state !== 'sleeping') return;
  const sleeping = sleepers.indexOf(task);
  if (sleeping >= 0) sleepers.splice(sleeping, 1);
  makeReady(task);
}

/** Change a task's priority (nice); it applies from the next time the task queues. */
export function setPriority(task: Task, priority: number): void {
  if (!Number.isInteger(priority) || priority < PRIORITY_HIGHEST || priority > PRIORITY_LOWEST) {
    throw new RangeError(`priority must be ${PRIORITY_HIGHEST}–${PRIORITY_LOWEST}`);
  }
  task.priority = priority;
  const queue = readyQueues[task.level]!;
  const index = queue.indexOf(task);
  task.level = priority;
  if (index >= 0) {
    queue.splice(index, 1);
    readyQueues[priority]!.push(task);
  }
}

/** Block the current task until the timer tick count reaches `deadline`. */
export function* sleepUntil(deadline: number): Generator<void, void, void> {
  if (deadline <= now) return;
  const task = currentTask();
  task.state = 'sleeping';
  task.wakeTick = deadline;
  sleepers.push(task);
  yield;
}

/** Timer ticks since the scheduler started counting (the PIT's tick count). */
export function ticksNow(): number {
  return now;
}

/**
 * The timer interrupt's part of scheduling, with the new tick count: charge
 * the tick to whoever ran, wake the sleepers that are due, age the waiting,
 * and ask for a switch when the running task's quantum is used up.
 */
export function timerTick(tick: number): void {
  now = tick;
  // #region exercise:quantum
  if (current) {
    current.cpuTicks++;
    if (--current.quantumLeft <= 0) needReschedule = true;
  } else {
    idleTicks++;
  }
  // #endregion exercise:quantum
  recordTick(tick, current);
  for (let i = sleepers.length - 1; i >= 0; i--) {
    if (sleepers[i]!.wakeTick <= now) wake(sleepers[i]!);
  }
  ageReadyTasks();
}

// #region aging
// #region exercise:aging
/** Move every task that has waited AGING_TICKS in its queue up one level. */
function ageReadyTasks(): void {
  for (let level = 1; level < PRIORITY_LEVELS; level++) {
    const queue = readyQueues[level]!;
    for (let i = 0; i < queue.length; ) {
      const task = queue[i]!;
      if (now - task.readySince >= AGING_TICKS) {
        queue.splice(i, 1);
        task.level = level - 1;
        task.readySince = now;
        readyQueues[level - 1]!.push(task);
      } else {
        i++;
      }
    }
  }
}
// #endregion exercise:aging
// #endregion aging

/**
 * Whether the running task should give up the CPU now: its quantum is over,
 * or a task of a higher level became ready. A user process's body asks this
 * after every interrupt; that is preemption.
 */
export function shouldYield(): boolean {
  return needReschedule;
}

// #region pick-next
// #region exercise:pick-next
/** The next task to run: the first of the highest non-empty ready queue, or null to idle. */
export function pickNext(queues: Task[][]): Task | null {
  for (const queue of queues) {
    const task = queue.shift();
    if (task) return task;
  }
  return null;
}
// #endregion exercise:pick-next
// #endregion pick-next

/** Run `task` until its next `yield`, then put it back in line if it is still ready. */
function runOneStep(task: Task): void {
  current = task;
  task.state = 'running';
  task.switches++;
  needReschedule = false;
  if (task.quantumLeft <= 0) task.quantumLeft = QUANTUM_TICKS;
  try {
    const step = task.body.next();
    if (step.done && task.state === 'running') finishKernelThread(task);
  } finally {
    current = null;
  }
  if (task.state === 'running') {
    task.level = task.priority; // a task that ran loses any boost from aging
    makeReady(task);
  }
}

/** A kernel thread whose body returned: it leaves the table (user processes exit through process.ts). */
function finishKernelThread(task: Task): void {
  task.state = 'zombie';
  removeTask(task);
}

/** The kernel's main loop. It never returns; HLT is executed here and only here. */
export function* runMainLoop(cpu: MachineInterface): Generator<CpuRequest, void, void> {
  try {
    for (;;) {
      cpu.sti(); // the interrupt window: pending IRQs are handled now
      throwIfInterruptHandlerFailed();
      const task = pickNext(readyQueues);
      if (task) {
        runOneStep(task);
        yield cpu.checkpoint();
      } else {
        yield cpu.hlt(); // nothing to do: the idle task halts until the next interrupt
        throwIfInterruptHandlerFailed();
      }
    }
  } catch (error) {
    yield* panic(cpu, error);
  }
}
