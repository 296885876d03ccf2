/**
 * Inode lifetimes as in Unix: a name goes at unlink, the inode and its blocks
 * at the last close; an orphan left by a power cut is freed at the next mount
 * and by fsck. Mount points are busy.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice } from '../../../src/kernel/fs/block-device';
import { CottonFs, format } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { fsckExitCode } from '../../../src/kernel/fs/cottonfs/fsck';
import { decodeSuperblock } from '../../../src/kernel/fs/cottonfs/superblock';
import { InodeFile } from '../../../src/kernel/fs/open-file';
import { FsError, Vfs } from '../../../src/kernel/fs/vfs';
import {
  PowerCut,
  PowerCutDevice,
  check,
  clock,
  freshDevice,
  mount,
  run,
  string,
  text,
} from './helpers';

const code = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    if (error instanceof FsError) return error.code;
    throw error;
  }
  return 'no error';
};

/** Open `path` for reading and writing, as open(2) does through the VFS. */
function open(vfs: Vfs, path: string): InodeFile {
  return new InodeFile(run(vfs.resolve(path)), true, true, false);
}

function readAll(file: InodeFile): string {
  run(file.seek(0, 0));
  const buffer = new Uint8Array(4096);
  return string(buffer.subarray(0, run(file.read(buffer))));
}

describe('inode lifetimes', () => {
  it('keep an unlinked open file alive: a new file gets another inode, the old descriptor its own data', () => {
    const { fs, vfs } = mount(freshDevice());
    run(vfs.writeFile('/victim', text('old data')));
    const freeBefore = fs.superblock.freeInodes;
    const file = open(vfs, '/victim');
    run(vfs.unlink('/victim'));
    const fresh = run(vfs.writeFile('/newcomer', text('new data')));
    expect(fresh.number).not.toBe(file.inode.number);
    expect(readAll(file)).toBe('old data');
    run(file.write(text(' and more')));
    expect(string(run(vfs.readFile('/newcomer')))).toBe('new data');
    expect(run(file.stat()).links).toBe(0);
    file.release();
    run(fs.sync());
    expect(fs.superblock.freeInodes).toBe(freeBefore); // victim freed, newcomer taken
    expect(fs.superblock.orphanHead).toBe(0);
    expect(check(fs.device).problems).toEqual([]);
  });

  it('count every open reference, and free the inode only at the last of them', () => {
    const { vfs } = mount(freshDevice());
    run(vfs.writeFile('/shared', text('x'.repeat(10_000))));
    const { freeBlocks } = run(vfs.rootFs.stats());
    const first = open(vfs, '/shared');
    const second = open(vfs, '/shared');
    run(vfs.unlink('/shared'));
    first.release();
    run(vfs.syncAll());
    expect(run(vfs.rootFs.stats()).freeBlocks).toBe(freeBlocks);
    expect(readAll(second).length).toBe(4096);
    second.release();
    run(vfs.syncAll());
    expect(run(vfs.rootFs.stats()).freeBlocks).toBe(freeBlocks + 3);
  });

  it('free an orphan left by a power cut at the next mount, and fsck frees it the same way', () => {
    const device = freshDevice();
    const { fs, vfs } = mount(device);
    const freeInodes = fs.superblock.freeInodes;
    run(vfs.writeFile('/doomed', text('y'.repeat(9000))));
    const file = open(vfs, '/doomed');
    run(vfs.unlink('/doomed'));
    run(fs.sync()); // the power goes now, with the file still open
    expect(decodeSuperblock(device.bytes.subarray(0, 4096)).orphanHead).toBe(file.inode.number);

    const report = check(new MemoryBlockDevice(device.bytes.slice()));
    expect(report.problems).toEqual([]);
    expect(report.notes).toContain(
      'orphan list: freed 1 inodes unlinked while open (as mount does)',
    );
    expect(fsckExitCode(report)).toBe(0);

    const again = mount(device).fs;
    expect(again.releasedOrphans).toBe(1);
    expect(again.superblock.freeInodes).toBe(freeInodes);
    expect(again.superblock.orphanHead).toBe(0);
    expect(check(device).notes).toEqual([]);
  });

  it('survive a power cut at any point of a mount that frees orphans: the next mount finishes it', () => {
    const device = freshDevice(2048, 128);
    const { fs, vfs } = mount(device);
    const files = Array.from({ length: 12 }, (_, i) => {
      run(vfs.writeFile(`/f${i}`, text('z'.repeat(5000))));
      return open(vfs, `/f${i}`);
    });
    for (let i = 0; i < files.length; i++) run(vfs.unlink(`/f${i}`));
    run(fs.sync());
    const image = device.bytes.slice();
    for (let budget = 0; budget < 60; budget += 3) {
      const copy = new MemoryBlockDevice(image.slice());
      try {
        run(CottonFs.mount(new PowerCutDevice(copy, budget), clock));
      } catch (error) {
        if (!(error instanceof PowerCut)) throw error;
      }
      const after = mount(copy).fs;
      expect(after.superblock.orphanHead, `power cut after ${budget} writes`).toBe(0);
      expect(check(copy).problems, `power cut after ${budget} writes`).toEqual([]);
    }
  });

  it('let fsck clear a damaged orphan list and still end clean', () => {
    const device = freshDevice();
    const { fs } = mount(device);
    fs.superblock.orphanHead = 5000; // beyond the inode table
    fs.superblockChanged();
    run(fs.sync());
    expect(code(() => run(CottonFs.mount(device, clock)))).toBe('EIO');
    expect(check(device, true).problems[0]).toMatch(/orphan list: inode number 5000/);
    expect(check(device).problems).toEqual([]);
  });

  it('refuse an orphan list naming a file that still has a name, which fsck then unlinks', () => {
    const device = freshDevice();
    const { fs, vfs } = mount(device);
    const named = run(vfs.writeFile('/named', text('keep me')));
    fs.superblock.orphanHead = named.number;
    fs.superblockChanged();
    run(fs.sync());
    expect(code(() => run(CottonFs.mount(device, clock)))).toBe('EIO');
    expect(check(device, true).problems[0]).toMatch(
      /orphan list: inode \d+ is free or still named/,
    );
    expect(check(device).problems).toEqual([]);
    expect(string(run(mount(device).vfs.readFile('/named')))).toBe('keep me');
  });

  it('show a removed open directory as empty, and free it at the close', () => {
    const { fs, vfs } = mount(freshDevice());
    run(vfs.mkdir('/gone'));
    const freeInodes = fs.superblock.freeInodes;
    const directory = open(vfs, '/gone');
    run(vfs.rmdir('/gone'));
    expect(run(directory.inode.readdir())).toEqual([]);
    expect(run(directory.stat()).links).toBe(0);
    expect(code(() => run(directory.inode.lookup('.')))).toBe('ENOENT');
    directory.release();
    run(fs.sync());
    expect(fs.superblock.freeInodes).toBe(freeInodes + 1);
    expect(check(fs.device).problems).toEqual([]);
  });

  it('free a file replaced by rename only at its last close', () => {
    const { fs, vfs } = mount(freshDevice());
    run(vfs.writeFile('/a', text('A')));
    run(vfs.writeFile('/b', text('B')));
    const file = open(vfs, '/b');
    run(vfs.rename('/a', '/b'));
    expect(readAll(file)).toBe('B');
    expect(string(run(vfs.readFile('/b')))).toBe('A');
    file.release();
    run(fs.sync());
    expect(check(fs.device).problems).toEqual([]);
  });

  it('give a reused inode number a new generation', () => {
    const { fs, vfs } = mount(freshDevice());
    const first = run(vfs.mkdir('/one'));
    const generation = first.generation;
    run(vfs.rmdir('/one'));
    const second = run(vfs.mkdir('/two'));
    expect(second.number).toBe(first.number);
    expect(second.generation).toBe((generation ?? 0) + 1);
    expect(fs.generation(second.number)).toBe(second.generation);
  });
});

