/**
 * The ready queues (Scheduler chapter): one queue per priority level, highest
 * first, each task in the order it will run, with how long it has waited and
 * how close that is to AGING_TICKS, when aging lifts it one level. The
 * scheduler always takes the first task of the highest non-empty queue: that
 * one is marked "next".
 *
 * Data: `run-queues` (src/kernel/sched/scheduler.ts, `readyQueuesNow`),
 * taken between two slices of the machine, when no task runs.
 */
import type { ReadyQueue } from '../kernel/sched/scheduler';
import {
  el,
  type Figure,
  FIGURE_RIGHT,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

export interface RunQueues {
  readonly agingTicks: number;
  readonly levels: readonly ReadyQueue[];
}

const LEFT = 100;
const TOP = 30;
const ROW = 34;
const BOX_WIDTH = 150;
const BOX_HEIGHT = 26;
const GAP = 14;
/** Tasks drawn in a queue before "and N more". */
const SHOWN = 3;

type Task = ReadyQueue['tasks'][number];

function taskDetail(task: Task, level: number, agingTicks: number, next: boolean): string {
  const raised = level < task.priority ? `, raised by aging from priority ${task.priority}` : '';
  const aging =
    level === 0
      ? 'level 0 is the top: aging lifts it no further'
      : `aging lifts it to level ${level - 1} after ${agingTicks} ms`;
  return `pid ${task.pid} ${task.name} at level ${level}${raised}: waited ${task.waited} ms; ${aging}${next ? '; it runs next' : ''}`;
}

function drawTask(
  context: FigureContext,
  task: Task,
  level: number,
  agingTicks: number,
  x: number,
  y: number,
  next: boolean,
): string {
  const share = Math.min(task.waited / agingTicks, 1);
  return part(
    taskDetail(task, level, agingTicks, next),
    toneRect(
      context,
      { x, y, width: BOX_WIDTH, height: BOX_HEIGHT },
      next ? 'accent' : 'used',
      'solid',
    ) +
      el('rect', {
        x: x + 4,
        y: y + BOX_HEIGHT - 6,
        width: BOX_WIDTH - 8,
        height: 3,
        class: 'cf-tone-muted',
      }) +
      el('rect', {
        x: x + 4,
        y: y + BOX_HEIGHT - 6,
        width: (BOX_WIDTH - 8) * share,
        height: 3,
        class: 'cf-tone-kernel',
      }) +
      text(
        x + 6,
        y + 13,
        `${next ? 'next: ' : ''}${task.pid} ${task.name} · pri ${task.priority}`,
        {
          className: 'cf-text cf-small',
        },
      ),
  );
}

function altText(queues: RunQueues): string {
  const ready = queues.levels.filter((q) => q.tasks.length > 0);
  if (ready.length === 0)
    return 'The five ready queues are empty: every task is sleeping or waiting, so the idle loop runs.';
  const described = ready
    .map(
      (q) =>
        `level ${q.level}: ${q.tasks.map((t) => `pid ${t.pid} ${t.name} (waited ${t.waited} ms)`).join(', ')}`,
    )
    .join('; ');
  const next = ready[0]!.tasks[0]!;
  return `The ready queues, one per priority level, highest first. ${described}. The scheduler runs pid ${next.pid} ${next.name} next; aging lifts a task one level after it has waited ${queues.agingTicks} ms.`;
}

export function runQueuesFigure(queues: RunQueues, context: FigureContext): Figure {
  const next = queues.levels.find((q) => q.tasks.length > 0)?.tasks[0] ?? null;
  let body = text(
    10,
    16,
    'The ready queues, highest priority first; each runs in order, left to right',
    {
      className: 'cf-text cf-heading',
    },
  );
  queues.levels.forEach((queue, i) => {
    const y = TOP + i * ROW;
    body += text(10, y + 17, `level ${queue.level}${queue.level === 0 ? ' (top)' : ''}`, {
      className: 'cf-text cf-small',
    });
    body += el('line', {
      x1: LEFT - 6,
      x2: FIGURE_RIGHT,
      y1: y + BOX_HEIGHT + 3,
      y2: y + BOX_HEIGHT + 3,
      class: 'cf-axis',
    });
    if (queue.tasks.length === 0)
      body += text(LEFT, y + 17, 'empty', { className: 'cf-text cf-small cf-muted-text' });
    queue.tasks.slice(0, SHOWN).forEach((task, j) => {
      body += drawTask(
        context,
        task,
        queue.level,
        queues.agingTicks,
        LEFT + j * (BOX_WIDTH + GAP),
        y,
        task === next,
      );
    });
    if (queue.tasks.length > SHOWN)
      body += text(
        LEFT + SHOWN * (BOX_WIDTH + GAP),
        y + 17,
        `and ${queue.tasks.length - SHOWN} more`,
        {
          className: 'cf-text cf-small',
        },
      );
  });
  const bottom = TOP + queues.levels.length * ROW;
  body += text(
    10,
    bottom + 14,
    `The strip under a task: how long it has waited, out of the ${queues.agingTicks} ms after which aging lifts it one level.`,
    { className: 'cf-text cf-small' },
  );
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: bottom + 24 },
      'The ready queues',
      body,
    ),
    alt: altText(queues),
    caption: `From the scheduler's ready queues, between two of its steps, at ${formatUptime(context.uptimeMicros)}`,
  };
}
