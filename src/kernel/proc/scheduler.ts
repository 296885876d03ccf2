/**
 * The scheduler: kernel threads, the run queue, and the kernel's main loop.
 *
 * Models: the round-robin scheduler of CottonOS (and of every textbook kernel),
 * for kernel threads. A kernel thread here is a TypeScript generator: it runs
 * until it `yield`s, which is the only place it can be switched away from, as
 * in a cooperative kernel (or a preemptive one between preemption points).
 * A thread gives up the CPU in one of three ways:
 *   - `yield`                 stay ready, let the others run (round robin);
 *   - `yield* queue.wait()`   block until someone wakes the queue (./wait-queue.ts);
 *   - `yield* sleepUntil(t)`  block until the timer reaches tick t.
 *
 * The main loop is the kernel's idle loop: open the interrupt window, run the
 * next ready thread for one step, and when nobody is ready, halt the CPU until
 * the next interrupt. On the Cotton PC interrupts are taken only in `sti()` and
 * at HLT (see machine-interface.ts), which is why the loop calls `cpu.sti()`
 * between steps. Any JavaScript exception that escapes a thread or an interrupt
 * handler ends here and becomes a kernel panic.
 */
import type { HaltRequest, MachineInterface } from '../../emu/machine-interface';
import { throwIfInterruptHandlerFailed } from '../boot/interrupts';
import { panic } from '../lib/panic';

/** A thread's code: a generator that yields whenever it stops running. */
export type ThreadBody = Generator<void, void, void>;

export type ThreadState = 'ready' | 'running' | 'blocked' | 'sleeping' | 'finished';

export interface Thread {
  readonly id: number;
  readonly name: string;
  readonly body: ThreadBody;
  state: ThreadState;
  /** For a sleeping thread: the timer tick at which it becomes ready again. */
  wakeTick: number;
}

const threads: Thread[] = [];
const runQueue: Thread[] = [];
const sleepers: Thread[] = [];
let current: Thread | null = null;
let nextThreadId = 1;

/** Create a kernel thread; it runs once the main loop gets to it. */
export function spawn(name: string, body: ThreadBody): Thread {
  const thread: Thread = { id: nextThreadId++, name, body, state: 'ready', wakeTick: 0 };
  threads.push(thread);
  runQueue.push(thread);
  return thread;
}

/** The thread that is running now (only valid inside a thread). */
export function currentThread(): Thread {
  if (!current) throw new Error('sched: no thread is running (called from an interrupt handler or the main loop?)');
  return current;
}

/** All threads, for `ps`. */
export function allThreads(): readonly Thread[] {
  return threads;
}

/** Make a blocked or sleeping thread ready to run again. */
export function wake(thread: Thread): void {
  if (thread.state !== 'blocked' && thread.state !== 'sleeping') return;
  thread.state = 'ready';
  runQueue.push(thread);
}

/** Block the current thread until the timer tick count reaches `deadline`. */
export function* sleepUntil(deadline: number, now: number): Generator<void, void, void> {
  if (deadline <= now) return;
  const thread = currentThread();
  thread.state = 'sleeping';
  thread.wakeTick = deadline;
  sleepers.push(thread);
  yield;
}

/** Called from the timer interrupt with the new tick count: wake the sleepers that are due. */
export function timerTick(now: number): void {
  for (let i = sleepers.length - 1; i >= 0; i--) {
    const thread = sleepers[i]!;
    if (thread.wakeTick <= now) {
      sleepers.splice(i, 1);
      wake(thread);
    }
  }
}

/** Run `thread` until its next `yield`, then put it back in line if it is still ready. */
function runOneStep(thread: Thread): void {
  current = thread;
  thread.state = 'running';
  try {
    const step = thread.body.next();
    if (step.done) thread.state = 'finished';
  } finally {
    current = null;
  }
  if (thread.state === 'running') {
    thread.state = 'ready';
    runQueue.push(thread);
  }
}

/** The kernel's main loop. It never returns; HLT is executed here and only here. */
export function* runMainLoop(cpu: MachineInterface): Generator<HaltRequest, void, void> {
  try {
    for (;;) {
      cpu.sti(); // the interrupt window: pending IRQs are handled now
      throwIfInterruptHandlerFailed();
      const thread = runQueue.shift();
      if (thread) {
        runOneStep(thread);
      } else {
        yield cpu.hlt(); // nothing to do: sleep until the next interrupt
        throwIfInterruptHandlerFailed();
      }
    }
  } catch (error) {
    yield* panic(cpu, error);
  }
}
