/**
 * The journal (CottonFS chapter): the journal's blocks as a strip — the
 * header, the last transaction's descriptor, its logged blocks, its commit
 * record, then the free rest — with an arrow from each logged copy to its
 * home block, what a mount would do with the log now, and the running
 * transaction: the blocks changed in the cache that the next commit will log.
 * The picture leaves out the sequence numbers and the checksum (the text
 * alternative says them): they count the flusher's commits, which depend on
 * when the reader typed, and the book's picture and the reader's should be the
 * same after the same commands.
 *
 * Data: `journal` (src/kernel/fs/cottonfs/inspection.ts, `journalView`),
 * which the `journal` command prints.
 */
import type { JournalState, LoggedState } from '../kernel/fs/cottonfs/inspection';
import { blockRange } from './disk-layout';
import {
  el,
  type Figure,
  FIGURE_MARGIN,
  FIGURE_RIGHT,
  FIGURE_WIDTH,
  type FigureContext,
  formatUptime,
  legend,
  type Pattern,
  part,
  svgDocument,
  text,
  type Tone,
  toneRect,
} from './svg';

const STRIP_Y = 30;
const STRIP_HEIGHT = 34;
/** The header, descriptor and commit record's width in the strip. */
const RECORD_WIDTH = 48;
/** A logged block's width: room for a five-digit block number under it. */
const CELL_WIDTH = 36;
/** Most logged (or running) blocks drawn one by one; the rest are one "+N" cell. */
const MAX_CELLS = 12;
const HOME_Y = STRIP_Y + STRIP_HEIGHT + 34;
const HOME_HEIGHT = 22;

type Look = { tone: Tone; pattern: Pattern };

const LOOKS = {
  record: { tone: 'reserved', pattern: 'solid' },
  logged: { tone: 'used', pattern: 'cross' },
  free: { tone: 'usable', pattern: 'solid' },
  home: { tone: 'accent', pattern: 'solid' },
  running: { tone: 'kernel', pattern: 'dots' },
} as const satisfies Record<string, Look>;

/** What a mount would do with the log, in words, and how the state is drawn. */
const MOUNT_ACTS: Readonly<Record<LoggedState | 'empty', Look & { words: string }>> = {
  empty: {
    tone: 'muted',
    pattern: 'solid',
    words: 'empty: no transaction was ever logged, a mount has nothing to do',
  },
  checkpointed: {
    tone: 'usable',
    pattern: 'solid',
    words: 'checkpointed: its blocks are home and the header has moved on, a mount ignores it',
  },
  committed: {
    tone: 'accent',
    pattern: 'hatch',
    words: 'committed, not checkpointed: a mount now would replay it to the home blocks',
  },
  incomplete: {
    tone: 'hole',
    pattern: 'dots',
    words: 'incomplete: no valid commit record, so it never happened and a mount ignores it',
  },
};

/** Up to MAX_CELLS block numbers, the last cell standing for the rest ("+N") when there are more. */
function shownCells(blocks: readonly number[]): { shown: readonly number[]; more: number } {
  if (blocks.length <= MAX_CELLS) return { shown: blocks, more: 0 };
  return { shown: blocks.slice(0, MAX_CELLS - 1), more: blocks.length - MAX_CELLS + 1 };
}

const hex = (checksum: number): string => checksum.toString(16).padStart(8, '0');

/** A labelled block of the strip, a focusable part with its detail. */
function block(
  context: FigureContext,
  box: { x: number; y: number; width: number; height: number },
  look: Look,
  label: string,
  detail: string,
): string {
  return part(
    detail,
    toneRect(context, box, look.tone, look.pattern) +
      text(box.x + box.width / 2, box.y + box.height / 2 + 4, label, {
        anchor: 'middle',
        className: 'cf-text cf-small',
      }),
  );
}

function arrowDown(x: number, fromY: number, toY: number): string {
  return (
    el('path', { d: `M${x},${fromY} V${toY - 6}`, class: 'cf-arrow' }) +
    el('path', { d: `M${x},${toY} l-3.5,-6 h7 z`, class: 'cf-arrow-head' })
  );
}

/** The strip of the journal's blocks and, under the logged ones, their home blocks. */
function strip(journal: JournalState, context: FigureContext): string {
  const { start, length, transaction } = journal;
  const box = (x: number, width: number) => ({ x, y: STRIP_Y, width, height: STRIP_HEIGHT });
  let at = FIGURE_MARGIN;
  let out = block(
    context,
    box(at, RECORD_WIDTH),
    LOOKS.record,
    'header',
    `block ${start}: the journal header, the next transaction's sequence number`,
  );
  at += RECORD_WIDTH;
  let used = 1;
  if (transaction) {
    const count = transaction.homeBlocks.length;
    out += block(
      context,
      box(at, RECORD_WIDTH),
      LOOKS.record,
      'descr.',
      `block ${start + 1}: the descriptor of the last transaction, naming the home blocks of its ${count} logged blocks`,
    );
    at += RECORD_WIDTH;
    const { shown, more } = shownCells(transaction.homeBlocks);
    shown.forEach((home, i) => {
      const x = at + i * CELL_WIDTH;
      out +=
        block(
          context,
          box(x, CELL_WIDTH),
          LOOKS.logged,
          `${i + 1}`,
          `block ${start + 2 + i}: logged copy ${i + 1} of ${count}, of block ${home}`,
        ) +
        arrowDown(x + CELL_WIDTH / 2, STRIP_Y + STRIP_HEIGHT, HOME_Y) +
        block(
          context,
          { x: x + 2, y: HOME_Y, width: CELL_WIDTH - 4, height: HOME_HEIGHT },
          LOOKS.home,
          `${home}`,
          `block ${home}: the home of logged copy ${i + 1}, where the checkpoint writes it`,
        );
    });
    at += shown.length * CELL_WIDTH;
    if (more > 0) {
      const rest = transaction.homeBlocks.slice(shown.length);
      out += block(
        context,
        box(at, CELL_WIDTH),
        LOOKS.logged,
        `+${more}`,
        `${blockRange(start + 2 + shown.length, start + 1 + count)}: ${more} more logged copies, of blocks ${rest.join(' ')}`,
      );
      at += CELL_WIDTH;
    }
    out += text(at + 6, HOME_Y + HOME_HEIGHT / 2 + 4, '← their home blocks', {
      className: 'cf-text cf-small',
    });
    out += block(
      context,
      box(at, RECORD_WIDTH),
      LOOKS.record,
      'commit',
      `block ${start + 2 + count}: the commit record: ${transaction.committed ? 'valid, its CRC-32 matches the descriptor and the logged blocks' : 'missing or does not match the logged blocks'}`,
    );
    at += RECORD_WIDTH;
    used = count + 3;
  }
  if (used < length) {
    out += block(
      context,
      box(at, FIGURE_RIGHT - at),
      LOOKS.free,
      `${length - used} blocks free`,
      `${blockRange(start + used, start + length - 1)}: free, room for the next transaction's logged blocks`,
    );
  }
  return out;
}

