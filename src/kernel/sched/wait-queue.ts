/**
 * Wait queues: how a task sleeps until something happens.
 *
 * Models: the wait queue of Unix kernels (Linux's wait_queue_head_t). A task
 * that needs something not there yet (a byte from the serial line, a child's
 * exit, a lock) parks itself on the queue belonging to that thing and gives up
 * the CPU; the code that makes the thing available (often an interrupt
 * handler) wakes the queue. A woken task must check its condition again, so
 * waiting is always written as a loop:
 *
 *     while (input.length === 0) yield* inputArrived.wait();
 *
 * A user process that is sent a signal while it waits is woken too, and the
 * wait ends with EINTR, as a Unix system call is interrupted by a signal —
 * unless the queue is uninterruptible: a disk transfer must finish whatever
 * happens to the process that started it, or the file system it was writing
 * would be left half-changed (Linux's TASK_UNINTERRUPTIBLE, the "D" state).
 */
import { SyscallError } from '../lib/errno';
import { currentTask, wake } from './scheduler';
import type { Task } from './scheduler';

export class WaitQueue {
  private readonly waiters: Task[] = [];

  constructor(private readonly interruptible = true) {}

  /** Block the current task until the queue is woken (or, for a user process, a signal arrives). */
  *wait(): Generator<void, void, void> {
    const task = currentTask();
    if (this.interruptible) throwIfSignalled(task);
    task.state = 'blocked';
    this.waiters.push(task);
    yield;
    const index = this.waiters.indexOf(task);
    if (index >= 0) this.waiters.splice(index, 1);
    if (this.interruptible) throwIfSignalled(task);
  }

  /** Make every waiting task ready (safe to call from an interrupt handler). */
  wakeAll(): void {
    for (const task of this.waiters.splice(0)) wake(task);
  }

  /** Make the task that has waited longest ready. */
  wakeOne(): void {
    const task = this.waiters.shift();
    if (task) wake(task);
  }

  get length(): number {
    return this.waiters.length;
  }
}

/** A signal interrupts what a user process waits for. */
export function throwIfSignalled(task: Task): void {
  if (task.pendingSignal !== 0) throw new SyscallError('EINTR', 'interrupted by a signal');
}
