/**
 * The scheduler's timeline (Scheduler chapter): a Gantt chart of the last
 * timer ticks, one row per task with its priority, one bar per run of ticks
 * (a slice), the ticks where a task used up its quantum marked on its bar,
 * and how each slice ended: preempted (still ready: its quantum was over, or
 * a higher level took the CPU) or stopped (it slept, waited or exited).
 *
 * Data: `sched-timeline` (src/kernel/sched/scheduler.ts, `recentTimeline`,
 * over sched/tick-history.ts), the same ticks the `sched` command prints.
 */
import type { TickTimeline, TimelineSlice, TimelineTask } from '../kernel/sched/tick-history';
import {
  el,
  type Figure,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  legend,
  linearScale,
  part,
  type Pattern,
  svgDocument,
  text,
  type Tone,
  toneRect,
} from './svg';

export type SchedTimeline = TickTimeline & { readonly quantumTicks: number };

const LABEL_WIDTH = 150;
const LEFT = LABEL_WIDTH + 10;
const RIGHT = FIGURE_WIDTH - 14;
const TOP = 40;
const ROW = 26;
const BAR = 16;

/** A tone and a pattern per priority level (0 highest … 4 lowest), the idle loop apart. */
const LEVEL_LOOKS: ReadonlyArray<{ tone: Tone; pattern: Pattern }> = [
  { tone: 'accent', pattern: 'solid' },
  { tone: 'kernel', pattern: 'solid' },
  { tone: 'used', pattern: 'solid' },
  { tone: 'usable', pattern: 'hatch' },
  { tone: 'reserved', pattern: 'cross' },
];
const IDLE_LOOK = { tone: 'muted', pattern: 'dots' } as const;

const lookOf = (level: number) => (level < 0 ? IDLE_LOOK : (LEVEL_LOOKS[level] ?? IDLE_LOOK));

const label = (task: TimelineTask): string =>
  task.pid === 0 ? 'idle loop' : `${task.pid} ${task.name} · pri ${task.priority}`;

function sliceDetail(timeline: SchedTimeline, task: TimelineTask, slice: TimelineSlice): string {
  const first = timeline.from + slice.start;
  const ticks = `ticks ${first}–${first + slice.length - 1} (${slice.length} ms)`;
  if (task.pid === 0) return `idle: nothing was ready, ${ticks}`;
  const level =
    slice.level < task.priority
      ? `, at level ${slice.level} (raised by aging from ${task.priority})`
      : '';
  const quanta =
    slice.quantumEnds.length > 0
      ? `; used up its quantum at tick ${slice.quantumEnds.map((at) => timeline.from + at).join(', ')}`
      : '';
  const end =
    slice.end === 'preempted'
      ? '; then preempted (still ready)'
      : slice.end === 'stopped'
        ? '; then stopped (slept, waited or exited)'
        : '';
  return `pid ${task.pid} ${task.name}: ${ticks}${level}${quanta}${end}`;
}

/** A hollow ▽ over a bar where a tick used up the task's quantum. */
function quantumMark(x: number, barTop: number): string {
  return el('path', { d: `M${x - 3.5},${barTop - 7} h7 l-3.5,6 z`, class: 'cf-axis cf-quantum' });
}

/** A mark at the end of a slice: ▷ preempted, a bar | stopped. */
function endMark(slice: TimelineSlice, x: number, y: number): string {
  if (slice.end === 'preempted')
    return el('path', { d: `M${x},${y - 3} l5,-4 v8 z`, class: 'cf-tone-accent' });
  if (slice.end === 'stopped')
    return el('path', { d: `M${x + 1},${y - 8} v${BAR + 0}`, class: 'cf-axis' });
  return '';
}

