/** CottonFS operations through the VFS, checked by reading back, remounting and fsck. */
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice } from '../../../src/kernel/fs/block-device';
import { CottonFs } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { FsError, Vfs } from '../../../src/kernel/fs/vfs';
import { check, clock, freshDevice, mount, run, string, text } from './helpers';

const names = (vfs: Vfs, path: string): string[] =>
  run(vfs.readdir(path))
    .map((e) => e.name)
    .sort();
const code = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    if (error instanceof FsError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('CottonFS', () => {
  it('formats an image that fsck finds clean, with an empty root of "." and ".."', () => {
    const device = freshDevice();
    expect(check(device).problems).toEqual([]);
    const { vfs, fs } = mount(device);
    expect(names(vfs, '/')).toEqual(['.', '..']);
    expect(fs.superblock.mountCount).toBe(1);
    expect(run(fs.stats())).toMatchObject({
      blockSize: 4096,
      totalBlocks: 2048,
      totalInodes: 2048,
      freeInodes: 2046,
    });
  });

  it('creates directories and files, and they survive a remount', () => {
    const device = freshDevice();
    const { vfs, fs } = mount(device);
    run(vfs.mkdirs('/home/reader'));
    run(vfs.writeFile('/home/reader/welcome.txt', text('Welcome to CottonOS\n')));
    run(fs.sync());
    const again = mount(device);
    expect(string(run(again.vfs.readFile('/home/reader/welcome.txt')))).toBe(
      'Welcome to CottonOS\n',
    );
    expect(names(again.vfs, '/home')).toEqual(['.', '..', 'reader']);
    expect(run(again.vfs.stat('/home')).links).toBe(3);
    expect(again.fs.superblock.mountCount).toBe(2);
    expect(check(device).problems).toEqual([]);
  });

  it('resolves "." and ".." and relative paths', () => {
    const { vfs } = mount(freshDevice());
    run(vfs.mkdirs('/a/b'));
    run(vfs.writeFile('/a/b/f', text('x')));
    expect(run(vfs.resolve('/a/./b/../b/f')).number).toBe(run(vfs.resolve('/a/b/f')).number);
    expect(run(vfs.resolve('../b/f', '/a/b')).number).toBe(run(vfs.resolve('/a/b/f')).number);
    expect(run(vfs.resolve('/..')).number).toBe(1);
  });

  it('reports errors with errno codes', () => {
    const { vfs } = mount(freshDevice());
    run(vfs.mkdirs('/d'));
    run(vfs.writeFile('/d/f', text('x')));
    expect(code(() => run(vfs.resolve('/nope')))).toBe('ENOENT');
    expect(code(() => run(vfs.mkdir('/d')))).toBe('EEXIST');
    expect(code(() => run(vfs.rmdir('/d')))).toBe('ENOTEMPTY');
    expect(code(() => run(vfs.unlink('/d')))).toBe('EISDIR');
    expect(code(() => run(vfs.rmdir('/d/f')))).toBe('ENOTDIR');
    expect(code(() => run(vfs.mkdir(`/${'n'.repeat(59)}`)))).toBe('ENAMETOOLONG');
    expect(code(() => run(vfs.resolve('/d/f/x')))).toBe('ENOTDIR');
    expect(code(() => run(vfs.rename('/d', '/d/sub')))).toBe('EINVAL');
  });

  it('hard links share an inode; the data goes with the last name', () => {
    const device = freshDevice();
    const { vfs } = mount(device);
    run(vfs.writeFile('/a', text('shared')));
    run(vfs.link('/a', '/b'));
    expect(run(vfs.stat('/b')).links).toBe(2);
    const free = run(vfs.rootFs.stats()).freeBlocks;
    run(vfs.unlink('/a'));
    expect(string(run(vfs.readFile('/b')))).toBe('shared');
    run(vfs.unlink('/b'));
    expect(run(vfs.rootFs.stats()).freeBlocks).toBe(free + 1);
    expect(check(device).problems).toEqual([]);
  });

  it('renames files and directories, replacing a file, moving ".." along', () => {
    const device = freshDevice();
    const { vfs, fs } = mount(device);
    run(vfs.mkdirs('/x/y'));
    run(vfs.mkdirs('/z'));
    run(vfs.writeFile('/x/y/f', text('one')));
    run(vfs.writeFile('/z/g', text('two')));
    run(vfs.rename('/x/y', '/z/y'));
    expect(run(vfs.resolve('/z/y/..')).number).toBe(run(vfs.resolve('/z')).number);
    expect(run(fs.lookup(run(vfs.resolve('/z/y')).number, '..'))).toBe(
      run(vfs.resolve('/z')).number,
    );
    run(vfs.rename('/z/y/f', '/z/g'));
    expect(string(run(vfs.readFile('/z/g')))).toBe('one');
    expect(names(vfs, '/z/y')).toEqual(['.', '..']);
    expect(run(vfs.stat('/x')).links).toBe(2);
    expect(run(vfs.stat('/z')).links).toBe(3);
    run(fs.sync());
    expect(check(device).problems).toEqual([]);
  });

  it('truncates down and up, reading zeros where data was cut off', () => {
    const { vfs } = mount(freshDevice());
    const inode = run(vfs.writeFile('/f', new Uint8Array(10_000).fill(7)));
    run(inode.truncate(5000));
    run(inode.truncate(9000));
    const data = run(vfs.readFile('/f'));
    expect(data.length).toBe(9000);
    expect(data[4999]).toBe(7);
    expect(data.subarray(5000).every((b) => b === 0)).toBe(true);
  });

  it('stores a file larger than 4 MB (through the double indirect table) and frees it all', () => {
    const device = freshDevice(4096);
    const { vfs, fs } = mount(device);
    const before = fs.superblock.freeBlocks;
    const big = Uint8Array.from({ length: 6_000_000 }, (_, i) => (i * 31) >> 3);
    run(vfs.writeFile('/big', big));
    run(fs.sync());
    const again = mount(device);
    expect(Buffer.from(run(again.vfs.readFile('/big'))).equals(big)).toBe(true);
    expect(run(again.vfs.stat('/big')).blocks).toBe(Math.ceil(6_000_000 / 4096) + 3);
    expect(check(device).problems).toEqual([]);
    run(again.vfs.unlink('/big'));
    expect(again.fs.superblock.freeBlocks).toBe(before);
  });

  it('makes sparse files beyond 1 GB and beyond 4 GB (triple indirect) with few blocks', () => {
    const device = freshDevice();
    const { vfs, fs } = mount(device);
    const file = run(run(vfs.resolve('/')).create('sparse', 'file'));
    run(file.write(1.5 * 2 ** 30, text('far')));
    run(file.write(5 * 2 ** 30, text('farther')));
    const stat = run(file.stat());
    expect(stat.size).toBe(5 * 2 ** 30 + 7);
    expect(stat.blocks).toBeLessThan(12);
    const buffer = new Uint8Array(3);
    run(file.read(1.5 * 2 ** 30, buffer));
    expect(string(buffer)).toBe('far');
    run(file.read(1.5 * 2 ** 30 - 3, buffer));
    expect([...buffer]).toEqual([0, 0, 0]);
    run(fs.sync());
    expect(check(device).problems).toEqual([]);
    run(file.truncate(2 ** 30));
    expect(run(file.stat()).blocks).toBe(0);
  });

  it('fills up with ENOSPC and stays consistent', () => {
    const device = freshDevice(512);
    const { vfs, fs } = mount(device);
    const file = run(run(vfs.resolve('/')).create('fill', 'file'));
    const written = run(file.write(0, new Uint8Array(4 * 2 ** 20)));
    expect(written).toBeLessThan(4 * 2 ** 20);
    expect(fs.superblock.freeBlocks).toBe(0);
    expect(() => run(vfs.mkdir('/more'))).toThrow(/ENOSPC/);
    run(fs.sync());
    expect(check(device).problems).toEqual([]);
  });

  it('mounts another file system on a directory', () => {
    const { vfs } = mount(freshDevice());
    const other = run(CottonFs.mount(freshDevice(), clock));
    run(vfs.mkdirs('/mnt/disk'));
    run(vfs.mount('/mnt/disk', other));
    run(vfs.writeFile('/mnt/disk/hello', text('other')));
    expect(string(run(new Vfs(other).readFile('/hello')))).toBe('other');
    expect(run(vfs.resolve('/mnt/disk/..')).number).toBe(run(vfs.resolve('/mnt')).number);
  });

  it('refuses a disk that is not CottonFS', () => {
    expect(() => run(CottonFs.mount(MemoryBlockDevice.ofSize(300), clock))).toThrow(
      /not a mountable CottonFS: bad magic 0x00000000/,
    );
  });
});
