/**
 * The damage of the desktop's last frames (GUI chapter): for each of the
 * last frames that changed the screen, a small copy of the screen with the
 * rectangles the compositor repainted and copied, and how many pixels that
 * was - a whole screen at the first frame, a pointer's two boxes when it
 * moves, a window's frame when it is raised.
 *
 * Data: `desktop-damage` (src/kernel/gui/desktop-inspect.ts), which `damage`
 * prints.
 */
import { emptyFigure } from './empty-figure';
import type { DamagedFrame, DamageSnapshot } from '../kernel/gui/desktop-inspect';
import {
  el,
  type Figure,
  type FigureContext,
  formatUptime,
  legend,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';
import { NO_DESKTOP } from './window-stack';

const WIDTH = 700;
const LEFT = 10;
const TOP = 30;
const COLUMNS = 4;
const CELL_WIDTH = 160;
const GUTTER = 10;

function rectText(r: { x: number; y: number; width: number; height: number }): string {
  return `${r.x},${r.y} ${r.width}x${r.height}`;
}

function share(frame: DamagedFrame, screenPixels: number): string {
  return `${((100 * frame.pixels) / screenPixels).toFixed(1)}%`;
}

function thumbnail(
  frame: DamagedFrame,
  snapshot: DamageSnapshot,
  origin: { x: number; y: number },
  context: FigureContext,
): string {
  const { width, height } = snapshot.screen;
  const scale = CELL_WIDTH / width;
  const outline = { x: origin.x, y: origin.y, width: CELL_WIDTH, height: height * scale };
  const screenPixels = width * height;
  let out = toneRect(context, outline, 'muted', 'solid');
  out += el('rect', { ...outline, fill: 'none', class: 'cf-axis' });
  for (const r of frame.rects) {
    const area = {
      x: origin.x + r.x * scale,
      y: origin.y + r.y * scale,
      width: Math.max(r.width * scale, 1.5),
      height: Math.max(r.height * scale, 1.5),
    };
    out +=
      toneRect(context, area, 'accent', 'cross') +
      el('rect', { ...area, fill: 'none', class: 'cf-axis' });
  }
  const detail = `frame ${frame.number}: ${frame.pixels} px (${share(frame, screenPixels)} of the screen) in ${frame.rects.length} rectangle(s): ${frame.rects.map(rectText).join(', ')}`;
  return part(
    detail,
    out +
      text(origin.x, origin.y + outline.height + 14, `frame ${frame.number}: ${frame.pixels} px`, {
        className: 'cf-text cf-small',
      }) +
      text(
        origin.x,
        origin.y + outline.height + 27,
        `${frame.rects.length} rect(s), ${share(frame, screenPixels)}`,
        {
          className: 'cf-text cf-small',
        },
      ),
  );
}

function altText(snapshot: DamageSnapshot): string {
  const frames = snapshot.frames
    .map((f) => `frame ${f.number}, ${f.pixels} pixels in ${f.rects.map(rectText).join(' and ')}`)
    .join('; ');
  return `The rectangles the desktop repainted in its last ${snapshot.frames.length} frames that changed the screen (${snapshot.screen.width}x${snapshot.screen.height}), oldest first: ${frames || 'none'}.`;
}

export function desktopDamageFigure(
  snapshot: DamageSnapshot | null,
  context: FigureContext,
): Figure {
  const when = formatUptime(context.uptimeMicros);
  if (!snapshot)
    return emptyFigure(
      context,
      NO_DESKTOP,
      `From the compositor's last frames (what damage prints), at ${when}`,
    );
  const cellHeight = (snapshot.screen.height * CELL_WIDTH) / snapshot.screen.width + 40;
  const rows = Math.max(1, Math.ceil(snapshot.frames.length / COLUMNS));
  const cells = snapshot.frames
    .map((frame, i) =>
      thumbnail(
        frame,
        snapshot,
        {
          x: LEFT + (i % COLUMNS) * (CELL_WIDTH + GUTTER),
          y: TOP + Math.floor(i / COLUMNS) * cellHeight,
        },
        context,
      ),
    )
    .join('');
  const bottom = TOP + rows * cellHeight + 8;
  const body =
    text(
      LEFT,
      16,
      `The last ${snapshot.frames.length} frames that changed the screen, oldest first`,
      {
        className: 'cf-text cf-heading',
      },
    ) +
    cells +
    text(LEFT, bottom, `${snapshot.frameCount} frames so far`) +
    legend(context, LEFT, bottom + 24, [
      { label: 'repainted and copied to the screen', tone: 'accent', pattern: 'cross' },
      { label: 'left as it was', tone: 'muted', pattern: 'solid' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: WIDTH, height: bottom + 36 },
      'Damage of the last frames',
      body,
    ),
    alt: altText(snapshot),
    caption: `From the compositor's last frames (what damage prints), at ${when}`,
  };
}
