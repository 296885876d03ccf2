/**
 * The disk's layout (CottonFS chapter): the whole disk as bands drawn to
 * scale — superblock, inode bitmap, block bitmap, inode table, journal, data —
 * with the used part of the data area, then the metadata at the front of the
 * disk enlarged, where its small regions are too thin to see at full scale.
 *
 * Data: `disk-layout` (src/kernel/fs/cottonfs/inspection.ts, `diskMapView`),
 * which the `blocks` command prints.
 */
import { formatSize } from '../kernel/lib/format';
import type { DiskMap, DiskRegion } from '../kernel/fs/cottonfs/inspection';
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
  type Pattern,
  svgDocument,
  text,
  type Tone,
  toneRect,
} from './svg';

const BAR_HEIGHT = 34;
/** The narrowest band in the enlarged bar, so that the one-block superblock can be seen and pointed at. */
const MIN_BAND = 14;

/** How each region is drawn: a tone and a pattern, so that they differ by more than colour. */
export const REGION_LOOKS: Readonly<Record<string, { tone: Tone; pattern: Pattern }>> = {
  S: { tone: 'accent', pattern: 'solid' },
  i: { tone: 'kernel', pattern: 'dots' },
  b: { tone: 'kernel', pattern: 'hatch' },
  I: { tone: 'reserved', pattern: 'solid' },
  J: { tone: 'reserved', pattern: 'cross' },
};

/** "blocks 64–127": a range of blocks as the text commands write it. */
export function blockRange(first: number, last: number): string {
  return first === last ? `block ${first}` : `blocks ${first}–${last}`;
}

function regionDetail(map: DiskMap, region: DiskRegion): string {
  const count = region.last - region.first + 1;
  return `${region.name} (${region.letter}): ${blockRange(region.first, region.last)}, ${formatSize(count * map.blockSize)}`;
}

/** The data area's band: free blocks, with the used ones drawn over it cell by cell. */
function dataBand(
  map: DiskMap,
  context: FigureContext,
  x: (block: number) => number,
  y: number,
): string {
  const last = map.totalBlocks - 1;
  let out = part(
    `data: ${blockRange(map.firstDataBlock, last)}, ${map.dataUsed} used, ${map.dataFree} free`,
    toneRect(
      context,
      {
        x: x(map.firstDataBlock),
        y,
        width: x(map.totalBlocks) - x(map.firstDataBlock),
        height: BAR_HEIGHT,
      },
      'usable',
      'solid',
    ),
  );
  for (const cell of map.cells) {
    if (cell.region !== null || cell.used === 0) continue;
    const share = cell.used / cell.count;
    const height = Math.max(BAR_HEIGHT * share, 2);
    out += toneRect(
      context,
      {
        x: x(cell.first),
        y: y + BAR_HEIGHT - height,
        width: x(cell.first + cell.count) - x(cell.first),
        height,
      },
      'used',
      'cross',
    );
  }
  return out;
}

/** The enlarged front of the disk: each region a band at least MIN_BAND wide, with its name under it. */
function metadataBar(map: DiskMap, context: FigureContext, y: number): string {
  const widths = map.regions.map((r) => r.last - r.first + 1);
  const total = widths.reduce((sum, w) => sum + w, 0);
  const free = FIGURE_RIGHT - FIGURE_MARGIN - MIN_BAND * map.regions.length;
  let at = FIGURE_MARGIN;
  let out = '';
  map.regions.forEach((region, i) => {
    const width = MIN_BAND + (free * widths[i]!) / total;
    const look = REGION_LOOKS[region.letter] ?? { tone: 'muted', pattern: 'solid' };
    out += part(
      regionDetail(map, region),
      toneRect(context, { x: at, y, width, height: BAR_HEIGHT }, look.tone, look.pattern) +
        text(at + width / 2, y + BAR_HEIGHT / 2 + 4, region.letter, {
          anchor: 'middle',
          className: 'cf-text cf-heading',
        }),
    );
    // One label a row, a staircase from left to right: the thin bands' names cannot collide.
    const labelY = y + BAR_HEIGHT + 14 + i * 14;
    out +=
      el('path', { d: `M${at + 3},${y + BAR_HEIGHT} V${labelY - 4}`, class: 'cf-axis' }) +
      text(at + 7, labelY, `${region.name}, ${blockRange(region.first, region.last)}`, {
        className: 'cf-text cf-small',
      });
    at += width;
  });
  return out;
}

