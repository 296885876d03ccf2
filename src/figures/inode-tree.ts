/**
 * A file's pointer tree (CottonFS chapter): the inode's twelve direct
 * pointers and its indirect, double and triple indirect ones, each drawn to
 * what it names — a data block, or a table of pointers and what that table
 * names in turn — with runs of consecutive blocks drawn as one box, so that a
 * file written in one go reads as a few boxes however long it is.
 *
 * Data: `inode-tree` (src/kernel/fs/cottonfs/inspection.ts, `inodeView`),
 * which the `inode` command prints.
 */
import { formatSize } from '../kernel/lib/format';
import type { InodeView, PointerTable } from '../kernel/fs/cottonfs/inspection';
import {
  el,
  type Figure,
  type FigureContext,
  formatUptime,
  legend,
  part,
  SMALL_FONT_PX,
  svgDocument,
  text,
  toneRect,
} from './svg';

const ROW = 20;
const TOP = 30;
const INODE_X = 10;
const INODE_WIDTH = 150;
const COLUMN_GAP = 36;
const BOX_HEIGHT = 15;
/** Runs of a table drawn before "N more runs". */
const SHOWN_RUNS = 3;
/** Tables under a double or triple indirect table drawn before "N more tables". */
const SHOWN_TABLES = 3;
const POINTERS_PER_TABLE = 1024;
/** A monospace character's width in em, for sizing boxes around block numbers. */
const MONO_EM = 0.62;

/** Consecutive block numbers as runs: [529, 530, 531, 600] → [[529, 531], [600, 600]]. */
export function runsOf(blocks: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const block of blocks) {
    const last = runs[runs.length - 1];
    if (last && block === last[1] + 1) last[1] = block;
    else runs.push([block, block]);
  }
  return runs;
}

const runText = ([first, last]: [number, number]): string =>
  first === last ? `${first}` : `${first}–${last} (${last - first + 1})`;

/** A laid-out box: where it is, so that a link can reach it. */
interface Placed {
  readonly svg: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** Rows it used. */
  readonly rows: number;
}

function box(
  context: FigureContext,
  x: number,
  row: number,
  label: string,
  detail: string,
  kind: 'data' | 'table' | 'note',
): Placed {
  const width = Math.ceil(label.length * SMALL_FONT_PX * MONO_EM) + 12;
  const y = TOP + row * ROW;
  const caption = text(x + (kind === 'table' ? 9 : 6), y + 11, label, {
    className: 'cf-text cf-small cf-mono',
  });
  if (kind === 'note') return { svg: caption, x, y, width, rows: 1 };
  const whole = { x, y, width, height: BOX_HEIGHT };
  // A table's pattern runs down its left edge only, so that its label stays easy to read.
  const body =
    kind === 'data'
      ? toneRect(context, whole, 'used', 'solid')
      : toneRect(context, whole, 'kernel', 'solid') +
        toneRect(context, { ...whole, width: 5 }, 'kernel', 'hatch');
  return { svg: part(detail, body + caption), x, y, width, rows: 1 };
}

/** A link from the right edge of `from` at row `fromRow` to the left edge of `to`. */
function link(fromX: number, fromRow: number, to: Placed): string {
  const y1 = TOP + fromRow * ROW + BOX_HEIGHT / 2;
  const y2 = to.y + BOX_HEIGHT / 2;
  const middle = (fromX + to.x) / 2;
  return el('path', { d: `M${fromX},${y1} H${middle} V${y2} H${to.x}`, class: 'cf-link' });
}

/** A table and, to its right, what it names: runs of data blocks, or the tables below it. */
function drawTable(
  context: FigureContext,
  table: PointerTable,
  x: number,
  row: number,
  what: string,
): Placed {
  const label = `table ${table.block}: ${table.pointers.length} of ${POINTERS_PER_TABLE}`;
  const head = box(
    context,
    x,
    row,
    label,
    `${what}: block ${table.block}, a table of ${POINTERS_PER_TABLE} pointers, ${table.pointers.length} in use (slots ${runsOf(table.slots).map(runText).join(', ')})`,
    'table',
  );
  let svg = head.svg;
  const childX = x + head.width + COLUMN_GAP;
  let rows = 0;
  let right = head.x + head.width;
  const place = (child: Placed): void => {
    svg += child.svg + link(head.x + head.width, row, child);
    rows += child.rows;
    right = Math.max(right, child.x + child.width);
  };
  if (table.tables.length > 0) {
    for (const [i, child] of table.tables.slice(0, SHOWN_TABLES).entries())
      place(drawTable(context, child, childX, row + rows, `${what}, entry ${table.slots[i]}`));
    if (table.tables.length > SHOWN_TABLES)
      place(
        box(
          context,
          childX,
          row + rows,
          `… ${table.tables.length - SHOWN_TABLES} more tables`,
          '',
          'note',
        ),
      );
  } else {
    const runs = runsOf(table.pointers);
    for (const run of runs.slice(0, SHOWN_RUNS))
      place(
        box(
          context,
          childX,
          row + rows,
          `blocks ${runText(run)}`,
          `data ${run[0] === run[1] ? `block ${run[0]}` : `blocks ${run[0]}–${run[1]}`}, named by table ${table.block}`,
          'data',
        ),
      );
    if (runs.length > SHOWN_RUNS)
      place(
        box(context, childX, row + rows, `… ${runs.length - SHOWN_RUNS} more runs`, '', 'note'),
      );
  }
  return { svg, x, y: head.y, width: right - x, rows: Math.max(rows, 1) };
}

