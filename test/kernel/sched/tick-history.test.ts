/**
 * The tick history: what the timer interrupt records, the timeline read back
 * from it (rows by pid, slices, quantum ends, why each slice ended), the ring's
 * limits, and the `sched` text printed from the same timeline.
 */
import { describe, expect, it } from 'vitest';
import type { Task, TaskState } from '../../../src/kernel/sched/scheduler';
import {
  TICK_HISTORY_LENGTH,
  TickHistoryGone,
  recordTick,
  tickHistoryRange,
  tickTimeline,
} from '../../../src/kernel/sched/tick-history';
import { printTimeline } from '../../../src/kernel/shell/inspect-commands';

function task(pid: number, name: string, priority: number): Task {
  return { pid, name, priority, level: priority, state: 'running', quantumLeft: 10 } as Task;
}

/** Record ticks `from`… with the given tasks, one per tick; the quantum counts down as timerTick does. */
function play(
  from: number,
  ran: Array<Task | null>,
  stateAfter: (task: Task) => TaskState = () => 'ready',
): number {
  let tick = from;
  let previous: Task | null = null;
  for (const current of ran) {
    if (previous && previous !== current) {
      previous.state = stateAfter(previous);
      previous.quantumLeft = 10;
    }
    if (current) {
      current.state = 'running';
      current.quantumLeft--;
    }
    recordTick(tick++, current);
    previous = current;
  }
  return tick;
}

describe('the tick history', () => {
  it('reads back which task ran, as rows by pid with their slices', () => {
    const a = task(5, 'spin', 2);
    const b = task(6, 'spin', 4);
    const ticks = [...Array(10).fill(a), ...Array(3).fill(b), null, null, ...Array(5).fill(a)];
    const end = play(1000, ticks);
    const timeline = tickTimeline(1000, end - 1);
    expect(timeline.pids).toHaveLength(ticks.length);
    expect(timeline.tasks.map((t) => [t.pid, t.name, t.priority, t.ticks])).toEqual([
      [0, '[idle]', -1, 2],
      [5, 'spin', 2, 15],
      [6, 'spin', 4, 3],
    ]);
    const [first, second] = timeline.tasks[1]!.slices;
    expect(first).toEqual({ start: 0, length: 10, level: 2, quantumEnds: [9], end: 'preempted' });
    expect(second).toEqual({ start: 15, length: 5, level: 2, quantumEnds: [], end: null });
    expect(timeline.tasks[2]!.slices).toEqual([
      { start: 10, length: 3, level: 4, quantumEnds: [], end: 'preempted' },
    ]);
  });

  it('tells a task that stopped (slept, waited, exited) from one that was preempted', () => {
    const a = task(7, 'cat', 2);
    const b = task(8, 'sh', 1);
    const end = play(50_000, [a, a, b, b, a], (t) => (t === a ? 'sleeping' : 'ready'));
    const timeline = tickTimeline(50_000, end - 1);
    expect(timeline.tasks.find((t) => t.pid === 7)!.slices[0]!.end).toBe('stopped');
    expect(timeline.tasks.find((t) => t.pid === 8)!.slices[0]!.end).toBe('preempted');
  });

  it('keeps the last TICK_HISTORY_LENGTH ticks and refuses a window outside them', () => {
    const a = task(9, 'spin', 2);
    const end = play(200_000, Array(TICK_HISTORY_LENGTH + 5).fill(a));
    expect(tickHistoryRange()).toEqual({ oldest: end - TICK_HISTORY_LENGTH, newest: end - 1 });
    expect(() => tickTimeline(200_000, end - 1)).toThrow(TickHistoryGone);
    expect(() => tickTimeline(end - 10, end)).toThrow(TickHistoryGone);
    expect(tickTimeline(end - TICK_HISTORY_LENGTH, end - 1).tasks[0]!.ticks).toBe(
      TICK_HISTORY_LENGTH,
    );
  });

  it('starts afresh after a gap in the ticks', () => {
    const a = task(10, 'spin', 2);
    play(300_000, [a, a]);
    play(300_010, [a]);
    expect(tickHistoryRange()).toEqual({ oldest: 300_010, newest: 300_010 });
  });
});

describe('the sched text of a timeline', () => {
  it('draws each task in its row and counts its ticks, share and slices', () => {
    const a = task(11, 'spin', 2);
    const b = task(12, 'spin', 2);
    const ticks = Array.from({ length: 120 }, (_, i) => (Math.floor(i / 10) % 2 === 0 ? a : b));
    const end = play(400_000, ticks);
    const lines: string[] = [];
    printTimeline({ println: (t = '') => lines.push(t) }, tickTimeline(400_000, end - 1));
    expect(lines[0]).toBe(
      'sched: 120 timer ticks (1 ms each), one column per 2 ticks; # ran the whole column, + part of it',
    );
    expect(lines[1]).toBe(`  11 spin (pri 2)  |${'#####.....'.repeat(6)}|`);
    expect(lines[2]).toBe(`  12 spin (pri 2)  |${'.....#####'.repeat(6)}|`);
    expect(lines.slice(4)).toEqual([
      '   pid  ticks  share  slices  average slice',
      '    11     60    50%       6      10.0 ms',
      '    12     60    50%       6      10.0 ms',
    ]);
  });
});
