/**
 * A process's address space (Paging chapter): its areas from the top of the
 * user half down, as the xv6 book draws one, each with its rights and how
 * many of its pages the page tables map now (demand paging fills them in on
 * first touch). The gaps between areas are gigabytes wide, so they are drawn
 * short, broken, with their size written on them: the areas are to scale
 * with each other only in the bar of mapped pages.
 *
 * Data: `address-space` (src/kernel/proc/memory-views.ts), which `vm` prints.
 */
import { formatSize, hex } from '../kernel/lib/format';
import type { AddressSpaceView, AreaView } from '../kernel/proc/memory-views';
import {
  el,
  type Figure,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  legend,
  part,
  type Pattern,
  svgDocument,
  text,
  type Tone,
  toneRect,
} from './svg';

const ADDRESS_X = 96;
const AREA_LEFT = 106;
const AREA_WIDTH = 330;
const BAR_LEFT = 470;
const BAR_WIDTH = 200;
const GAP = 26;
const PAGE = 4096;

/** Each kind in its tone; writable areas hatched, executable ones dotted (rights are not colour alone). */
const KIND_TONES: Readonly<Record<string, Tone>> = {
  code: 'kernel',
  rodata: 'muted',
  data: 'usable',
  heap: 'usable',
  stack: 'accent',
  mmap: 'reserved',
};

function patternOf(rights: string): Pattern {
  if (rights.includes('w')) return 'hatch';
  if (rights.includes('x')) return 'dots';
  return 'solid';
}

/** An area's height: grows with the log of its size, so one page and a gigabyte both fit. */
function heightOf(area: AreaView): number {
  return Math.round(Math.min(72, 36 + 3 * Math.log2(Math.max(area.pages, 1))));
}

function areaDetail(area: AreaView): string {
  return `${hex(area.start, 8)}–${hex(area.end, 8)} ${area.kind} ${area.rights}: ${area.mapped} of ${area.pages} pages mapped (${formatSize(area.end - area.start)})`;
}

function gapMark(y: number, size: number): string {
  const mid = y + GAP / 2;
  return (
    el('path', {
      d: `M${AREA_LEFT},${mid - 3} l10,-4 l10,8 l10,-8 l10,8 l10,-4`,
      class: 'cf-axis',
    }) +
    text(AREA_LEFT + 60, mid + 4, `${formatSize(size)} not in any area`, {
      className: 'cf-text cf-small cf-muted-text',
    })
  );
}

export function addressSpaceFigure(space: AddressSpaceView, context: FigureContext): Figure {
  const areas = [...space.areas].sort((a, b) => b.start - a.start);
  const { owner } = space;
  let y = 34;
  let body = text(
    10,
    16,
    `pid ${owner.pid} (${owner.name}): PML4 at ${hex(owner.root)}, break ${hex(space.break, 8)}`,
    { className: 'cf-text cf-heading cf-mono' },
  );
  body += text(BAR_LEFT, 16, 'pages mapped now', { className: 'cf-text cf-heading' });
  areas.forEach((area, i) => {
    const height = heightOf(area);
    const fill = area.pages === 0 ? 0 : (area.mapped / area.pages) * BAR_WIDTH;
    body += part(
      areaDetail(area),
      toneRect(
        context,
        { x: AREA_LEFT, y, width: AREA_WIDTH, height },
        KIND_TONES[area.kind] ?? 'muted',
        patternOf(area.rights),
      ) +
        text(AREA_LEFT + 8, y + 16, `${area.kind}  ${area.rights}`, {
          className: 'cf-text cf-heading cf-mono cf-halo',
        }) +
        text(AREA_LEFT + 8, y + 31, formatSize(area.end - area.start), {
          className: 'cf-text cf-small cf-halo',
        }) +
        el('rect', {
          x: BAR_LEFT,
          y: y + 4,
          width: BAR_WIDTH,
          height: 12,
          class: 'cf-tone-muted',
        }) +
        toneRect(
          context,
          { x: BAR_LEFT, y: y + 4, width: Math.max(fill, area.mapped > 0 ? 2 : 0), height: 12 },
          'used',
          'cross',
        ) +
        text(BAR_LEFT, y + 29, `${area.mapped} of ${area.pages}`, {
          className: 'cf-text cf-small',
        }),
    );
    if (areas[i - 1]?.start !== area.end) {
      body += text(ADDRESS_X, y + 10, hex(area.end, 8), {
        anchor: 'end',
        className: 'cf-text cf-small cf-mono',
      });
    }
    body += text(ADDRESS_X, y + height, hex(area.start, 8), {
      anchor: 'end',
      className: 'cf-text cf-small cf-mono',
    });
    y += height;
    const below = areas[i + 1];
    if (below && below.end < area.start) {
      body += gapMark(y, area.start - below.end);
      y += GAP;
    } else y += 4;
  });
  const mapped = space.areas.reduce((sum, area) => sum + area.mapped, 0);
  const summary = `${mapped} pages mapped (${formatSize(mapped * PAGE)}), ${space.pagesInTables} in the page tables`;
  body += text(10, y + 18, summary, { className: 'cf-text' });
  body += legend(context, 10, y + 42, [
    { label: 'read-only', tone: 'muted', pattern: 'solid' },
    { label: 'executable', tone: 'kernel', pattern: 'dots' },
    { label: 'writable', tone: 'usable', pattern: 'hatch' },
    { label: 'pages mapped', tone: 'used', pattern: 'cross' },
  ]);
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: y + 54 },
      `The address space of pid ${owner.pid}`,
      body,
    ),
    alt: `Address space of pid ${owner.pid} (${owner.name}), from the highest area down: ${areas.map(areaDetail).join('; ')}. ${summary}.`,
    caption: `From pid ${owner.pid}'s memory areas and page tables (what vm ${owner.pid} prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
