/**
 * The tick history: which task each of the last few thousand timer ticks
 * interrupted, and how each run of ticks ended.
 *
 * Models: the scheduler trace real kernels keep for their tools (Linux's
 * `sched_switch` trace events that `perf sched timehist` reads), cut down to
 * one sample per timer tick: a ring buffer the timer interrupt writes one
 * entry into, so recording costs one store per millisecond and the history
 * never grows. The shell's `sched` command and the scheduler chapter's
 * timeline figure both read it, through `tickTimeline`, so the text and the
 * picture are the same data.
 *
 * Each entry says which task ran (null: the idle loop), at which queue level
 * (a task raised by aging runs above its priority), and whether that tick
 * used up the task's quantum. When the next tick finds another task on the
 * CPU, the entry also records why the previous one left: it was preempted
 * (still ready: its quantum ran out, or a higher level took the CPU) or it
 * stopped (it sleeps, waits or has exited).
 */
import type { Task } from './scheduler';

/** Ticks kept: 16 s at 1000 Hz, more than the longest `sched` window and the wait before it prints. */
export const TICK_HISTORY_LENGTH = 16_384;

/** How a run of ticks ended, as seen from the next tick. */
export type SliceEnd = 'preempted' | 'stopped';

const ran: Array<Task | null> = new Array<Task | null>(TICK_HISTORY_LENGTH).fill(null);
const levels = new Uint8Array(TICK_HISTORY_LENGTH);
const quantumUsedUp = new Uint8Array(TICK_HISTORY_LENGTH);
/** For the tick before: 0 the task ran on, 1 it was preempted, 2 it stopped. */
const endOfPrevious = new Uint8Array(TICK_HISTORY_LENGTH);
const SAME_TASK = 0;
const PREEMPTED = 1;
const STOPPED = 2;
/** The first and the last tick the ring holds (none yet: first > last). */
let firstTick = 1;
let lastTick = 0;

const slot = (tick: number): number => tick % TICK_HISTORY_LENGTH;

/** Called by the timer interrupt, after the tick is charged, with the task it interrupted. */
export function recordTick(tick: number, task: Task | null): void {
  const previous = tick - 1 >= firstTick && tick - 1 <= lastTick ? ran[slot(tick - 1)]! : null;
  const at = slot(tick);
  ran[at] = task;
  levels[at] = task?.level ?? 0;
  quantumUsedUp[at] = task !== null && task.quantumLeft <= 0 ? 1 : 0;
  endOfPrevious[at] =
    previous === null || previous === task
      ? SAME_TASK
      : previous.state === 'ready'
        ? PREEMPTED
        : STOPPED;
  if (lastTick < firstTick || tick !== lastTick + 1) firstTick = tick;
  lastTick = tick;
  if (lastTick - firstTick >= TICK_HISTORY_LENGTH) firstTick = lastTick - TICK_HISTORY_LENGTH + 1;
}

/** One task's row of the timeline. */
export interface TimelineTask {
  readonly pid: number;
  /** The task's name and priority now ('[idle]' and -1 for the idle loop). */
  readonly name: string;
  readonly priority: number;
  /** Ticks it ran in the window. */
  readonly ticks: number;
  /** Its runs of consecutive ticks, in order. */
  readonly slices: readonly TimelineSlice[];
}

/** A run of consecutive ticks of one task. */
export interface TimelineSlice {
  /** Offset of its first tick in the window, and its length in ticks. */
  readonly start: number;
  readonly length: number;
  /** The queue level it ran at (its priority, or higher after aging); -1 for the idle loop. */
  readonly level: number;
  /** Offsets of the ticks in it that used up the task's quantum. */
  readonly quantumEnds: readonly number[];
  /** Why it ended: null if it lasted to the end of the window (or is the idle loop). */
  readonly end: SliceEnd | null;
}

/** The ticks `from`…`to` as a timeline: one row per task, by pid (0: idle). */
export interface TickTimeline {
  readonly from: number;
  readonly to: number;
  /** The pid that ran at each tick of the window (0: idle). */
  readonly pids: readonly number[];
  readonly tasks: readonly TimelineTask[];
}

/** Thrown when the window asked for is no longer (or not yet) in the ring. */
export class TickHistoryGone extends Error {
  override name = 'TickHistoryGone';
}

/** The oldest and newest tick the history holds (oldest > newest before the first tick). */
export function tickHistoryRange(): { oldest: number; newest: number } {
  return { oldest: firstTick, newest: lastTick };
}

/** The timeline of ticks `from` to `to` (inclusive), from the history. */
export function tickTimeline(from: number, to: number): TickTimeline {
  if (from > to || from < firstTick || to > lastTick) {
    throw new TickHistoryGone(
      `ticks ${from}-${to} are not in the history (it holds ${firstTick}-${lastTick})`,
    );
  }
  const rows = new Map<number, { task: Task | null; ticks: number; slices: TimelineSlice[] }>();
  const pids: number[] = [];
  for (let tick = from; tick <= to; ) {
    const task = ran[slot(tick)]!;
    const pid = task?.pid ?? 0;
    let row = rows.get(pid);
    if (!row) rows.set(pid, (row = { task, ticks: 0, slices: [] }));
    const start = tick;
    const quantumEnds: number[] = [];
    for (; tick <= to && (ran[slot(tick)]?.pid ?? 0) === pid; tick++) {
      pids.push(pid);
      if (quantumUsedUp[slot(tick)]) quantumEnds.push(tick - from);
    }
    row.ticks += tick - start;
    row.slices.push({
      start: start - from,
      length: tick - start,
      level: task ? levels[slot(start)]! : -1,
      quantumEnds,
      end: task === null || tick > to ? null : sliceEnd(endOfPrevious[slot(tick)]!),
    });
  }
  const tasks = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([pid, row]) => ({
      pid,
      name: row.task?.name ?? '[idle]',
      priority: row.task?.priority ?? -1,
      ticks: row.ticks,
      slices: row.slices,
    }));
  return { from, to, pids, tasks };
}

function sliceEnd(code: number): SliceEnd | null {
  return code === PREEMPTED ? 'preempted' : code === STOPPED ? 'stopped' : null;
}
