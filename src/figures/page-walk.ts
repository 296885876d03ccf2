/**
 * The MMU's four-level walk of one address (Paging chapter): the address
 * split into its index fields (SDM Vol. 3A Figure 4-8), and under each field
 * the table it indexes, with the entry it selects, down to the page and the
 * physical address. Each entry shows its flags on hover and focus. A walk
 * that meets an entry not present ends in a page fault; a 2 MiB page ends at
 * the PD, and bits 20:0 are all offset.
 *
 * Data: `page-walk` (src/kernel/proc/memory-views.ts), which `walk` prints.
 */
import { formatSize, hex } from '../kernel/lib/format';
import type { PageWalkView, WalkStepView } from '../kernel/proc/memory-views';
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

const STRIP_Y = 30;
const STRIP_HEIGHT = 36;
const TABLE_Y = 112;
const TABLE_HEIGHT = 150;
/** Where a table's 512 entries are drawn, inside its box. */
const ENTRIES_TOP = 40;
const ENTRIES_HEIGHT = TABLE_HEIGHT - ENTRIES_TOP - 8;
const ENTRIES = 512;
const LEVELS = ['PML4', 'PDPT', 'PD', 'PT'] as const;

/** A field of the address: bits [low, high], what it is and its value. */
interface Field {
  readonly name: string;
  readonly high: number;
  readonly low: number;
  readonly value: number;
}

/** The address's fields as the MMU reads them: four indices and the offset, or three and a 2 MiB offset. */
function fieldsOf(walk: PageWalkView): Field[] {
  const { indices } = walk;
  const huge = walk.translation !== null && walk.translation.pageSize > 4096;
  const fields: Field[] = [
    { name: 'PML4 index', high: 47, low: 39, value: indices.pml4 },
    { name: 'PDPT index', high: 38, low: 30, value: indices.pdpt },
    { name: 'PD index', high: 29, low: 21, value: indices.pd },
  ];
  if (huge) {
    fields.push({ name: 'offset', high: 20, low: 0, value: walk.address % (2 * 1024 * 1024) });
  } else {
    fields.push({ name: 'PT index', high: 20, low: 12, value: indices.pt });
    fields.push({ name: 'offset', high: 11, low: 0, value: indices.offset });
  }
  return fields;
}

function bits(value: number, count: number): string {
  return value.toString(2).padStart(count, '0');
}

function stepDetail(step: WalkStepView, next: string): string {
  const entry = `${step.level}[${step.index}] = ${step.raw}`;
  if (!step.present) return `${entry}: not present (P = 0): the MMU raises a page fault`;
  return `${entry}: ${step.flags.join(' ')} → ${next}`;
}

/** A table's box, the entry the walk selects in it, and the arrow on to the next. */
function table(
  context: FigureContext,
  center: number,
  width: number,
  level: string,
  step: WalkStepView | undefined,
  next: string,
): string {
  const x = center - width / 2;
  if (!step) {
    return (
      toneRect(context, { x, y: TABLE_Y, width, height: TABLE_HEIGHT }, 'hole', 'dots') +
      text(center, TABLE_Y + 16, level, { anchor: 'middle', className: 'cf-text cf-heading' }) +
      text(center, TABLE_Y + 32, 'not reached', { anchor: 'middle', className: 'cf-text cf-small' })
    );
  }
  const entryY = TABLE_Y + ENTRIES_TOP + (step.index / ENTRIES) * ENTRIES_HEIGHT;
  return (
    el('rect', { x, y: TABLE_Y, width, height: TABLE_HEIGHT, class: 'cf-tone-muted cf-table' }) +
    text(center, TABLE_Y + 16, level, { anchor: 'middle', className: 'cf-text cf-heading' }) +
    text(center, TABLE_Y + 31, `at ${hex(step.table)}`, {
      anchor: 'middle',
      className: 'cf-text cf-small cf-mono',
    }) +
    part(
      stepDetail(step, next),
      toneRect(
        context,
        { x: x + 4, y: entryY - 1, width: width - 8, height: 12 },
        step.present ? 'usable' : 'reserved',
        step.present ? 'solid' : 'hatch',
      ) +
        text(
          center,
          entryY + 9,
          `[${step.index}] ${step.present ? step.flags.join(' ') : 'not present'}`,
          {
            anchor: 'middle',
            className: 'cf-text cf-small',
          },
        ),
    )
  );
}

/** The arrow from a table's selected entry to the top of what it points to. */
function arrow(fromX: number, fromY: number, toX: number, toY: number): string {
  return (
    el('path', {
      d: `M${fromX},${fromY} C${fromX + 18},${fromY} ${toX - 18},${toY} ${toX - 5},${toY}`,
      class: 'cf-arrow',
    }) + el('path', { d: `M${toX},${toY} l-6,-3.5 v7 z`, class: 'cf-arrow-head' })
  );
}

