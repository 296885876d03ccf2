/**
 * Damaged images: mount refuses them with a message that says why, or the
 * file system reports EIO for the damaged part; fsck names each problem and
 * repairs it. Nothing throws anything but an FsError (no TypeError, no
 * RangeError, no endless loop), whatever the damage.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice } from '../../../src/kernel/fs/block-device';
import { CottonFs } from '../../../src/kernel/fs/cottonfs/cottonfs';
import {
  DIRENT_SIZE,
  DIRENTS_PER_BLOCK,
  decodeDirectoryEntry,
} from '../../../src/kernel/fs/cottonfs/directory-entry';
import { decodeInode, encodeInode } from '../../../src/kernel/fs/cottonfs/inode-format';
import type { DiskInode } from '../../../src/kernel/fs/cottonfs/inode-format';
import { fsckExitCode } from '../../../src/kernel/fs/cottonfs/fsck';
import {
  BLOCK_SIZE,
  DATA_BITMAP_START,
  INODE_BITMAP_START,
  ROOT_INODE,
  inodeLocation,
} from '../../../src/kernel/fs/cottonfs/layout';
import { FsError, Vfs } from '../../../src/kernel/fs/vfs';
import { check, clock, freshDevice, mount, run, text } from './helpers';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

const JOURNAL_BLOCKS = 128;
/** Random damage runs: each checks, repairs, re-checks and walks one damaged image (about 70 ms). */
const SEEDS = 48;

/** A small populated image: directories two deep, small and large files (one with an indirect block). */
function populated(): MemoryBlockDevice {
  const device = freshDevice(1024, JOURNAL_BLOCKS);
  const { vfs, fs } = mount(device);
  run(vfs.mkdirs('/home/reader/notes'));
  run(vfs.mkdirs('/bin'));
  run(vfs.writeFile('/home/reader/welcome.txt', text('Welcome\n')));
  run(vfs.writeFile('/home/reader/notes/big', new Uint8Array(100_000).fill(3)));
  run(vfs.writeFile('/bin/hello', new Uint8Array(9000).fill(9)));
  for (let i = 0; i < 20; i++) run(vfs.writeFile(`/bin/tool${i}`, text(`tool ${i}\n`)));
  run(fs.sync());
  return device;
}

const copy = (device: MemoryBlockDevice): MemoryBlockDevice =>
  new MemoryBlockDevice(device.bytes.slice());

function inodeOf(device: MemoryBlockDevice, path: string): number {
  return run(mount(copy(device)).vfs.resolve(path)).number;
}

function editInode(
  device: MemoryBlockDevice,
  number: number,
  change: (inode: DiskInode) => void,
): void {
  const { block, offset } = inodeLocation(number);
  const table = device.bytes.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE);
  const inode = decodeInode(table, offset);
  change(inode);
  encodeInode(inode, table, offset);
}

function readInode(device: MemoryBlockDevice, number: number): DiskInode {
  const { block, offset } = inodeLocation(number);
  return decodeInode(device.bytes.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE), offset);
}

/** The byte offset in the image of directory `directory`'s entry `name`. */
function entryOffset(device: MemoryBlockDevice, directory: number, name: string): number {
  const block = readInode(device, directory).direct[0]!;
  const data = device.bytes.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE);
  for (let slot = 0; slot < DIRENTS_PER_BLOCK; slot++) {
    if (decodeDirectoryEntry(data, slot)?.name === name)
      return block * BLOCK_SIZE + slot * DIRENT_SIZE;
  }
  throw new Error(`no entry ${name}`);
}

function setU32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, true);
}

/** The error `action` throws (which must be an FsError), or null. */
function fsErrorOf(action: () => unknown): FsError | null {
  try {
    action();
    return null;
  } catch (error) {
    expect(error, String((error as Error).stack)).toBeInstanceOf(FsError);
    return error as FsError;
  }
}

/** Repair, then check again: the second check must be clean. Returns the first report's problems. */
function repairs(device: MemoryBlockDevice): string[] {
  const found = check(device);
  expect(found.fatal).toBeNull();
  expect(fsckExitCode(found)).toBe(4);
  const repaired = check(device, true);
  expect(repaired.problems).toEqual(found.problems);
  expect(fsckExitCode(repaired)).toBe(1);
  expect(check(device).problems).toEqual([]);
  return found.problems;
}

