/**
 * The block map (CottonFS chapter): the disk as a grid of cells, one per
 * group of blocks, as the `blocks` command draws it — a fixed region's
 * letter, or a data cell filled as far as its blocks are used — so the grid
 * fills as the reader writes files. Pointing at a cell (or tabbing to it)
 * names its blocks and the files that own them.
 *
 * Data: `block-map` (src/kernel/fs/cottonfs/inspection.ts, `diskView`): the
 * disk map that `blocks` prints, and every file with its blocks, as far as the
 * kernel's block cache lets a view read them.
 */
import type { DiskCell, DiskView } from '../kernel/fs/cottonfs/inspection';
import { blockRange, REGION_LOOKS } from './disk-layout';
import {
  type Figure,
  type FigureContext,
  formatUptime,
  legend,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

const LEFT = 52;
const TOP = 26;
const CELL_WIDTH = 10;
const CELL_HEIGHT = 24;
/** Files named in a cell's details before "and N more". */
const NAMED_FILES = 4;

/** For each block, the file that owns it: "/home/reader/notes.txt (inode 51)", tables marked. */
function ownersByBlock(view: DiskView): Map<number, string> {
  const owners = new Map<number, string>();
  for (const owner of view.files.owners) {
    const name = `${owner.path} (inode ${owner.inode})`;
    for (const block of owner.data) owners.set(block, name);
    for (const block of owner.tables) owners.set(block, `${name}, indirect block`);
  }
  return owners;
}

function cellDetail(view: DiskView, cell: DiskCell, owners: Map<number, string>): string {
  const range = blockRange(cell.first, cell.first + cell.count - 1);
  if (cell.region !== null) {
    const region = view.map.regions.find((r) => r.letter === cell.region);
    return `${range}: ${region?.name ?? cell.region}`;
  }
  const files = new Set<string>();
  let unknown = 0;
  for (let block = cell.first; block < cell.first + cell.count; block++) {
    const owner = owners.get(block);
    if (owner) files.add(owner.replace(/, indirect block$/, ''));
    else unknown++;
  }
  unknown -= cell.count - cell.used; // the free blocks have no owner to find
  const named = [...files].slice(0, NAMED_FILES).join(', ');
  const more = files.size > NAMED_FILES ? ` and ${files.size - NAMED_FILES} more` : '';
  const unread = unknown > 0 ? `; ${unknown} of a file not read since boot` : '';
  return `${range}: ${cell.used} of ${cell.count} used${files.size > 0 ? ` by ${named}${more}` : ''}${unread}`;
}

function drawCell(
  view: DiskView,
  context: FigureContext,
  cell: DiskCell,
  index: number,
  detail: string,
): string {
  const column = index % view.map.columns;
  const row = Math.floor(index / view.map.columns);
  const box = {
    x: LEFT + column * CELL_WIDTH,
    y: TOP + row * (CELL_HEIGHT + 4),
    width: CELL_WIDTH,
    height: CELL_HEIGHT,
  };
  if (cell.region !== null) {
    const look = REGION_LOOKS[cell.region] ?? { tone: 'muted', pattern: 'solid' };
    return part(
      detail,
      toneRect(context, box, look.tone, look.pattern) +
        text(box.x + CELL_WIDTH / 2, box.y + CELL_HEIGHT - 6, cell.region, {
          anchor: 'middle',
          className: 'cf-text cf-small cf-mono',
        }),
    );
  }
  const background = toneRect(context, box, 'usable', 'solid');
  if (cell.used === 0) return background;
  const height = Math.max((CELL_HEIGHT * cell.used) / cell.count, 2);
  return part(
    detail,
    background +
      toneRect(context, { ...box, y: box.y + CELL_HEIGHT - height, height }, 'used', 'cross'),
  );
}

function altText(view: DiskView): string {
  const { map, files } = view;
  const perCell = map.blocksPerCell === 1 ? 'one block' : `${map.blocksPerCell} blocks`;
  const biggest = [...files.owners]
    .filter((o) => o.type !== 'directory')
    .sort((a, b) => b.data.length - a.data.length || a.path.localeCompare(b.path))
    .slice(0, 3)
    .map((o) => `${o.path} (${o.data.length + o.tables.length} blocks)`)
    .join(', ');
  const unread =
    files.unread.length > 0
      ? ` Not read since boot, so their files are not named: ${files.unread.join(', ')}.`
      : '';
  return `The block map of the CottonFS "${map.label}" on ${view.mountPoint}: ${map.cells.length} cells of ${perCell}, ${map.columns} to a row. The first ${map.firstDataBlock} blocks are the superblock, the bitmaps, the inode table and the journal; of the data blocks, ${map.dataUsed} are used and ${map.dataFree} free. The biggest files: ${biggest || 'none'}.${unread}`;
}

export function blockMapFigure(view: DiskView, context: FigureContext): Figure {
  const { map } = view;
  const owners = ownersByBlock(view);
  const rows = Math.ceil(map.cells.length / map.columns);
  let grid = '';
  map.cells.forEach((cell, index) => {
    grid += drawCell(view, context, cell, index, cellDetail(view, cell, owners));
  });
  let rowLabels = '';
  for (let row = 0; row < rows; row++) {
    rowLabels += text(
      LEFT - 6,
      TOP + row * (CELL_HEIGHT + 4) + CELL_HEIGHT / 2 + 4,
      `${row * map.columns * map.blocksPerCell}`,
      { anchor: 'end', className: 'cf-text cf-small cf-mono' },
    );
  }
  const gridBottom = TOP + rows * (CELL_HEIGHT + 4);
  const width = LEFT + map.columns * CELL_WIDTH + 10;
  const perCell = map.blocksPerCell === 1 ? 'one block' : `${map.blocksPerCell} blocks`;
  const body =
    text(
      10,
      16,
      `${map.totalBlocks} blocks, ${perCell} per cell; a data cell fills as its blocks are used`,
      {
        className: 'cf-text cf-heading',
      },
    ) +
    rowLabels +
    grid +
    text(
      10,
      gridBottom + 14,
      `data blocks: ${map.dataUsed} used, ${map.dataFree} free${view.files.unread.length > 0 ? ` · not read since boot: ${view.files.unread.join(', ')}` : ''}`,
      { className: 'cf-text cf-small' },
    ) +
    legend(context, 10, gridBottom + 36, [
      ...view.map.regions
        .filter((r) => view.map.cells.some((c) => c.region === r.letter))
        .map((r) => ({
          label: `${r.letter} ${r.name}`,
          ...(REGION_LOOKS[r.letter] ?? { tone: 'muted' as const, pattern: 'solid' as const }),
        })),
      { label: 'data, free', tone: 'usable', pattern: 'solid' },
      { label: 'data, used', tone: 'used', pattern: 'cross' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width, height: gridBottom + 46 },
      `The block map of the CottonFS "${map.label}"`,
      body,
    ),
    alt: altText(view),
    caption: `From the block bitmap and the inodes of the CottonFS on ${view.mountPoint} (what the blocks command prints, with each block's file), at ${formatUptime(context.uptimeMicros)}`,
  };
}