export function pageWalkFigure(walk: PageWalkView, context: FigureContext): Figure {
  const fields = fieldsOf(walk);
  const x = linearScale(48, 0, FIGURE_MARGIN, FIGURE_RIGHT);
  const centers = fields.map((field) => (x(field.high + 1) + x(field.low)) / 2);
  const { owner, translation, steps } = walk;
  let body = text(
    FIGURE_MARGIN,
    16,
    `walk ${hex(walk.address)} in pid ${owner.pid} (${owner.name}): CR3 = PML4 at ${hex(owner.root)}`,
    { className: 'cf-text cf-heading cf-mono' },
  );
  fields.forEach((field, i) => {
    const left = x(field.high + 1);
    const width = x(field.low) - left;
    const count = field.high - field.low + 1;
    body += part(
      `bits ${field.high}–${field.low}: ${field.name} ${field.value} (binary ${bits(field.value, count)})`,
      toneRect(
        context,
        { x: left, y: STRIP_Y, width, height: STRIP_HEIGHT },
        field.name === 'offset' ? 'muted' : 'accent',
        'solid',
      ) +
        text(centers[i]!, STRIP_Y + 14, field.name, {
          anchor: 'middle',
          className: 'cf-text cf-small',
        }) +
        text(
          centers[i]!,
          STRIP_Y + 29,
          field.name === 'offset' ? hex(field.value) : String(field.value),
          {
            anchor: 'middle',
            className: 'cf-text cf-heading cf-mono',
          },
        ),
    );
    body += text(left + 2, STRIP_Y + STRIP_HEIGHT + 11, String(field.high), {
      className: 'cf-text cf-small',
    });
  });
  body += text(FIGURE_RIGHT, STRIP_Y + STRIP_HEIGHT + 11, '0', {
    anchor: 'end',
    className: 'cf-text cf-small',
  });
  const tableWidth = Math.min(x(39) - x(48) - 14, 120);
  let previous: { x: number; y: number } | null = null;
  for (let i = 0; i < fields.length - 1; i++) {
    const step = steps[i];
    const level = LEVELS[i]!;
    const nextLevel =
      i + 1 < fields.length - 1
        ? `${LEVELS[i + 1]} at ${hex(step?.points ?? 0)}`
        : `page at ${hex(step?.points ?? 0)}`;
    body += el('line', {
      x1: centers[i]!,
      x2: centers[i]!,
      y1: STRIP_Y + STRIP_HEIGHT + 14,
      y2: TABLE_Y - 2,
      class: 'cf-link',
    });
    body += table(context, centers[i]!, tableWidth, level, step, nextLevel);
    if (previous && step)
      body += arrow(previous.x, previous.y, centers[i]! - tableWidth / 2, TABLE_Y + 8);
    previous = step?.present
      ? {
          x: centers[i]! + tableWidth / 2 - 4,
          y: TABLE_Y + ENTRIES_TOP + 5 + (step.index / ENTRIES) * ENTRIES_HEIGHT,
        }
      : null;
  }
  const pageCenter = centers[centers.length - 1]!;
  const pageWidth = x(0) - x(fields[fields.length - 1]!.high + 1) - 14;
  const pageX = pageCenter - pageWidth / 2;
  if (translation) {
    const offsetY =
      TABLE_Y + 40 + (translation.offset / translation.pageSize) * (TABLE_HEIGHT - 48);
    body += part(
      `${formatSize(translation.pageSize)} page at ${hex(translation.page)} + offset ${hex(translation.offset)} = physical ${hex(translation.physical)}`,
      toneRect(
        context,
        { x: pageX, y: TABLE_Y, width: pageWidth, height: TABLE_HEIGHT },
        'used',
        'cross',
      ) +
        el('rect', {
          x: pageX + 4,
          y: TABLE_Y + 4,
          width: pageWidth - 8,
          height: 30,
          class: 'cf-tone-muted',
        }) +
        text(pageCenter, TABLE_Y + 16, `${formatSize(translation.pageSize)} page`, {
          anchor: 'middle',
          className: 'cf-text cf-heading',
        }) +
        text(pageCenter, TABLE_Y + 30, `at ${hex(translation.page)}`, {
          anchor: 'middle',
          className: 'cf-text cf-small cf-mono',
        }) +
        el('line', {
          x1: pageX,
          x2: pageX + pageWidth,
          y1: offsetY,
          y2: offsetY,
          class: 'cf-arrow',
        }),
    );
    if (previous) body += arrow(previous.x, previous.y, pageX, TABLE_Y + 8);
  } else {
    body +=
      toneRect(
        context,
        { x: pageX, y: TABLE_Y, width: pageWidth, height: TABLE_HEIGHT },
        'reserved',
        'hatch',
      ) +
      text(pageCenter, TABLE_Y + 16, 'no page', {
        anchor: 'middle',
        className: 'cf-text cf-heading',
      });
  }
  const result = translation
    ? `→ physical ${hex(translation.physical)} (${translation.user ? 'user' : 'kernel'} ${translation.writable ? 'read-write' : 'read-only'}${translation.noExecute ? ', no execute' : ''})`
    : `→ not mapped: the MMU would raise a page fault (#PF, vector 14) with CR2 = ${hex(walk.address)}`;
  const bottom = TABLE_Y + TABLE_HEIGHT;
  body += text(FIGURE_MARGIN, bottom + 20, result, { className: 'cf-text cf-mono' });
  body += legend(context, FIGURE_MARGIN, bottom + 44, [
    { label: 'index bits', tone: 'accent', pattern: 'solid' },
    { label: 'entry present', tone: 'usable', pattern: 'solid' },
    { label: 'entry not present', tone: 'reserved', pattern: 'hatch' },
    { label: 'not reached', tone: 'hole', pattern: 'dots' },
    { label: 'the page', tone: 'used', pattern: 'cross' },
  ]);
  const path = steps
    .map(
      (step) =>
        `${step.level} entry ${step.index}${step.present ? ` (${step.flags.join(' ')})` : ' (not present)'}`,
    )
    .join(', then ');
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: bottom + 54 },
      'A page-table walk',
      body,
    ),
    alt: `Page-table walk of ${hex(walk.address)} in pid ${owner.pid} (${owner.name}). The address splits into ${fields.map((f) => `${f.name} ${f.name === 'offset' ? hex(f.value) : f.value} (bits ${f.high} to ${f.low})`).join(', ')}. From CR3 = ${hex(owner.root)} the MMU reads ${path}. ${result.slice(2)}.`,
    caption: `From pid ${owner.pid}'s page tables (what walk ${owner.pid} ${hex(walk.address)} prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
