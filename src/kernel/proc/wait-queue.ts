/**
 * Wait queues: how a kernel thread sleeps until something happens.
 *
 * Models: the wait queue of Unix kernels (Linux's wait_queue_head_t). A thread
 * that needs something not there yet (a byte from the serial line, a lock)
 * parks itself on the queue belonging to that thing and gives up the CPU; the
 * code that makes the thing available (often an interrupt handler) wakes the
 * queue. A woken thread must check its condition again, so waiting is always
 * written as a loop:
 *
 *     while (input.length === 0) yield* inputArrived.wait();
 */
import { currentThread, wake } from './scheduler';
import type { Thread } from './scheduler';

export class WaitQueue {
  private readonly waiters: Thread[] = [];

  /** Block the current thread until the queue is woken. */
  *wait(): Generator<void, void, void> {
    const thread = currentThread();
    thread.state = 'blocked';
    this.waiters.push(thread);
    yield;
  }

  /** Make every waiting thread ready (safe to call from an interrupt handler). */
  wakeAll(): void {
    for (const thread of this.waiters.splice(0)) wake(thread);
  }
}
