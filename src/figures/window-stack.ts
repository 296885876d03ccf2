/**
 * The desktop's window stack (GUI chapter): the screen drawn to scale with
 * each window's frame where it is, stacked as the compositor stacks them
 * (bottom first, so the top window covers the rest), the taskbar over all,
 * the pointer; beside it the stack top first - the order hit testing asks
 * (taskbar first) - with the focused window marked "has the keyboard".
 *
 * Data: `window-stack` (src/kernel/gui/desktop-inspect.ts), which `windows`
 * prints.
 */
import { emptyFigure } from './empty-figure';
import type { WindowInfo, WindowStackSnapshot } from '../kernel/gui/desktop-inspect';
import {
  el,
  type Figure,
  FIGURE_MARGIN,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  legend,
  linearScale,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

/** What the GUI figures say on a machine without a desktop. */
export const NO_DESKTOP = 'No desktop is running (run desktop, or boot with gui).';
const TOP = 30;
/** The screen is drawn this wide; the list of the stack sits to its right. */
const SCREEN_WIDTH = 440;
const LIST_X = FIGURE_MARGIN + SCREEN_WIDTH + 20;
const LIST_ROW = 30;

function frameText(window: WindowInfo): string {
  const { x, y, width, height } = window.frame;
  return `${width}x${height} at ${x},${y}`;
}

/** On the screen: the window's id (its title too on the top window, which nothing covers). */
function windowLabel(window: WindowInfo, top: boolean): string {
  return `${window.id}${top ? ` ${window.title}` : ''}${window.focused ? ' *' : ''}`;
}

function state(window: WindowInfo): string {
  if (window.focused) return 'has the keyboard';
  return window.minimised ? 'minimised: not drawn, never hit' : 'visible';
}

function pointerText(snapshot: WindowStackSnapshot): string {
  const { x, y, over } = snapshot.pointer;
  const target =
    over.kind === 'window'
      ? `window ${over.id}'s ${over.part}`
      : over.kind === 'taskbar'
        ? `the taskbar (${over.part})`
        : 'the desktop background';
  return `pointer at ${x},${y}, over ${target}`;
}

function altText(snapshot: WindowStackSnapshot): string {
  const { width, height } = snapshot.screen;
  const windows = snapshot.windows
    .map((w, i) => `${i + 1}. window ${w.id} ${w.title}, ${frameText(w)}, ${state(w)}`)
    .join('; ');
  return `The ${width}x${height} desktop with ${snapshot.windows.length} windows, top first: ${windows || 'none'}. The taskbar is hit before every window. ${pointerText(snapshot)}.`;
}

export function windowStackFigure(
  snapshot: WindowStackSnapshot | null,
  context: FigureContext,
): Figure {
  const when = formatUptime(context.uptimeMicros);
  if (!snapshot)
    return emptyFigure(
      context,
      NO_DESKTOP,
      `From the window manager (what windows prints), at ${when}`,
    );
  const { width, height } = snapshot.screen;
  const scale = SCREEN_WIDTH / width;
  const screenHeight = height * scale;
  const sx = linearScale(0, width, FIGURE_MARGIN, FIGURE_MARGIN + SCREEN_WIDTH);
  const sy = linearScale(0, height, TOP, TOP + screenHeight);
  const box = (r: { x: number; y: number; width: number; height: number }) => ({
    x: sx(r.x),
    y: sy(r.y),
    width: r.width * scale,
    height: r.height * scale,
  });
  let screen = el('rect', {
    ...box({ x: 0, y: 0, width, height }),
    fill: 'none',
    class: 'cf-axis',
  });
  // Bottom first, as the compositor paints: each window covers the ones drawn before it.
  for (const window of [...snapshot.windows].reverse()) {
    if (window.minimised) continue;
    const frame = box(window.frame);
    screen += part(
      `window ${window.id} ${window.title}: ${frameText(window)}, ${state(window)}`,
      toneRect(
        context,
        frame,
        window.focused ? 'accent' : 'usable',
        window.focused ? 'solid' : 'dots',
      ) +
        el('rect', {
          ...frame,
          fill: 'none',
          class: 'cf-axis',
          style: window.focused ? 'stroke-width: 3' : undefined,
        }) +
        text(frame.x + 3, frame.y + 10, windowLabel(window, window === snapshot.windows[0]), {
          className: 'cf-text cf-small',
        }),
    );
  }
  const taskbar = box(snapshot.taskbar);
  screen += part(
    `the taskbar: ${snapshot.taskbar.width}x${snapshot.taskbar.height} at ${snapshot.taskbar.x},${snapshot.taskbar.y}, drawn over every window`,
    toneRect(context, taskbar, 'kernel', 'hatch'),
  );
  const px = sx(snapshot.pointer.x);
  const py = sy(snapshot.pointer.y);
  screen += part(
    pointerText(snapshot),
    el('path', { d: `M${px},${py} l0,12 l3,-3 l3,6 l2,-1 l-3,-6 l5,0 z`, class: 'cf-axis' }),
  );
  const order = [
    text(LIST_X, TOP + 12, '1. the taskbar (drawn last, hit first)'),
    ...snapshot.windows.map((window, i) =>
      part(
        `hit test tries window ${window.id} ${window.title} in place ${i + 2}: ${frameText(window)}, ${state(window)}`,
        text(
          LIST_X,
          TOP + 12 + (i + 1) * LIST_ROW,
          `${i + 2}. ${window.id} ${window.title}${window.focused ? ' *' : ''}`,
        ) +
          text(
            LIST_X + 14,
            TOP + 25 + (i + 1) * LIST_ROW,
            `${frameText(window)}, ${state(window)}`,
            {
              className: 'cf-text cf-small',
            },
          ),
      ),
    ),
  ].join('');
  const listBottom = TOP + 12 + (snapshot.windows.length + 1) * LIST_ROW;
  const bottom = Math.max(TOP + screenHeight, listBottom) + 20;
  const body =
    text(FIGURE_MARGIN, 16, `The screen, ${width}x${height}, at ${Math.round(scale * 100)}%`, {
      className: 'cf-text cf-heading',
    }) +
    text(LIST_X, 16, 'Top first (* has the keyboard)', {
      className: 'cf-text cf-heading',
    }) +
    screen +
    order +
    text(FIGURE_MARGIN, bottom, pointerText(snapshot)) +
    legend(context, FIGURE_MARGIN, bottom + 24, [
      { label: 'focused window (thick edge, *)', tone: 'accent', pattern: 'solid' },
      { label: 'other window', tone: 'usable', pattern: 'dots' },
      { label: 'taskbar', tone: 'kernel', pattern: 'hatch' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: bottom + 36 },
      'The window stack',
      body,
    ),
    alt: altText(snapshot),
    caption: `From the window manager (what windows prints), after frame ${snapshot.frame}, at ${when}`,
  };
}
