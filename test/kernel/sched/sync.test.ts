/**
 * Mutex, Semaphore, CondVar and the scheduler's sleep, inside the machine: a
 * check thread replaces the shell and starts kernel threads that contend for
 * them, yielding in the middle of their critical sections so that a broken
 * primitive would let two of them in at once.
 */
import { describe, expect, it } from 'vitest';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { checkKernel } from '../../support/check-kernel';

const SOURCE = `
import type { Kernel } from './proc/kernel';
import { spawn, sleepUntil, ticksNow } from './sched/scheduler';
import { CondVar, Mutex, Semaphore } from './sched/sync';

export function* syncCheckThread(kernel: Kernel): Generator<void, void, void> {
  const say = (text: string): void => kernel.console.write('sync-check: ' + text + '\\r\\n');

  // Mutex: three threads, each yields inside the critical section.
  const mutex = new Mutex();
  let inside = 0;
  let most = 0;
  let finished = 0;
  for (let t = 0; t < 3; t++) {
    spawn('m' + t, (function* () {
      for (let round = 0; round < 5; round++) {
        yield* mutex.lock();
        inside++;
        most = Math.max(most, inside);
        yield;
        yield;
        inside--;
        mutex.unlock();
        yield;
      }
      finished++;
    })());
  }
  while (finished < 3) yield;
  say('mutex: at most ' + most + ' inside, holder ' + (mutex.holder === null ? 'none' : 'someone'));

  // Semaphore: a bounded buffer of 2 slots, one producer, one consumer.
  const slots = new Semaphore(2);
  const items = new Semaphore(0);
  const buffer: number[] = [];
  let largest = 0;
  const received: number[] = [];
  spawn('producer', (function* () {
    for (let i = 1; i <= 10; i++) {
      yield* slots.down();
      buffer.push(i);
      largest = Math.max(largest, buffer.length);
      items.up();
    }
  })());
  spawn('consumer', (function* () {
    for (let i = 1; i <= 10; i++) {
      yield* items.down();
      received.push(buffer.shift()!);
      slots.up();
      yield;
    }
  })());
  while (received.length < 10) yield;
  say('semaphore: received ' + received.join(',') + ', buffer never above ' + largest);

  // CondVar: waiters sleep until a flag is set, then all wake.
  const lock = new Mutex();
  const ready = new CondVar();
  let go = false;
  let woken = 0;
  for (let t = 0; t < 3; t++) {
    spawn('w' + t, (function* () {
      yield* lock.lock();
      while (!go) yield* ready.wait(lock);
      woken++;
      lock.unlock();
    })());
  }
  for (let i = 0; i < 5; i++) yield;
  say('condvar: ' + woken + ' woken before the broadcast');
  yield* lock.lock();
  go = true;
  ready.broadcast();
  lock.unlock();
  while (woken < 3) yield;
  say('condvar: ' + woken + ' woken after it');

  // Sleep: blocks for the ticks asked, not more than one extra.
  const start = ticksNow();
  yield* sleepUntil(start + 25);
  say('sleep: 25 ticks took ' + (ticksNow() - start));
  say('done');
}
`;

describe('synchronisation primitives', () => {
  it('keep mutual exclusion, bound a buffer, wake condition waiters, and sleep for the ticks asked', () => {
    const host = bootFromRepo({
      overrides: checkKernel('src/kernel/sync-check.ts', 'syncCheckThread', SOURCE),
    });
    host.runUntilIdleAnd(
      () => host.output.includes('sync-check: done') || host.output.includes('PANIC'),
      10_000,
    );
    const lines = host.output.split('\r\n').filter((line) => line.startsWith('sync-check: '));
    expect(lines).toEqual([
      'sync-check: mutex: at most 1 inside, holder none',
      'sync-check: semaphore: received 1,2,3,4,5,6,7,8,9,10, buffer never above 2',
      'sync-check: condvar: 0 woken before the broadcast',
      'sync-check: condvar: 3 woken after it',
      'sync-check: sleep: 25 ticks took 25',
      'sync-check: done',
    ]);
  });
});
