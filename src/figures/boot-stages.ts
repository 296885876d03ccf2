/**
 * The boot sequence as a timeline (Boot chapter): one row per stage of
 * bring-up, on the virtual clock, from the serial port to init. A bar runs
 * from a stage's first message to the next stage's; the stages logged before
 * the timer started sit at 0, bracketed: there was no clock yet.
 *
 * Data: `boot-stages` (src/kernel/lib/boot-stages.ts), from the kernel log
 * that `dmesg` prints.
 */
import type { BootStagesView } from '../kernel/lib/boot-stages';
import {
  clip,
  el,
  type Figure,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  legend,
  linearScale,
  niceTicks,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

const LABEL_X = 10;
const PLOT_LEFT = 330;
const PLOT_RIGHT = FIGURE_WIDTH - 14;
const TOP = 34;
const ROW = 19;
/** Characters of a stage's first message that fit the label column. */
const MESSAGE_CHARS = 40;

/** "2.633 ms" */
function millis(micros: number): string {
  return `${(micros / 1000).toFixed(3)} ms`;
}

export function bootStagesFigure(view: BootStagesView, context: FigureContext): Figure {
  const { stages } = view;
  const end = Math.max(1, ...stages.map((stage) => stage.lastMicros));
  const ticks = niceTicks(end / 1000, 6).map((ms) => ms * 1000);
  const x = linearScale(0, ticks[ticks.length - 1]!, PLOT_LEFT, PLOT_RIGHT);
  const bottom = TOP + stages.length * ROW;
  let body = text(LABEL_X, 16, 'stage: its first message', { className: 'cf-text cf-heading' });
  body += text(PLOT_LEFT, 16, 'virtual time since the timer started', {
    className: 'cf-text cf-heading',
  });
  ticks.forEach((tick, i) => {
    body += el('line', {
      x1: x(tick),
      x2: x(tick),
      y1: TOP - 6,
      y2: bottom,
      class: 'cf-axis cf-grid',
    });
    body += text(x(tick), bottom + 14, `${tick / 1000} ms`, {
      anchor: i === ticks.length - 1 ? 'end' : 'middle',
      className: 'cf-text cf-small',
    });
  });
  stages.forEach((stage, i) => {
    const y = TOP + i * ROW;
    const next = stages[i + 1]?.startMicros ?? stage.lastMicros;
    const lines = stage.messages === 1 ? '1 message' : `${stage.messages} messages`;
    const detail = `${stage.subsystem}: from ${millis(stage.startMicros)} to ${millis(next)}, ${lines}; first: ${stage.firstMessage}`;
    const width = x(next) - x(stage.startMicros);
    const mark =
      width >= 2
        ? toneRect(
            context,
            { x: x(stage.startMicros), y: y + 3, width, height: ROW - 7 },
            stage.startMicros === 0 ? 'muted' : 'accent',
            'solid',
          )
        : el('path', {
            d: `M${x(stage.startMicros)},${y + 2} l5,6.5 l-5,6.5 l-5,-6.5 z`,
            class: 'cf-tone-kernel',
          });
    body += part(
      detail,
      el('rect', { x: 0, y, width: FIGURE_WIDTH, height: ROW, class: 'cf-row' }) +
        text(LABEL_X, y + 13, stage.subsystem, { className: 'cf-text cf-heading' }) +
        text(LABEL_X + 52, y + 13, clip(stage.firstMessage, MESSAGE_CHARS), {
          className: 'cf-text cf-small',
        }) +
        mark,
    );
  });
  const beforeTimer = stages.filter((stage) => stage.startMicros === 0).length;
  if (beforeTimer > 0) {
    const y0 = TOP + 2;
    const y1 = TOP + beforeTimer * ROW - 2;
    body += el('path', { d: `M${PLOT_LEFT - 8},${y0} h-4 V${y1} h4`, class: 'cf-axis' });
  }
  body += legend(context, LABEL_X, bottom + 36, [
    { label: 'a stage, until the next one starts', tone: 'accent', pattern: 'solid' },
    { label: 'before the timer (no clock: 0)', tone: 'muted', pattern: 'solid' },
  ]);
  const last = stages[stages.length - 1];
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: bottom + 48 },
      'The boot, stage by stage',
      body,
    ),
    alt: `Timeline of the boot: ${stages.length} stages from ${stages[0]?.subsystem ?? 'none'} to ${last?.subsystem ?? 'none'}, ${view.complete ? `ending at ${millis(last?.startMicros ?? 0)} when init starts` : 'not finished yet'}. ${stages
      .map((stage) => `${stage.subsystem} at ${millis(stage.startMicros)}`)
      .join(', ')}.${view.truncated ? ' The log has dropped its oldest messages.' : ''}`,
    caption: `From the kernel log (what dmesg prints), times from the PIT's virtual clock, at ${formatUptime(context.uptimeMicros)}`,
  };
}
