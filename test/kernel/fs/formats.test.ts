/** The on-disk structures: each encodes and decodes to itself, at the documented offsets. */
import { describe, expect, it } from 'vitest';
import {
  bitmapPosition,
  clearBit,
  findClearBit,
  setBit,
  testBit,
} from '../../../src/kernel/fs/cottonfs/bitmap';
import {
  MAX_FILE_BLOCKS,
  blockPath,
  readPointer,
  writePointer,
} from '../../../src/kernel/fs/cottonfs/block-map';
import {
  decodeDirectoryEntry,
  encodeDirectoryEntry,
  nameProblem,
  NAME_MAX,
} from '../../../src/kernel/fs/cottonfs/directory-entry';
import {
  decodeInode,
  emptyInode,
  encodeInode,
  INODE_TYPE_FILE,
} from '../../../src/kernel/fs/cottonfs/inode-format';
import {
  crc32,
  decodeJournalCommit,
  decodeJournalDescriptor,
  decodeJournalHeader,
  encodeJournalCommit,
  encodeJournalDescriptor,
  encodeJournalHeader,
  JOURNAL_COMMIT_MAGIC,
  JOURNAL_DESCRIPTOR_MAGIC,
  JOURNAL_HEADER_MAGIC,
} from '../../../src/kernel/fs/cottonfs/journal-format';
import { BLOCK_SIZE, INODE_COUNT, inodeLocation } from '../../../src/kernel/fs/cottonfs/layout';
import {
  decodeSuperblock,
  encodeSuperblock,
  superblockProblem,
  SUPERBLOCK_MAGIC,
} from '../../../src/kernel/fs/cottonfs/superblock';
import { utf8Decode, utf8Encode } from '../../../src/kernel/lib/utf8';
import type { Superblock } from '../../../src/kernel/fs/cottonfs/superblock';

const block = (): Uint8Array => new Uint8Array(BLOCK_SIZE);

const superblock: Superblock = {
  magic: SUPERBLOCK_MAGIC,
  version: 2,
  blockSize: 4096,
  totalBlocks: 16384,
  freeBlocks: 15000,
  totalInodes: INODE_COUNT,
  freeInodes: 2000,
  mountCount: 3,
  lastMountTime: 1_700_000_000,
  lastWriteTime: 1_700_000_100,
  rootInode: 1,
  journalStart: 128,
  journalBlocks: 512,
  label: 'cotton ☁',
  orphanHead: 77,
};

describe('superblock', () => {
  it('round-trips, with the magic "CTFS" in the first four bytes', () => {
    const b = block();
    encodeSuperblock(superblock, b);
    expect(decodeSuperblock(b)).toEqual(superblock);
    expect([...b.subarray(0, 4)]).toEqual([0x53, 0x46, 0x54, 0x43]); // little-endian 0x43544653
    expect(superblockProblem(superblock, 16384)).toBeNull();
  });

  it('says precisely what is wrong', () => {
    expect(superblockProblem({ ...superblock, magic: 0xdeadbeef }, 16384)).toMatch(
      /bad magic 0xdeadbeef/,
    );
    expect(superblockProblem({ ...superblock, version: 1 }, 16384)).toMatch(/format version 1/);
    expect(superblockProblem(superblock, 1000)).toMatch(/disk has only 1000/);
    expect(superblockProblem({ ...superblock, journalBlocks: 999_999 }, 16384)).toMatch(/journal/);
  });
});

describe('inode', () => {
  it('round-trips in 128 bytes, sizes above 4 GiB included, without touching its neighbours', () => {
    const inode = {
      ...emptyInode(),
      type: INODE_TYPE_FILE,
      mode: 0o644,
      links: 2,
      size: 5 * 2 ** 32 + 17,
      blocks: 9,
      accessTime: 1,
      modifyTime: 2,
      changeTime: 3,
      indirect: 200,
      doubleIndirect: 300,
      tripleIndirect: 400,
    };
    inode.direct = inode.direct.map((_, i) => 1000 + i);
    const b = block().fill(0xaa);
    encodeInode(inode, b, 128);
    expect(decodeInode(b, 128)).toEqual(inode);
    expect(b[127]).toBe(0xaa);
    expect(b[256]).toBe(0xaa);
    expect(new DataView(b.buffer).getUint32(128 + 80, true)).toBe(200);
  });

  it('lives at inode table block 64 + n/32', () => {
    expect(inodeLocation(1)).toEqual({ block: 64, offset: 128 });
    expect(inodeLocation(33)).toEqual({ block: 65, offset: 128 });
  });
});

