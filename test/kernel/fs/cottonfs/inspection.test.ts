/**
 * The CottonFS inspection data (the disk map, pointer trees, block owners, the
 * journal's state) against the text the shell's `blocks`, `inode` and
 * `journal` commands print from it: the figures draw this data, so what they
 * show must be what the commands say.
 */
import { describe, expect, it } from 'vitest';
import type { CottonFs } from '../../../../src/kernel/fs/cottonfs/cottonfs';
import {
  InspectionError,
  NotCached,
  blockOwners,
  diskMap,
  inodeTree,
  journalState,
  mountedAt,
  dataBlocks,
  residentCottonFs,
  tableBlocks,
  withCottonFs,
} from '../../../../src/kernel/fs/cottonfs/inspection';
import type { Vfs } from '../../../../src/kernel/fs/vfs';
import type { Kernel } from '../../../../src/kernel/proc/kernel';
import type { ShellContext } from '../../../../src/kernel/shell/command';
import { FS_INSPECT_COMMANDS } from '../../../../src/kernel/shell/fs-inspect-commands';
import { freshDevice, mount, run, text } from '../helpers';

/** Run a shell command of fs-inspect-commands.ts on `vfs`; its lines, colours removed. */
function shell(vfs: Vfs, line: string): string[] {
  const [name, ...args] = line.split(' ');
  const command = FS_INSPECT_COMMANDS.find((c) => c.name === name)!;
  let out = '';
  const sh = {
    kernel: { vfs } as unknown as Kernel,
    cwd: '/',
    write: (t: string) => {
      out += t;
    },
    println: (t = '') => {
      out += `${t}\n`;
    },
    commands: [],
    history: () => [],
  } satisfies ShellContext;
  const result = command.run(args, sh);
  if (typeof result === 'object' && result !== null && 'next' in result) run(result);
  return out
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trimEnd()
    .split('\n');
}

function machineWithFiles(): { fs: CottonFs; vfs: Vfs } {
  const disk = mount(freshDevice(4096));
  run(disk.vfs.mkdirs('/home/reader'));
  run(disk.vfs.writeFile('/home/reader/small.txt', text('x'.repeat(20 * 1024))));
  shell(disk.vfs, 'fill /home/reader/holes 12K 5M');
  return disk;
}

describe('the disk map', () => {
  it('is the map `blocks` prints, cell for character', () => {
    const { fs, vfs } = machineWithFiles();
    const map = run(withCottonFs(fs, diskMap));
    const lines = shell(vfs, 'blocks');
    const rows = lines.filter((l) => /^ +\d+ {2}\S+$/.test(l)).map((l) => l.trim().split(/ +/)[1]);
    const drawn = rows.join('');
    expect(drawn).toHaveLength(map.cells.length);
    map.cells.forEach((cell, i) => {
      const expected =
        cell.region ?? (cell.used === 0 ? '.' : cell.used === cell.count ? '#' : '+');
      expect(drawn[i], `cell ${i} (block ${cell.first})`).toBe(expected);
    });
    expect(lines[0]).toBe(
      `CottonFS "${map.label}" on /: ${map.totalBlocks} blocks of 4 KiB, ${map.blocksPerCell} blocks per character`,
    );
    expect(lines.at(-1)).toBe(
      `data blocks: ${map.dataUsed} used, ${map.dataFree} free; superblock says ${map.superblockFree} free`,
    );
  });

  it('counts every block a file owns as used, and grows when a file is written', () => {
    const { fs, vfs } = machineWithFiles();
    const before = run(withCottonFs(fs, diskMap));
    run(vfs.writeFile('/new.bin', new Uint8Array(40 * 4096)));
    const after = run(withCottonFs(fs, diskMap));
    // 40 data blocks, 12 named in the inode and 28 in one indirect table.
    expect(after.dataUsed - before.dataUsed).toBe(41);
    const owned = run(withCottonFs(fs, blockOwners)).owners.flatMap((o) => [
      ...o.data,
      ...o.tables,
    ]);
    expect(new Set(owned).size).toBe(owned.length);
    expect(owned).toHaveLength(after.dataUsed);
    const usedInCells = after.cells
      .filter((cell) => cell.first >= after.firstDataBlock)
      .reduce((sum, cell) => sum + cell.used, 0);
    expect(usedInCells).toBe(after.dataUsed);
  });

  it('names each file by its path, with the blocks of its tree', () => {
    const { fs } = machineWithFiles();
    const { owners, unread } = run(withCottonFs(fs, blockOwners));
    expect(unread).toEqual([]);
    expect(owners.map((o) => o.path)).toEqual([
      '/',
      '/home',
      '/home/reader',
      '/home/reader/small.txt',
      '/home/reader/holes',
    ]);
    const small = owners.find((o) => o.path === '/home/reader/small.txt')!;
    expect(small.data).toHaveLength(5);
    expect(small.tables).toEqual([]);
    expect(small.type).toBe('regular file');
  });

  it('refuses a path that is not a mount point', () => {
    const { vfs } = machineWithFiles();
    expect(() => mountedAt(vfs, '/home')).toThrow(InspectionError);
    expect(shell(vfs, 'blocks /home')).toEqual(['blocks: /home is not a mount point (see mount)']);
  });
});

