/**
 * Mutex, Semaphore and CondVar: the synchronisation primitives of CottonOS,
 * for tasks (kernel threads and processes in system calls).
 *
 * Models: the blocking primitives of every Unix kernel (Linux's struct mutex,
 * struct semaphore, wait_event). None of them spins: a task that cannot go on
 * waits on a WaitQueue and the scheduler runs someone else. On this machine a
 * task is switched away from only where it yields, so the bookkeeping between
 * two yields is atomic, as it would be with interrupts disabled on one CPU.
 */
import { currentTask } from './scheduler';
import type { Task } from './scheduler';
import { WaitQueue } from './wait-queue';

/** Mutual exclusion with an owner: only the task that locked it may unlock it. */
export class Mutex {
  private owner: Task | null = null;
  private readonly waiters = new WaitQueue();

  *lock(): Generator<void, void, void> {
    const task = currentTask();
    if (this.owner === task)
      throw new Error(`mutex: task ${task.pid} locks a mutex it already holds`);
    while (this.owner !== null) yield* this.waiters.wait();
    this.owner = task;
  }

  unlock(): void {
    if (this.owner !== currentTask())
      throw new Error('mutex: unlocked by a task that does not hold it');
    this.owner = null;
    this.waiters.wakeOne();
  }

  get holder(): Task | null {
    return this.owner;
  }
}

/** A counting semaphore (Dijkstra's P and V, here `down` and `up`). */
export class Semaphore {
  private readonly waiters = new WaitQueue();

  constructor(private count: number) {}

  *down(): Generator<void, void, void> {
    while (this.count === 0) yield* this.waiters.wait();
    this.count--;
  }

  up(): void {
    this.count++;
    this.waiters.wakeOne();
  }

  get value(): number {
    return this.count;
  }
}

/** A condition variable used with a Mutex: wait releases the mutex and takes it again when woken. */
export class CondVar {
  private readonly waiters = new WaitQueue();

  *wait(mutex: Mutex): Generator<void, void, void> {
    mutex.unlock();
    try {
      yield* this.waiters.wait();
    } finally {
      yield* mutex.lock();
    }
  }

  signal(): void {
    this.waiters.wakeOne();
  }

  broadcast(): void {
    this.waiters.wakeAll();
  }
}