describe('bitmap', () => {
  it('sets, tests, clears and finds bits', () => {
    const b = block();
    setBit(b, 0);
    setBit(b, 9);
    expect(testBit(b, 9)).toBe(true);
    expect(b[1]).toBe(0x02);
    expect(findClearBit(b, 0, 100)).toBe(1);
    b.fill(0xff, 0, 10);
    expect(findClearBit(b, 0, 1000)).toBe(80);
    expect(findClearBit(b, 0, 80)).toBe(-1);
    clearBit(b, 9);
    expect(findClearBit(b, 0, 100)).toBe(9);
    expect(bitmapPosition(32768 + 5)).toEqual({ blockIndex: 1, bit: 5 });
  });
});

describe('directory entry', () => {
  it('round-trips names up to 58 bytes of UTF-8', () => {
    const b = block();
    encodeDirectoryEntry({ inode: 70000, type: 2, name: 'réader' }, b, 3);
    expect(decodeDirectoryEntry(b, 3)).toEqual({ inode: 70000, type: 2, name: 'réader' });
    expect(decodeDirectoryEntry(b, 2)).toBeNull();
    expect(nameProblem('x'.repeat(NAME_MAX))).toBeNull();
    expect(nameProblem('x'.repeat(NAME_MAX + 1))).toMatch(/longer/);
    expect(nameProblem('a/b')).toMatch(/'\/'/);
    expect(nameProblem('..')).toMatch(/reserved/);
  });

  it('UTF-8 survives a round trip, and bad bytes become U+FFFD', () => {
    expect(utf8Decode(utf8Encode('héllo ☁ 🌱'))).toBe('héllo ☁ 🌱');
    expect(utf8Decode(Uint8Array.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });
});

describe('journal blocks', () => {
  it('round-trip header, descriptor and commit', () => {
    const b = block();
    encodeJournalHeader({ magic: JOURNAL_HEADER_MAGIC, sequence: 7 }, b);
    expect(decodeJournalHeader(b)).toEqual({ magic: JOURNAL_HEADER_MAGIC, sequence: 7 });
    encodeJournalDescriptor(
      { magic: JOURNAL_DESCRIPTOR_MAGIC, sequence: 8, homeBlocks: [0, 64, 900] },
      b,
    );
    expect(decodeJournalDescriptor(b)).toEqual({
      magic: JOURNAL_DESCRIPTOR_MAGIC,
      sequence: 8,
      homeBlocks: [0, 64, 900],
    });
    encodeJournalCommit(
      { magic: JOURNAL_COMMIT_MAGIC, sequence: 8, count: 3, checksum: 0xcafebabe },
      b,
    );
    expect(decodeJournalCommit(b)).toEqual({
      magic: JOURNAL_COMMIT_MAGIC,
      sequence: 8,
      count: 3,
      checksum: 0xcafebabe,
    });
  });

  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const whole = crc32(new TextEncoder().encode('12345'));
    expect(crc32(new TextEncoder().encode('6789'), whole)).toBe(0xcbf43926);
  });
});

describe('block map', () => {
  it('walks direct, single, double and triple indirect', () => {
    expect(blockPath(11)).toEqual({ depth: 0, slots: [11] });
    expect(blockPath(12)).toEqual({ depth: 1, slots: [0] });
    expect(blockPath(12 + 1023)).toEqual({ depth: 1, slots: [1023] });
    expect(blockPath(12 + 1024)).toEqual({ depth: 2, slots: [0, 0] });
    expect(blockPath(12 + 1024 + 1025)).toEqual({ depth: 2, slots: [1, 1] });
    expect(blockPath(12 + 1024 + 1024 ** 2)).toEqual({ depth: 3, slots: [0, 0, 0] });
    expect(blockPath(MAX_FILE_BLOCKS - 1)).toEqual({ depth: 3, slots: [1023, 1023, 1023] });
    expect(() => blockPath(MAX_FILE_BLOCKS)).toThrow(RangeError);
    const b = block();
    writePointer(b, 1023, 0xfedcba98);
    expect(readPointer(b, 1023)).toBe(0xfedcba98);
  });
});
