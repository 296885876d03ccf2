/**
 * The pointer tree figure (CottonFS chapter): its data is what `inode`
 * prints, and its SVG is a golden file drawn from data captured from a Node
 * boot that typed the chapter's script (fixtures/inode-tree.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inodeTreeFigure, runsOf } from '../../src/figures/inode-tree';
import type { InodeView } from '../../src/kernel/fs/cottonfs/inspection';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';

const fixture = readFixture<InodeView>('inode-tree');
/** Booting the book's machine and typing the script, on a loaded machine. */
const BOOT_MS = 60_000;
const context = { id: 'fig-inode', uptimeMicros: 1_234_567 };
const NOTES = { path: '/home/reader/notes.txt' };

describe('inode-tree view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
    for (const line of CHAPTER_SCRIPTS.cottonfs) machine.command(line);
  }, BOOT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('inode-tree', NOTES))).toEqual(shapeOf(fixture));
  });

  it('follows a path through directories, and refuses one that names nothing (before any `inode`)', () => {
    expect(machine.view<InodeView>('inode-tree', { path: '/home/reader' }).type).toBe('directory');
    expect(() => machine.view('inode-tree', { path: '/home/nobody' })).toThrow(
      /\/home\/nobody: no such file/,
    );
    expect(() => machine.view('inode-tree', { path: '/bin/ls' })).toThrow(/not a CottonFS/);
  });

  it('holds what `inode` prints: the fields, the direct pointers, each table', () => {
    const view = machine.view<InodeView>('inode-tree', NOTES);
    const text = machine.command('inode /home/reader/notes.txt');
    expect(text).toContain(
      `inode ${view.number} (/home/reader/notes.txt): ${view.type}, mode 0644, 1 link`,
    );
    expect(text).toContain(`  size      ${view.size} bytes`);
    expect(text).toContain(`  blocks    ${view.blocks} allocated, tables included`);
    expect(text).toContain(`  direct    ${view.direct.join(' ')}`);
    expect(text).toContain(
      `  indirect  ${view.indirect!.block} -> ${view.indirect!.pointers.length} of 1024 slots used: ${view.indirect!.pointers.slice(0, 6).join(' ')} ...`,
    );
    expect(text).toContain('  double    0');
  });

  it("follows the reader's last `inode` rather than its own path", () => {
    machine.command('inode /home/reader/welcome.txt');
    const view = machine.view<InodeView>('inode-tree', NOTES);
    expect(view.path).toBe('/home/reader/welcome.txt');
    expect(view.direct.filter((b) => b !== 0)).toHaveLength(1);
    machine.command('inode /home/reader/notes.txt');
  });
});

describe('inode-tree figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(inodeTreeFigure(fixture, context).svg).toMatchFileSnapshot(
      'golden/inode-tree.svg',
    );
  });

  it('draws each direct block, and the indirect table with its run of blocks', () => {
    const { svg } = inodeTreeFigure(fixture, context);
    const direct = fixture.direct.filter((b) => b !== 0);
    for (const block of direct) expect(svg).toContain(`→ block ${block}: bytes`);
    const [run] = runsOf(fixture.indirect!.pointers);
    expect(svg).toContain(`blocks ${run![0]}–${run![1]} (${run![1] - run![0] + 1})`);
    expect(svg).toContain(
      `table ${fixture.indirect!.block}: ${fixture.indirect!.pointers.length} of 1024`,
    );
  });

  it('cuts a long table into runs of consecutive blocks', () => {
    expect(runsOf([5, 6, 7, 9, 11, 12])).toEqual([
      [5, 7],
      [9, 9],
      [11, 12],
    ]);
    expect(runsOf([])).toEqual([]);
  });

  it('says in words what it shows, and names its source and time', () => {
    const figure = inodeTreeFigure(fixture, context);
    expect(figure.alt).toContain(`inode ${fixture.number} (/home/reader/notes.txt)`);
    expect(figure.alt).toContain('12 of its 12 direct pointers are in use');
    expect(figure.caption).toContain('t = 1.234 s');
  });
});
