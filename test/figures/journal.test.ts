/**
 * The journal figure (CottonFS chapter): its data is what `journal` prints,
 * it follows a write (the running transaction grows, then the log holds it),
 * and its SVG is a golden file drawn from data captured from a Node boot that
 * typed the figure's script (fixtures/journal.json). The script ends with
 * `sync`, so the picture is the disk at rest, which the flusher leaves alone
 * (a figure taken before it would race with it): the log holds the last
 * write, one block added to the chapter's file, as a checkpointed transaction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { journalFigure } from '../../src/figures/journal';
import type { JournalState } from '../../src/kernel/fs/cottonfs/inspection';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';

/**
 * The chapter's <Figure view="journal" typed>: the last transaction is one
 * write, a block added to the file, so it holds the same blocks whenever the
 * flusher committed the rest.
 */
const JOURNAL_SCRIPT = [
  ...CHAPTER_SCRIPTS.cottonfs,
  'sync',
  'fill /home/reader/notes.txt 4K 300K',
  'sync',
];
const fixture = readFixture<JournalState>('journal');
/** Booting the book's machine and typing the script, on a loaded machine. */
const BOOT_MS = 60_000;
const context = { id: 'fig-journal', uptimeMicros: 1_234_567 };

describe('journal view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
    for (const line of JOURNAL_SCRIPT) machine.command(line);
  }, BOOT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('journal'))).toEqual(shapeOf(fixture));
  });

  it('holds what `journal` prints, line for line', () => {
    const view = machine.view<JournalState>('journal');
    const transaction = view.transaction!;
    const homes = transaction.homeBlocks;
    expect(machine.run('journal')).toEqual([
      `journal of CottonFS "${view.label}": blocks ${view.start}-${view.start + view.length - 1} (${view.length} blocks; a transaction holds up to ${view.capacity})`,
      `  header    sequence ${view.headerSequence}: the next transaction is #${view.headerSequence}`,
      `  log       transaction #${transaction.sequence}, ${homes.length} blocks: ${homes.join(' ')}`,
      `  commit    record valid (CRC-32 ${transaction.checksum.toString(16).padStart(8, '0')})`,
      '  state     checkpointed: every block is at home and the header has moved on, so a mount ignores it',
      '  running   0 blocks changed in the cache, not yet committed (sync, or the flusher within a second)',
    ]);
  });

  it('logs the last write: the block bitmap, the inode and the indirect table it changed', () => {
    const view = machine.view<JournalState>('journal');
    const inode = machine.command('inode /home/reader/notes.txt');
    const indirect = Number(/indirect {2}(\d+)/.exec(inode)![1]);
    expect(view.transaction!.homeBlocks).toEqual(expect.arrayContaining([32, indirect]));
    expect(view.transaction!.homeBlocks).toHaveLength(5);
  });

  it('follows a write: the running transaction, then the log after sync', () => {
    const before = machine.view<JournalState>('journal');
    machine.command('fill /home/reader/journal.bin 8K');
    const written = machine.view<JournalState>('journal');
    expect(written.runningBlocks.length).toBeGreaterThan(2);
    expect(written.dirtyBlocks).toBe(written.runningBlocks.length);
    expect(machine.run('journal').at(-1)).toBe(
      `  running   ${written.dirtyBlocks} blocks changed in the cache, not yet committed (sync, or the flusher within a second)`,
    );
    machine.command('sync');
    const synced = machine.view<JournalState>('journal');
    expect(synced.transaction!.sequence).toBe(before.headerSequence);
    expect(synced.transaction!.homeBlocks).toEqual(
      expect.arrayContaining([...written.runningBlocks]),
    );
    expect(synced.headerSequence).toBe(before.headerSequence + 1);
  });

  it('taking it changes nothing in the machine', () => {
    const before = machine.host.stateDigest();
    machine.view('journal');
    expect(machine.host.stateDigest()).toBe(before);
  });

  it('refuses a path that is not a mount point, with the reason', () => {
    expect(() => machine.view('journal', { mount: '/home' })).toThrow(
      /\/home is not a mount point/,
    );
  });
});

describe('journal figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(journalFigure(fixture, context).svg).toMatchFileSnapshot('golden/journal.svg');
  });

  it('has a part for the header, descriptor, commit, free space and each logged block and its home', () => {
    const { svg } = journalFigure(fixture, context);
    // Header, descriptor, commit, free space, the state, and each logged copy with its home.
    expect(svg.match(/class="cf-part"/g)).toHaveLength(5 + 5 * 2);
    expect(svg).toContain('block 128: the journal header');
    expect(svg).toContain('block 131: logged copy 2 of 5, of block 32');
    expect(svg).toContain('block 32: the home of logged copy 2');
    expect(svg).toContain('block 135: the commit record: valid');
    expect(svg).toContain('blocks 136–383: free');
    expect(svg).toContain('A mount now: checkpointed');
  });

  it('draws a long transaction as its first logged copies and one cell for the rest', () => {
    const homeBlocks = Array.from({ length: 84 }, (_, i) => 500 + i);
    const { svg } = journalFigure(
      { ...fixture, transaction: { ...fixture.transaction!, homeBlocks } },
      context,
    );
    expect(svg.match(/class="cf-part"/g)).toHaveLength(5 + 11 * 2 + 1);
    expect(svg).toContain('blocks 141–213: 73 more logged copies, of blocks 511 512');
    expect(svg).toContain('block 214: the commit record');
  });

  it('shows each state a mount may find, and the running transaction', () => {
    const drawn = (state: 'committed' | 'incomplete') =>
      journalFigure(
        {
          ...fixture,
          headerSequence: 7,
          transaction: { ...fixture.transaction!, state, committed: state === 'committed' },
          runningBlocks: [1, 600],
          dirtyBlocks: 2,
        },
        context,
      ).svg;
    expect(drawn('committed')).toContain('a mount now would replay it');
    expect(drawn('committed')).toContain('block 600: changed in the cache');
    expect(drawn('incomplete')).toContain('missing or does not match the logged blocks');
    const empty = journalFigure({ ...fixture, transaction: null }, context).svg;
    expect(empty).toContain('A mount now: empty');
    expect(empty).toContain('blocks 129–383: free');
  });

  it('says in words what it shows, and names its source and time', () => {
    const figure = journalFigure(fixture, context);
    expect(figure.alt).toContain('Block 128 is the header, sequence 9.');
    expect(figure.alt).toContain(
      'The log holds transaction #8: its descriptor in block 129, 5 logged blocks after it, copies of blocks 0 32 65 541 605',
    );
    expect(figure.alt).toContain('a mount ignores it');
    expect(figure.alt).toContain('No block in the cache is changed.');
    expect(figure.caption).toContain('t = 1.234 s');
    expect(figure.caption).not.toMatch(/\.$/);
  });
});
