/**
 * The disk layout and block map figures (CottonFS chapter): their data is what
 * `blocks` prints, each block's file is what `inode` names, and their SVGs
 * are golden files drawn from data captured from a Node boot that typed the
 * chapter's script (fixtures/disk-layout.json, fixtures/block-map.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blockMapFigure } from '../../src/figures/block-map';
import { diskLayoutFigure } from '../../src/figures/disk-layout';
import type { DiskMap, DiskView } from '../../src/kernel/fs/cottonfs/inspection';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';

const layout = readFixture<DiskMap>('disk-layout');
const blockMap = readFixture<DiskView>('block-map');
/** Booting the book's machine and typing the script, on a loaded machine. */
const BOOT_MS = 60_000;
const context = { id: 'fig-disk', uptimeMicros: 1_234_567 };

/** The map rows of `blocks`, as one string of cell characters. */
function mapCharacters(text: string): string {
  return [...text.matchAll(/^ +\d+ {2}(\S+)$/gm)].map((m) => m[1]).join('');
}

describe('disk-layout and block-map views', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
    for (const line of CHAPTER_SCRIPTS.cottonfs) machine.command(line);
  }, BOOT_MS);

  it('have the shape of the fixtures the golden figures are drawn from', () => {
    expect(shapeOf(machine.view('disk-layout'))).toEqual(shapeOf(layout));
    expect(shapeOf(machine.view('block-map'))).toEqual(shapeOf(blockMap));
  });

  it('hold the map `blocks` prints, cell for character, and its counts', () => {
    const view = machine.view<DiskView>('block-map');
    const text = machine.command('blocks');
    const drawn = view.map.cells
      .map((c) => c.region ?? (c.used === 0 ? '.' : c.used === c.count ? '#' : '+'))
      .join('');
    expect(mapCharacters(text)).toBe(drawn);
    expect(text).toContain(
      `data blocks: ${view.map.dataUsed} used, ${view.map.dataFree} free; superblock says ${view.map.superblockFree} free`,
    );
    expect(machine.view('disk-layout')).toEqual(view.map);
  });

  it('name the file that owns each block, as `inode` does', () => {
    const view = machine.view<DiskView>('block-map');
    const notes = view.files.owners.find((o) => o.path === '/home/reader/notes.txt')!;
    const text = machine.command('inode /home/reader/notes.txt');
    expect(text).toContain(`inode ${notes.inode} (/home/reader/notes.txt)`);
    expect(text).toContain(`  direct    ${notes.data.slice(0, 12).join(' ')}`);
    expect(text).toContain(`  indirect  ${notes.tables[0]} -> ${notes.data.length - 12} of 1024`);
  });

  it('grow when a file is written', () => {
    const before = machine.view<DiskView>('block-map');
    machine.command('fill /home/reader/more.bin 64K');
    const after = machine.view<DiskView>('block-map');
    // 16 data blocks, 12 named in the inode and 4 in an indirect table.
    expect(after.map.dataUsed - before.map.dataUsed).toBe(17);
    const file = after.files.owners.find((o) => o.path === '/home/reader/more.bin')!;
    expect([file.data.length, file.tables.length]).toEqual([16, 1]);
  });

  it('taking them changes nothing in the machine', () => {
    const before = machine.host.stateDigest();
    machine.view('block-map');
    machine.view('disk-layout');
    expect(machine.host.stateDigest()).toBe(before);
  });

  it('refuse a path that is not a mount point, with the reason', () => {
    expect(() => machine.view('block-map', { mount: '/home' })).toThrow(
      /\/home is not a mount point/,
    );
  });
});

describe('disk-layout figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(diskLayoutFigure(layout, context).svg).toMatchFileSnapshot(
      'golden/disk-layout.svg',
    );
  });

  it('has a part for each region and the data area, twice where the metadata is enlarged', () => {
    const { svg } = diskLayoutFigure(layout, context);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(2 * layout.regions.length + 1);
    expect(svg).toContain('journal (J): blocks 128–383, 1 MiB');
    expect(svg).toContain(`data: blocks 384–8191, ${layout.dataUsed} used`);
  });

  it('says in words what it shows, and names its source and time', () => {
    const figure = diskLayoutFigure(layout, context);
    expect(figure.alt).toContain('superblock (S): block 0');
    expect(figure.alt).toContain(`${layout.dataUsed} blocks are used`);
    expect(figure.caption).toContain('t = 1.234 s');
    expect(figure.caption).not.toMatch(/\.$/);
  });
});

describe('block-map figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(blockMapFigure(blockMap, context).svg).toMatchFileSnapshot('golden/block-map.svg');
  });

  it('has a part for every cell with something to tell, naming its files', () => {
    const { svg } = blockMapFigure(blockMap, context);
    const telling = blockMap.map.cells.filter((c) => c.region !== null || c.used > 0);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(telling.length);
    expect(svg).toMatch(
      /blocks 512–543: \d+ of 32 used by [^"]*\/home\/reader\/notes\.txt \(inode \d+\)/,
    );
    expect(svg).toContain('not read since boot: /bin, /etc, /usr');
  });

  it('says in words what it shows', () => {
    const { alt } = blockMapFigure(blockMap, context);
    expect(alt).toContain('256 cells of 32 blocks');
    expect(alt).toContain('/home/reader/notes.txt (76 blocks)');
  });
});