describe('mount points', () => {
  function mounted(): Vfs {
    const vfs = mount(freshDevice()).vfs;
    const other = MemoryBlockDevice.ofSize(1024);
    run(format(other, { clock }));
    run(vfs.mkdirs('/mnt'));
    run(vfs.mkdirs('/empty'));
    run(vfs.mount('/mnt', run(CottonFs.mount(other, clock))));
    return vfs;
  }

  it('cannot be removed or renamed, or replaced by a rename (EBUSY)', () => {
    const vfs = mounted();
    expect(code(() => run(vfs.rmdir('/mnt')))).toBe('EBUSY');
    expect(code(() => run(vfs.rename('/mnt', '/m2')))).toBe('EBUSY');
    expect(code(() => run(vfs.rename('/empty', '/mnt')))).toBe('EBUSY');
    expect(run(vfs.mkdir('/mnt/inside')).fs).not.toBe(run(vfs.resolve('/empty')).fs);
  });

  it('answer EXDEV for a rename or link to another file system', () => {
    const vfs = mounted();
    run(vfs.writeFile('/file', text('f')));
    expect(code(() => run(vfs.rename('/file', '/mnt/file')))).toBe('EXDEV');
    expect(code(() => run(vfs.link('/file', '/mnt/file')))).toBe('EXDEV');
  });
});