describe('a view taken between two slices of the machine', () => {
  it('reads only what the block cache holds, and then agrees with the shell', () => {
    const { fs } = mount(freshDevice(4096));
    fs.cache.clear();
    expect(() => run(diskMap(residentCottonFs(fs)))).toThrow(
      new NotCached('block 32 is not in the block cache yet'),
    );
    const throughCache = run(withCottonFs(fs, diskMap));
    expect(run(diskMap(residentCottonFs(fs)))).toEqual(throughCache);
  });
});

describe('block owners in a view', () => {
  it('lists the files the cache lets it read, and the paths it could not read', () => {
    const { fs, vfs } = machineWithFiles();
    run(fs.sync());
    fs.cache.clear();
    run(vfs.resolve('/home/reader/small.txt'));
    const { owners, unread } = run(blockOwners(residentCottonFs(fs)));
    expect(owners.map((o) => o.path)).toEqual([
      '/',
      '/home',
      '/home/reader',
      '/home/reader/small.txt',
    ]);
    expect(unread).toEqual(['/home/reader/holes']);
  });
});

describe('the pointer tree of an inode', () => {
  it('is what `inode` prints: direct pointers, then each table and its first pointers', () => {
    const { fs, vfs } = machineWithFiles();
    const number = run(vfs.resolve('/home/reader/holes')).number;
    const tree = run(withCottonFs(fs, (inspected) => inodeTree(inspected, number)));
    const lines = shell(vfs, 'inode /home/reader/holes');
    expect(lines[0]).toBe(`inode ${number} (/home/reader/holes): regular file, mode 0644, 1 link`);
    expect(lines[3]).toBe(`  direct    ${tree.direct.join(' ')}`);
    expect(tree.indirect).toBeNull();
    expect(tree.tripleIndirect).toBeNull();
    const double = tree.doubleIndirect!;
    expect(lines[5]).toBe(
      `  double    ${double.block} -> ${double.pointers.length} of 1024 slots used: ${double.pointers.join(' ')}`,
    );
    // 5 MiB is block 1280: in the double indirect tree, past the 12 direct and 1024 single ones.
    expect(double.slots).toEqual([0]);
    expect(double.tables[0]!.slots).toEqual([244, 245, 246]);
    expect(dataBlocks(tree)).toHaveLength(3);
    expect(tableBlocks(tree)).toEqual([double.block, double.tables[0]!.block]);
    expect(dataBlocks(tree).length + tableBlocks(tree).length).toBe(tree.blocks);
  });

  it('counts the blocks of a small file in its direct pointers only', () => {
    const { fs, vfs } = machineWithFiles();
    const number = run(vfs.resolve('/home/reader/small.txt')).number;
    const tree = run(withCottonFs(fs, (inspected) => inodeTree(inspected, number)));
    expect(tree.direct.filter((b) => b !== 0)).toHaveLength(5);
    expect(tree.blocks).toBe(5);
    expect(shell(vfs, 'inode /home/reader/small.txt')[4]).toBe('  indirect  0');
  });
});

describe('the journal state', () => {
  it('is what `journal` prints, before and after a sync', () => {
    const { fs, vfs } = machineWithFiles();
    const running = journalState(residentCottonFs(fs));
    expect(running.dirtyBlocks).toBeGreaterThan(0);
    expect(shell(vfs, 'journal').at(-1)).toBe(
      `  running   ${running.dirtyBlocks} blocks changed in the cache, not yet committed (sync, or the flusher within a second)`,
    );
    run(fs.sync());
    const synced = journalState(residentCottonFs(fs));
    expect(synced.dirtyBlocks).toBe(0);
    const transaction = synced.transaction!;
    expect(transaction.state).toBe('checkpointed');
    expect(transaction.committed).toBe(true);
    const lines = shell(vfs, 'journal');
    expect(lines[1]).toBe(
      `  header    sequence ${synced.headerSequence}: the next transaction is #${synced.headerSequence}`,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^  log {7}transaction #${transaction.sequence}, ${transaction.homeBlocks.length} blocks: ${transaction.homeBlocks.slice(0, 10).join(' ')}`,
      ),
    );
    expect(lines[3]).toBe(
      `  commit    record valid (CRC-32 ${transaction.checksum.toString(16).padStart(8, '0')})`,
    );
  });
});