function altText(view: InodeView): string {
  const direct = view.direct.filter((b) => b !== 0);
  const trees = (
    [
      ['indirect', view.indirect],
      ['double indirect', view.doubleIndirect],
      ['triple indirect', view.tripleIndirect],
    ] as const
  )
    .filter(([, table]) => table !== null)
    .map(
      ([name, table]) =>
        `the ${name} pointer names table ${table!.block}, ${table!.pointers.length} of its ${POINTERS_PER_TABLE} pointers in use`,
    );
  return `The pointer tree of inode ${view.number} (${view.path}), a ${view.type} of ${view.size} bytes with ${view.blocks} blocks allocated, tables included. ${direct.length} of its 12 direct pointers are in use${direct.length > 0 ? `: blocks ${runsOf(direct).map(runText).join(', ')}` : ''}${trees.length > 0 ? `; ${trees.join('; ')}` : '; it has no indirect blocks'}.`;
}

export function inodeTreeFigure(view: InodeView, context: FigureContext): Figure {
  const slotX = INODE_X + INODE_WIDTH + COLUMN_GAP;
  let out = '';
  let row = 0;
  let right = slotX;
  const slotRows: number[] = [];
  view.direct.forEach((block, slot) => {
    slotRows.push(row);
    const label = `direct[${slot}]`;
    out += text(INODE_X + INODE_WIDTH - 6, TOP + row * ROW + 11, label, {
      anchor: 'end',
      className: 'cf-text cf-small cf-mono',
    });
    if (block !== 0) {
      const target = box(
        context,
        slotX,
        row,
        `block ${block}`,
        `direct[${slot}] → block ${block}: bytes ${slot * 4096}–${slot * 4096 + 4095} of the file`,
        'data',
      );
      out += target.svg + link(INODE_X + INODE_WIDTH, row, target);
      right = Math.max(right, target.x + target.width);
    } else {
      out += text(slotX, TOP + row * ROW + 11, '0 (none)', {
        className: 'cf-text cf-small cf-muted-text',
      });
    }
    row++;
  });
  for (const [name, table] of [
    ['indirect', view.indirect],
    ['double', view.doubleIndirect],
    ['triple', view.tripleIndirect],
  ] as const) {
    slotRows.push(row);
    out += text(INODE_X + INODE_WIDTH - 6, TOP + row * ROW + 11, name, {
      anchor: 'end',
      className: 'cf-text cf-small cf-mono',
    });
    if (table === null) {
      out += text(slotX, TOP + row * ROW + 11, '0 (none)', {
        className: 'cf-text cf-small cf-muted-text',
      });
      row++;
      continue;
    }
    const drawn = drawTable(context, table, slotX, row, `the ${name} pointer`);
    out += drawn.svg + link(INODE_X + INODE_WIDTH, row, drawn);
    right = Math.max(right, drawn.x + drawn.width);
    row += drawn.rows;
  }
  const inodeBox = part(
    `inode ${view.number} (${view.path}): ${view.type}, mode ${view.mode.toString(8).padStart(4, '0')}, ${view.links} link${view.links === 1 ? '' : 's'}, ${view.size} bytes, ${view.blocks} blocks allocated`,
    toneRect(
      context,
      { x: INODE_X, y: TOP - 4, width: INODE_WIDTH, height: row * ROW + 4 },
      'muted',
      'solid',
    ),
  );
  const height = TOP + row * ROW + 40;
  const body =
    text(
      INODE_X,
      16,
      `inode ${view.number}, ${view.path}: ${view.type}, ${formatSize(view.size)}, ${view.blocks} blocks with its tables`,
      { className: 'cf-text cf-heading' },
    ) +
    inodeBox +
    out +
    legend(context, INODE_X, height - 10, [
      { label: 'data block(s)', tone: 'used', pattern: 'solid' },
      { label: 'table of 1024 pointers', tone: 'kernel', pattern: 'hatch' },
      { label: 'the inode', tone: 'muted', pattern: 'solid' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: Math.max(right + 10, 560), height },
      `The pointer tree of ${view.path}`,
      body,
    ),
    alt: altText(view),
    caption: `From inode ${view.number} and its indirect blocks (what inode ${view.path} prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