/** Visit every directory and file reachable from the root (each directory once), reading every file. */
function walk(vfs: Vfs): void {
  const seen = new Set<number>();
  const visit = (path: string): void => {
    const inode = run(vfs.resolve(path));
    if (seen.has(inode.number)) return;
    seen.add(inode.number);
    const stat = run(inode.stat());
    if (stat.type !== 'directory') {
      run(vfs.readFile(path));
      return;
    }
    for (const entry of run(inode.readdir())) {
      if (entry.name === '.' || entry.name === '..') continue;
      fsErrorOf(() => visit(`${path === '/' ? '' : path}/${entry.name}`));
    }
  };
  visit('/');
}

describe('a damaged superblock', () => {
  it('bad magic: mount refuses, fsck cannot check (exit 8)', () => {
    const device = populated();
    device.bytes[0]! ^= 0xff;
    expect(fsErrorOf(() => run(CottonFs.mount(device, clock)))?.message).toMatch(
      /not a mountable CottonFS: bad magic 0x435446ac/,
    );
    const report = check(device, true);
    expect(report.fatal).toMatch(/bad magic/);
    expect(fsckExitCode(report)).toBe(8);
  });

  it("wrong version: the seed's version 1 and an unknown version 3 are refused", () => {
    for (const version of [1, 3]) {
      const device = populated();
      setU32(device.bytes, 4, version);
      expect(fsErrorOf(() => run(CottonFs.mount(device, clock)))?.message).toContain(
        `format version ${version} is not supported (this CottonFS reads version 2)`,
      );
      expect(check(device).fatal).toContain(`format version ${version}`);
    }
  });

  it('sizes that do not fit: block count beyond the disk, a misplaced journal, a zero block size', () => {
    const cases: [number, number, RegExp][] = [
      [12, 5000, /says 5000 blocks but the disk has only 1024/],
      [44, 7, /journal blocks 7\+128 do not fit the disk/],
      [8, 0, /block size 0 is not 4096/],
    ];
    for (const [offset, value, message] of cases) {
      const device = populated();
      setU32(device.bytes, offset, value);
      expect(fsErrorOf(() => run(CottonFs.mount(device, clock)))?.message).toMatch(message);
      expect(check(device).fatal).toMatch(message);
    }
  });

  it('a damaged journal header: mount refuses and asks for fsck, which resets the journal', () => {
    const device = populated();
    device.bytes[128 * BLOCK_SIZE]! ^= 0x55;
    expect(fsErrorOf(() => run(CottonFs.mount(device, clock)))?.message).toMatch(
      /journal header at block 128 has bad magic.*run fsck --repair/,
    );
    expect(repairs(device)).toEqual([
      expect.stringMatching(/journal header .* journal reset to empty/),
    ]);
    walk(mount(device).vfs);
  });
});

describe('a truncated image', () => {
  it('mount and fsck say the disk is smaller than the superblock claims', () => {
    const device = populated();
    const half = new MemoryBlockDevice(device.bytes.slice(0, 512 * BLOCK_SIZE + 100));
    expect(fsErrorOf(() => run(CottonFs.mount(half, clock)))?.message).toMatch(
      /says 1024 blocks but the disk has only 512/,
    );
    expect(fsckExitCode(check(half))).toBe(8);
  });

  it('an image shorter than a block is an empty disk', () => {
    for (const length of [0, 100, BLOCK_SIZE - 1]) {
      const tiny = new MemoryBlockDevice(populated().bytes.slice(0, length));
      expect(fsErrorOf(() => run(CottonFs.mount(tiny, clock)))?.message).toMatch(
        /the disk is empty/,
      );
      expect(check(tiny).fatal).toMatch(/the disk is empty/);
    }
  });
});

