/**
 * The journal figure (CottonFS chapter): its data is what `journal` prints,
 * it follows a write (the running transaction grows, then the log holds it),
 * and its SVG is a golden file drawn from data captured from a Node boot that
 * typed the figure's script (fixtures/journal.json). The script ends with
 * `sync`, so the picture is the disk at rest: the log holds the chapter's
 * file as one checkpointed transaction, and the flusher has nothing left to
 * change (a figure taken before it would show it mid-way, a race).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { journalFigure } from '../../src/figures/journal';
import type { JournalState } from '../../src/kernel/fs/cottonfs/inspection';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';

/** The chapter's <Figure view="journal" typed>. */
const JOURNAL_SCRIPT = [...CHAPTER_SCRIPTS.cottonfs, 'sync'];
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
      `  log       transaction #${transaction.sequence}, ${homes.length} blocks: ${homes.slice(0, 10).join(' ')} ...`,
      `  commit    record valid (CRC-32 ${transaction.checksum.toString(16).padStart(8, '0')})`,
      '  state     checkpointed: every block is at home and the header has moved on, so a mount ignores it',
      '  running   0 blocks changed in the cache, not yet committed (sync, or the flusher within a second)',
    ]);
  });

  it('logs the file the script wrote: its data blocks are among the home blocks', () => {
    const view = machine.view<JournalState>('journal');
    const blocks = machine.command('inode /home/reader/notes.txt');
    const direct = /direct {4}(.*)/.exec(blocks)![1]!.split(' ').map(Number);
    for (const block of direct) expect(view.transaction!.homeBlocks).toContain(block);
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
    expect(synced.transaction!.homeBlocks).toEqual(expect.arrayContaining(written.runningBlocks));
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
    // 11 logged copies drawn one by one, each with its home, and one cell for the rest.
    expect(svg.match(/class="cf-part"/g)).toHaveLength(3 + 1 + 11 * 2 + 1 + 1);
    expect(svg).toContain('block 128: the journal header, sequence 8');
    expect(svg).toContain(`block 132: logged copy 3 of 84 in transaction #7, of block 32`);
    expect(svg).toContain('blocks 141–213: 73 more logged copies, of blocks 532 533');
    expect(svg).toContain('block 214: the commit record of transaction #7: valid, CRC-32 9cd5fc11');
    expect(svg).toContain('blocks 215–383: free');
    expect(svg).toContain('A mount now: checkpointed');
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
    expect(figure.alt).toContain('Block 128 is the header, sequence 8.');
    expect(figure.alt).toContain('The log holds transaction #7: its descriptor in block 129, 84');
    expect(figure.alt).toContain('a mount ignores it');
    expect(figure.alt).toContain('No block in the cache is changed.');
    expect(figure.caption).toContain('t = 1.234 s');
    expect(figure.caption).not.toMatch(/\.$/);
  });
});