function altText(timeline: SchedTimeline): string {
  const ticks = timeline.pids.length;
  const tasks = timeline.tasks
    .map((task) => {
      const preempted = task.slices.filter((s) => s.end === 'preempted').length;
      return `${task.pid === 0 ? 'the idle loop' : `pid ${task.pid} ${task.name} (priority ${task.priority})`} ran ${task.ticks} ticks in ${task.slices.length} slice${task.slices.length === 1 ? '' : 's'}${preempted > 0 ? `, preempted ${preempted} times` : ''}`;
    })
    .join('; ');
  return `A timeline of the last ${ticks} timer ticks (1 ms each), ticks ${timeline.from} to ${timeline.to}, one row per task: ${tasks}. The quantum is ${timeline.quantumTicks} ticks.`;
}

export function schedTimelineFigure(timeline: SchedTimeline, context: FigureContext): Figure {
  const ticks = timeline.pids.length;
  const x = linearScale(0, ticks, LEFT, RIGHT);
  const bottom = TOP + timeline.tasks.length * ROW;
  let rows = '';
  timeline.tasks.forEach((task, i) => {
    const y = TOP + i * ROW;
    rows += text(LEFT - 8, y + BAR - 3, label(task), {
      anchor: 'end',
      className: `cf-text cf-small${task.pid === 0 ? ' cf-muted-text' : ''}`,
    });
    rows += el('line', {
      x1: LEFT,
      x2: RIGHT,
      y1: y + BAR / 2,
      y2: y + BAR / 2,
      class: 'cf-axis cf-zoom',
    });
    for (const slice of task.slices) {
      const left = x(slice.start);
      const right = x(slice.start + slice.length);
      const look = lookOf(slice.level);
      const quantumMarks = slice.quantumEnds.map((at) => quantumMark(x(at + 1), y)).join('');
      rows += part(
        sliceDetail(timeline, task, slice),
        toneRect(
          context,
          { x: left, y, width: Math.max(right - left, 1), height: BAR },
          look.tone,
          look.pattern,
        ) + quantumMarks,
      );
      rows += endMark(slice, right, y + BAR / 2);
    }
  });
  const step = [5, 10, 20, 50, 100, 200, 500, 1000, 2000].find((s) => ticks / s <= 10) ?? 5000;
  let axis = '';
  for (let at = 0; at <= ticks; at += step) {
    axis +=
      el('line', { x1: x(at), x2: x(at), y1: bottom, y2: bottom + 4, class: 'cf-axis' }) +
      text(x(at), bottom + 15, `${at} ms`, {
        anchor: at === 0 ? 'start' : 'middle',
        className: 'cf-text cf-small',
      });
  }
  const quantumRight = x(timeline.quantumTicks);
  const quantum =
    el('path', { d: `M${LEFT},${TOP - 10} v-4 H${quantumRight} v4`, class: 'cf-axis' }) +
    text(quantumRight + 6, TOP - 10, `one quantum: ${timeline.quantumTicks} ticks`, {
      className: 'cf-text cf-small',
    });
  const body =
    text(10, 16, `Which task ran at each of the last ${ticks} timer ticks (1 ms each)`, {
      className: 'cf-text cf-heading',
    }) +
    quantum +
    rows +
    axis +
    legend(
      context,
      10,
      bottom + 40,
      LEVEL_LOOKS.map((look, level) => ({ label: `level ${level}`, ...look })).concat([
        { label: 'idle', ...IDLE_LOOK },
      ]),
    ) +
    quantumMark(14, bottom + 62) +
    text(22, bottom + 64, 'quantum used up', { className: 'cf-text cf-small' }) +
    endMark(
      { start: 0, length: 0, level: 0, quantumEnds: [], end: 'preempted' },
      132,
      bottom + 60,
    ) +
    text(142, bottom + 64, 'preempted, still ready', { className: 'cf-text cf-small' }) +
    endMark({ start: 0, length: 0, level: 0, quantumEnds: [], end: 'stopped' }, 290, bottom + 60) +
    text(300, bottom + 64, 'stopped: slept, waited or exited', { className: 'cf-text cf-small' });
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: bottom + 74 },
      'Scheduler timeline',
      body,
    ),
    alt: altText(timeline),
    caption: `From the scheduler's tick history, ticks ${timeline.from} to ${timeline.to} (what the sched command prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