describe('bitmaps that lie', () => {
  it('a used block marked free, a free block marked used', () => {
    const device = populated();
    const big = readInode(device, inodeOf(device, '/home/reader/notes/big'));
    const used = big.direct[0]!;
    device.bytes[DATA_BITMAP_START * BLOCK_SIZE + (used >> 3)]! &= ~(1 << (used & 7));
    device.bytes[DATA_BITMAP_START * BLOCK_SIZE + 120]! |= 0x01; // block 960: free
    expect(repairs(device)).toEqual([
      `block bitmap is wrong: block ${used} is marked free but in use; block 960 is marked used but free: rebuilt`,
    ]);
  });

  it('an inode in use marked free, and a free one marked used', () => {
    const device = populated();
    const hello = inodeOf(device, '/bin/hello');
    device.bytes[INODE_BITMAP_START * BLOCK_SIZE + (hello >> 3)]! &= ~(1 << (hello & 7));
    device.bytes[INODE_BITMAP_START * BLOCK_SIZE + 200] = 0x80; // inode 1607
    expect(repairs(device)).toEqual([
      `inode bitmap is wrong: inode ${hello} is marked free but in use; inode 1607 is marked used but free: rebuilt`,
    ]);
  });

  it('superblock free counts that lie', () => {
    const device = populated();
    setU32(device.bytes, 16, 3);
    setU32(device.bytes, 24, 2000);
    const problems = repairs(device);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^superblock: 2000 free inodes, but \d+ are free: set$/);
    expect(problems[1]).toMatch(/^superblock: 3 free blocks, but \d+ are free: set$/);
  });
});

describe('loops in directories', () => {
  it('a directory entry naming an ancestor: fsck removes it; the kernel still walks the tree', () => {
    const device = populated();
    const reader = inodeOf(device, '/home/reader');
    const notes = inodeOf(device, '/home/reader/notes');
    const at = entryOffset(device, notes, '.');
    // Give "notes" a second entry, "up", naming /home/reader: a cycle reader → notes → up → reader.
    const slot = at + 3 * DIRENT_SIZE; // ".", "..", "big", then free
    device.bytes.set(device.bytes.subarray(at, at + DIRENT_SIZE), slot);
    setU32(device.bytes, slot, reader);
    device.bytes[slot + 5] = 2;
    device.bytes.set(text('up'), slot + 6);
    walk(mount(copy(device)).vfs);
    const { vfs } = mount(copy(device));
    expect(
      fsErrorOf(() => run(vfs.rename('/home/reader', '/home/reader/notes/up/moved')))?.code,
    ).toBe('EINVAL');
    expect(repairs(device)).toEqual([
      `/home/reader/notes/ (directory ${notes}, block 0 slot 3): entry 'up' names directory ${reader}, which is already reached elsewhere (a loop or a hard link to a directory): entry removed`,
    ]);
  });

  it('".." naming the directory itself: rename refuses to loop forever, fsck corrects it', () => {
    const device = populated();
    const notes = inodeOf(device, '/home/reader/notes');
    const reader = inodeOf(device, '/home/reader');
    setU32(device.bytes, entryOffset(device, notes, '..'), notes);
    const { vfs } = mount(copy(device));
    run(vfs.mkdir('/elsewhere'));
    // Moving /elsewhere below notes walks up notes' ".." chain, which now never reaches the root.
    expect(fsErrorOf(() => run(vfs.rename('/elsewhere', '/home/reader/notes/x')))?.message).toMatch(
      /loops; run fsck/,
    );
    const problems = repairs(device);
    expect(problems).toContain(
      `/home/reader/notes/ (directory ${notes}, block 0 slot 1): '..' names inode ${notes}, not its parent ${reader}: entry corrected`,
    );
  });
});