function altText(map: DiskMap): string {
  const regions = map.regions.map((r) => regionDetail(map, r)).join('; ');
  return `The layout of the CottonFS "${map.label}": ${map.totalBlocks} blocks of ${formatSize(map.blockSize)}, drawn to scale. ${regions}; then the data area, ${blockRange(map.firstDataBlock, map.totalBlocks - 1)}, of which ${map.dataUsed} blocks are used and ${map.dataFree} free. The metadata at the front is shown enlarged below.`;
}

export function diskLayoutFigure(map: DiskMap, context: FigureContext): Figure {
  const x = linearScale(0, map.totalBlocks, FIGURE_MARGIN, FIGURE_RIGHT);
  const metadataEnd = map.firstDataBlock;
  const zoomY = 24 + BAR_HEIGHT + 58;
  let whole = '';
  for (const region of map.regions) {
    const look = REGION_LOOKS[region.letter] ?? { tone: 'muted', pattern: 'solid' };
    whole += part(
      regionDetail(map, region),
      toneRect(
        context,
        {
          x: x(region.first),
          y: 24,
          width: Math.max(x(region.last + 1) - x(region.first), 1),
          height: BAR_HEIGHT,
        },
        look.tone,
        look.pattern,
      ),
    );
  }
  whole += dataBand(map, context, x, 24);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((q) => Math.round(map.totalBlocks * q));
  const axis = ticks
    .map((block, i) => {
      const at = x(block);
      const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
      return (
        el('line', {
          x1: at,
          x2: at,
          y1: 24 + BAR_HEIGHT,
          y2: 24 + BAR_HEIGHT + 4,
          class: 'cf-axis',
        }) + text(at, 24 + BAR_HEIGHT + 15, `${block}`, { anchor, className: 'cf-text cf-small' })
      );
    })
    .join('');
  const body =
    text(
      FIGURE_MARGIN,
      16,
      `The whole disk, ${map.totalBlocks} blocks (${formatSize(map.totalBlocks * map.blockSize)}), to scale`,
      { className: 'cf-text cf-heading' },
    ) +
    whole +
    axis +
    el('path', {
      d: `M${FIGURE_MARGIN},${24 + BAR_HEIGHT} V${zoomY} M${x(metadataEnd)},${24 + BAR_HEIGHT} V${zoomY - 22} H${FIGURE_RIGHT} V${zoomY}`,
      class: 'cf-zoom',
    }) +
    text(FIGURE_MARGIN + 6, zoomY - 6, `Blocks 0–${metadataEnd - 1}, the metadata, enlarged`, {
      className: 'cf-text cf-heading',
    }) +
    metadataBar(map, context, zoomY) +
    legend(context, FIGURE_MARGIN, zoomY + BAR_HEIGHT + 14 + map.regions.length * 14 + 14, [
      { label: 'superblock', ...REGION_LOOKS.S! },
      { label: 'bitmaps (inode: dots, block: hatch)', ...REGION_LOOKS.b! },
      { label: 'inode table', ...REGION_LOOKS.I! },
      { label: 'journal', ...REGION_LOOKS.J! },
      { label: 'data, free', tone: 'usable', pattern: 'solid' },
      { label: 'data, used', tone: 'used', pattern: 'cross' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: zoomY + BAR_HEIGHT + map.regions.length * 14 + 38 },
      `The layout of the CottonFS "${map.label}"`,
      body,
    ),
    alt: altText(map),
    caption: `From the superblock and the block bitmap of the CottonFS "${map.label}" (what the blocks command prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