/** The state a mount would act on: a band with its words in it. */
function mountState(journal: JournalState, context: FigureContext, y: number): string {
  const state = journal.transaction?.state ?? 'empty';
  const look = MOUNT_ACTS[state];
  const words = `A mount now: ${look.words}`;
  return part(
    words,
    toneRect(
      context,
      { x: FIGURE_MARGIN, y, width: FIGURE_RIGHT - FIGURE_MARGIN, height: 26 },
      look.tone,
      look.pattern,
    ) + text(FIGURE_MARGIN + 8, y + 17, words, { className: 'cf-text' }),
  );
}

/** The running transaction: the blocks changed in the cache, which the next commit logs. */
function running(journal: JournalState, context: FigureContext, y: number): string {
  const { runningBlocks } = journal;
  const heading =
    runningBlocks.length === 0
      ? 'In the cache: no changed block, the next commit has nothing to log'
      : `In the cache, not yet committed: ${runningBlocks.length} changed blocks, the next transaction (sync, or the flusher within a second)`;
  let out = text(FIGURE_MARGIN, y, heading, { className: 'cf-text cf-heading' });
  const { shown, more } = shownCells(runningBlocks);
  const box = (i: number) => ({
    x: FIGURE_MARGIN + i * CELL_WIDTH,
    y: y + 8,
    width: CELL_WIDTH - 2,
    height: HOME_HEIGHT,
  });
  shown.forEach((home, i) => {
    out += block(
      context,
      box(i),
      LOOKS.running,
      `${home}`,
      `block ${home}: changed in the cache since the last commit`,
    );
  });
  if (more > 0)
    out += block(
      context,
      box(shown.length),
      LOOKS.running,
      `+${more}`,
      `${more} more changed blocks: ${runningBlocks.slice(shown.length).join(' ')}`,
    );
  return out;
}

function altText(journal: JournalState): string {
  const { start, length, capacity, transaction } = journal;
  const area = `The journal of the CottonFS "${journal.label}": ${blockRange(start, start + length - 1)} (${length} blocks; a transaction holds up to ${capacity}). Block ${start} is the header, sequence ${journal.headerSequence}.`;
  const log = transaction
    ? ` The log holds transaction #${transaction.sequence}: its descriptor in block ${start + 1}, ${transaction.homeBlocks.length} logged blocks after it, copies of blocks ${transaction.homeBlocks.join(' ')}, then its commit record, ${transaction.committed ? `valid (CRC-32 ${hex(transaction.checksum)})` : 'missing or not matching'}.`
    : ' The log holds no transaction.';
  const cache =
    journal.runningBlocks.length === 0
      ? ' No block in the cache is changed.'
      : ` ${journal.runningBlocks.length} blocks changed in the cache wait for the next commit: ${journal.runningBlocks.join(' ')}.`;
  return `${area}${log} A mount now: ${MOUNT_ACTS[transaction?.state ?? 'empty'].words}.${cache}`;
}

export function journalFigure(journal: JournalState, context: FigureContext): Figure {
  const stateY = HOME_Y + HOME_HEIGHT + 20;
  const runningY = stateY + 26 + 28;
  const legendY = runningY + 8 + HOME_HEIGHT + 26;
  const { start, length } = journal;
  const body =
    text(
      FIGURE_MARGIN,
      18,
      `The journal, ${blockRange(start, start + length - 1)}: the last transaction in the log`,
      { className: 'cf-text cf-heading' },
    ) +
    strip(journal, context) +
    mountState(journal, context, stateY) +
    running(journal, context, runningY) +
    legend(context, FIGURE_MARGIN, legendY, [
      { label: 'header, descriptor, commit', ...LOOKS.record },
      { label: 'logged copy', ...LOOKS.logged },
      { label: 'home block', ...LOOKS.home },
      { label: 'free', ...LOOKS.free },
      { label: 'changed in the cache', ...LOOKS.running },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: FIGURE_WIDTH, height: legendY + 12 },
      `The journal of the CottonFS "${journal.label}"`,
      body,
    ),
    alt: altText(journal),
    caption: `From the journal and the block cache of the CottonFS "${journal.label}" (what the journal command prints), at ${formatUptime(context.uptimeMicros)}`,
  };
}