describe('pointers out of range', () => {
  it('a direct pointer beyond the disk and one into the metadata: EIO on read, cleared by fsck', () => {
    const device = populated();
    const hello = inodeOf(device, '/bin/hello');
    editInode(device, hello, (inode) => {
      inode.direct[0] = 999_999;
      inode.direct[1] = INODE_BITMAP_START;
    });
    expect(fsErrorOf(() => run(mount(copy(device)).vfs.readFile('/bin/hello')))?.message).toMatch(
      new RegExp(
        `EIO: inode ${hello}: block pointer 999999 is outside the data area \\(256–1023\\); run fsck`,
      ),
    );
    const problems = repairs(device);
    expect(problems.slice(0, 2)).toEqual([
      `inode ${hello}: file block 0 points to block 999999, outside the data area (256–1023): pointer cleared`,
      `inode ${hello}: file block 1 points to block 1, outside the data area (256–1023): pointer cleared`,
    ]);
    expect(problems[2]).toMatch(
      new RegExp(`^inode ${hello}: block count 3, but 1 blocks are allocated: set$`),
    );
    expect(run(mount(device).vfs.readFile('/bin/hello')).subarray(8192)).toEqual(
      new Uint8Array(808).fill(9),
    );
  });

  it('an indirect block with a bad pointer, shared with another file', () => {
    const device = populated();
    const big = inodeOf(device, '/home/reader/notes/big');
    const hello = inodeOf(device, '/bin/hello');
    const indirect = readInode(device, big).indirect;
    setU32(device.bytes, indirect * BLOCK_SIZE + 4, 0xffff_ffff);
    editInode(device, hello, (inode) => {
      inode.indirect = indirect;
    });
    // /bin is reached before /home/reader/notes, so hello claims the shared table (and its bad pointer) first.
    expect(repairs(device)).toEqual([
      `inode ${hello}: file block 13 points to block 4294967295, outside the data area (256–1023): pointer cleared`,
      `inode ${hello}: block count 3, but 16 blocks are allocated: set`,
      `inode ${hello}: size 9000, but it has data in file block 24: size set to 102400`,
      `inode ${big}: the depth-1 table for file blocks from 12 points to block ${indirect}, which inode ${hello} already uses: pointer cleared`,
      `inode ${big}: block count 26, but 12 blocks are allocated: set`,
      `block bitmap is wrong: block ${indirect + 2} is marked used but free: rebuilt`,
      'superblock: 713 free blocks, but 714 are free: set',
    ]);
    walk(mount(device).vfs);
  });

  it('a directory entry naming an inode beyond the table, or a free one', () => {
    const device = populated();
    const bin = inodeOf(device, '/bin');
    setU32(device.bytes, entryOffset(device, bin, 'tool3'), 5000);
    setU32(device.bytes, entryOffset(device, bin, 'tool4'), 2000);
    const { vfs } = mount(copy(device));
    expect(fsErrorOf(() => run(vfs.readFile('/bin/tool3')))?.message).toMatch(
      /inode number 5000 is outside 1–2047; run fsck/,
    );
    expect(fsErrorOf(() => run(vfs.readFile('/bin/tool4')))?.message).toMatch(
      /inode 2000 is named by a directory but free; run fsck/,
    );
    const problems = repairs(device);
    expect(problems).toContain(
      `/bin/ (directory ${bin}, block 0 slot 6): entry 'tool3' names inode 5000, beyond the last (2047): entry removed`,
    );
    expect(problems).toContain(
      `/bin/ (directory ${bin}, block 0 slot 7): entry 'tool4' names inode 2000, which is free: entry removed`,
    );
  });
});

describe('random damage', () => {
  /** The blocks worth damaging: superblock, bitmaps, the used part of the inode table, and every used data block. */
  function targets(device: MemoryBlockDevice): { block: number; span: number }[] {
    const list = [
      { block: 0, span: 96 },
      { block: INODE_BITMAP_START, span: 16 },
      { block: DATA_BITMAP_START, span: 160 },
      { block: inodeLocation(ROOT_INODE).block, span: 40 * 128 },
    ];
    const bitmap = device.bytes.subarray(DATA_BITMAP_START * BLOCK_SIZE);
    for (let block = 128 + JOURNAL_BLOCKS; block < device.blockCount; block++) {
      if (bitmap[block >> 3]! & (1 << (block & 7))) list.push({ block, span: BLOCK_SIZE });
    }
    return list;
  }

  it('never makes fsck, mount or the file system throw anything but FsError, and fsck --repair always ends clean', () => {
    const original = populated();
    const places = targets(original);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const random = uniformRandom(seed);
      const device = copy(original);
      const damage = 1 + Math.floor(random() * 6);
      for (let i = 0; i < damage; i++) {
        const { block, span } = places[Math.floor(random() * places.length)]!;
        device.bytes[block * BLOCK_SIZE + Math.floor(random() * span)] = Math.floor(random() * 256);
      }
      const context = `seed ${seed}`;
      const found = check(device);
      const mountError = fsErrorOf(() => walk(mount(copy(device)).vfs));
      if (found.fatal) {
        expect(mountError, context).not.toBeNull();
        continue;
      }
      const repaired = check(device, true);
      expect(repaired.fatal, context).toBeNull();
      expect(
        check(device).problems,
        `${context}: after repairing ${JSON.stringify(repaired.problems)}`,
      ).toEqual([]);
      walk(mount(device).vfs);
    }
  });
});
