/**
 * The physical memory map (Boot chapter): the boot loader's ranges as a bar
 * drawn to scale, the frames in use below it, and the first megabyte zoomed
 * in, where the PC's legacy holes are too small to see at full scale.
 *
 * Data: `memory-map` (src/kernel/mm/physical-memory-view.ts), which the
 * `mem` command prints.
 */
import { formatSize, hex } from '../kernel/lib/format';
import type { PhysicalMemoryView } from '../kernel/mm/physical-memory-view';
import {
  el,
  type Figure,
  FIGURE_MARGIN,
  FIGURE_RIGHT,
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

const BAR_HEIGHT = 30;
const FRAMES_HEIGHT = 12;
const MiB = 1024 * 1024;

interface Span {
  readonly start: number;
  readonly end: number;
}

/** "[0x0000000000100000-0x0000000007ffffff]", as `mem` and the boot log write a range. */
function rangeText(span: Span): string {
  return `[${hex(span.start, 16)}-${hex(span.end - 1, 16)}]`;
}

/** The ranges of [0, top) that no region of the map covers. */
function holesOf(view: PhysicalMemoryView, top: number): Span[] {
  const sorted = [...view.regions].sort((a, b) => a.base - b.base);
  const holes: Span[] = [];
  let at = 0;
  for (const region of sorted) {
    if (region.base > at) holes.push({ start: at, end: region.base });
    at = Math.max(at, region.base + region.length);
  }
  if (at < top) holes.push({ start: at, end: top });
  return holes;
}

/** One bar: the map's ranges and holes, then the frames in use, from `span.start` to `span.end`. */
function bar(view: PhysicalMemoryView, context: FigureContext, span: Span, y: number): string {
  const x = linearScale(span.start, span.end, FIGURE_MARGIN, FIGURE_RIGHT);
  const box = (from: number, to: number, top: number, height: number) => {
    const left = x(Math.max(from, span.start));
    const right = x(Math.min(to, span.end));
    return { x: left, y: top, width: Math.max(right - left, 1), height };
  };
  const inSpan = (from: number, to: number) => to > span.start && from < span.end;
  let out = '';
  for (const region of view.regions) {
    const end = region.base + region.length;
    if (!inSpan(region.base, end)) continue;
    out += part(
      `${rangeText({ start: region.base, end })} ${region.type}, ${formatSize(region.length)}`,
      toneRect(
        context,
        box(region.base, end, y, BAR_HEIGHT),
        region.usable ? 'usable' : 'reserved',
        region.usable ? 'solid' : 'hatch',
      ),
    );
  }
  for (const hole of holesOf(view, span.end)) {
    if (!inSpan(hole.start, hole.end)) continue;
    out += part(
      `${rangeText(hole)} not in the map (no RAM here), ${formatSize(hole.end - hole.start)}`,
      toneRect(context, box(hole.start, hole.end, y, BAR_HEIGHT), 'hole', 'dots'),
    );
  }
  const framesY = y + BAR_HEIGHT + 4;
  out += el('rect', {
    x: FIGURE_MARGIN,
    y: framesY,
    width: FIGURE_RIGHT - FIGURE_MARGIN,
    height: FRAMES_HEIGHT,
    class: 'cf-tone-muted',
  });
  for (const run of view.frames.usedRuns) {
    if (!inSpan(run.start, run.end)) continue;
    const frames = (run.end - run.start) / view.frames.frameSize;
    out += part(
      `${rangeText(run)} ${frames} frames in use, ${formatSize(run.end - run.start)}`,
      toneRect(context, box(run.start, run.end, framesY, FRAMES_HEIGHT), 'used', 'cross'),
    );
  }
  return out;
}

/** Labels under a bar at `ticks` (bytes), written by `label`. */
function axis(
  span: Span,
  y: number,
  ticks: readonly number[],
  label: (v: number) => string,
): string {
  const x = linearScale(span.start, span.end, FIGURE_MARGIN, FIGURE_RIGHT);
  return ticks
    .map((tick, i) => {
      const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
      return (
        el('line', { x1: x(tick), x2: x(tick), y1: y - 4, y2: y, class: 'cf-axis' }) +
        text(x(tick), y + 11, label(tick), { anchor, className: 'cf-text cf-small' })
      );
    })
    .join('');
}

/** What boot reserved, each with a bracket under the top bar and its own row of text. */
function reservations(view: PhysicalMemoryView, span: Span, y: number): string {
  const x = linearScale(span.start, span.end, FIGURE_MARGIN, FIGURE_RIGHT);
  return view.reservedAtBoot
    .map((range, i) => {
      const rowY = y + i * 15;
      const middle = (x(range.start) + x(range.end)) / 2;
      const label = `${range.what}: ${formatSize(range.end - range.start)} at ${hex(range.start)}`;
      return part(
        `${rangeText(range)} reserved at boot: ${range.what}`,
        el('path', {
          d: `M${x(range.start)},${y - 12} V${y - 9} H${x(range.end)} V${y - 12} M${middle},${y - 9} V${rowY - 4} H${middle + 6}`,
          class: 'cf-axis',
        }) + text(middle + 9, rowY, label, { className: 'cf-text cf-small' }),
      );
    })
    .join('');
}

function topOf(view: PhysicalMemoryView): number {
  return Math.max(...view.regions.map((region) => region.base + region.length));
}

function altText(view: PhysicalMemoryView): string {
  const ranges = view.regions
    .map(
      (r) => `${hex(r.base)} to ${hex(r.base + r.length - 1)} ${r.type} (${formatSize(r.length)})`,
    )
    .join('; ');
  return `Physical memory map, drawn to scale: ${view.regions.length} ranges from the boot loader: ${ranges}. ${view.frames.used} of ${view.frames.total} frames of 4 KiB are in use, in ${view.frames.usedRuns.length} runs; the first megabyte is shown enlarged.`;
}

export function memoryMapFigure(view: PhysicalMemoryView, context: FigureContext): Figure {
  const top = topOf(view);
  const whole = { start: 0, end: top };
  const low = { start: 0, end: Math.min(MiB, top) };
  const lowX = linearScale(0, top, FIGURE_MARGIN, FIGURE_RIGHT)(low.end);
  const quarters = [0, 1, 2, 3, 4].map((q) => (top * q) / 4);
  const lowTicks = [0, 1, 2, 3, 4].map((q) => (low.end * q) / 4);
  const rows = view.reservedAtBoot.length;
  const zoomY = 120 + rows * 15;
  const body =
    text(FIGURE_MARGIN, 16, `All of physical memory, 0 to ${formatSize(top)}, to scale`, {
      className: 'cf-text cf-heading',
    }) +
    bar(view, context, whole, 24) +
    axis(whole, 24 + BAR_HEIGHT + FRAMES_HEIGHT + 8, quarters, (v) =>
      v === 0 ? '0' : formatSize(v),
    ) +
    reservations(view, whole, 24 + BAR_HEIGHT + FRAMES_HEIGHT + 40) +
    el('path', {
      d: `M${FIGURE_MARGIN},${24 + BAR_HEIGHT} V${zoomY} M${lowX},${24 + BAR_HEIGHT} V${zoomY - 22} H${FIGURE_RIGHT} V${zoomY}`,
      class: 'cf-zoom',
    }) +
    text(FIGURE_MARGIN, zoomY - 6, `The first ${formatSize(low.end)}, enlarged`, {
      className: 'cf-text cf-heading',
    }) +
    bar(view, context, low, zoomY) +
    axis(low, zoomY + BAR_HEIGHT + FRAMES_HEIGHT + 8, lowTicks, (v) =>
      v === 0 ? '0' : formatSize(v),
    ) +
    text(
      FIGURE_MARGIN,
      zoomY + BAR_HEIGHT + FRAMES_HEIGHT + 40,
      `frames: ${view.frames.total} of ${formatSize(view.frames.frameSize)}, ${view.frames.used} used, ${view.frames.free} free · heap: ${formatSize(view.heap.usedBytes)} used of ${formatSize(view.heap.sizeBytes)}`,
    ) +
    legend(context, FIGURE_MARGIN, zoomY + BAR_HEIGHT + FRAMES_HEIGHT + 62, [
      { label: 'RAM (available)', tone: 'usable', pattern: 'solid' },
      { label: 'reserved by the firmware', tone: 'reserved', pattern: 'hatch' },
      { label: 'not in the map', tone: 'hole', pattern: 'dots' },
      { label: 'frames in use (lower strip)', tone: 'used', pattern: 'cross' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: zoomY + BAR_HEIGHT + FRAMES_HEIGHT + 72 },
      'Physical memory map',
      body,
    ),
    alt: altText(view),
    caption: `From the boot loader's memory map and the frame allocator (what the mem command prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
