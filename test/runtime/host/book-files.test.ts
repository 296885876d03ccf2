import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { buildBookDiskImage, type WrittenImage } from '../../../src/runtime/host/book-disk';
import {
  BookFilesError,
  diskImage,
  MAX_IMAGE_BYTES,
  packBookFiles,
  unpackBookFiles,
} from '../../../src/runtime/host/book-files';
import { repoDiskFiles, repoUserPrograms } from '../../../src/runtime/node/node-host';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

const SAMPLE = {
  programs: [
    { name: '/bin/hello', bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]) },
    { name: '/bin/empty', bytes: new Uint8Array() },
  ],
  diskFiles: [{ path: '/usr/share/fonts/é.psf', bytes: new Uint8Array([9, 8, 7]) }],
};

/** A disk of eight 8-byte blocks: a superblock of its own, /bin/hello's bytes twice (journal and home), the font once. */
function sampleDisk(): WrittenImage {
  const bytes = new Uint8Array(64);
  bytes.set([0x43, 0x54, 0x46, 0x53], 0);
  bytes.set(SAMPLE.programs[0]!.bytes, 16);
  bytes.set(SAMPLE.programs[0]!.bytes, 40);
  bytes.set(SAMPLE.diskFiles[0]!.bytes, 56);
  return { bytes, written: [0, 16, 40, 56, 8].map((offset) => [offset, 8] as const) };
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);

describe('the book files', () => {
  it('unpack to the programs and disk files that were packed, in order, and the disk', () => {
    const { programs, diskFiles, disk } = unpackBookFiles(packBookFiles(SAMPLE, sampleDisk()));
    expect({ programs, diskFiles }).toEqual(SAMPLE);
    const image = diskImage(disk);
    expect(same(image.bytes, sampleDisk().bytes)).toBe(true);
    expect(image.written).toEqual(sampleDisk().written);
  });

  it("carry a disk block a file has as the file's block, and each other content once", () => {
    const withDisk = packBookFiles(SAMPLE, sampleDisk());
    const blocks =
      withDisk.length - packBookFiles(SAMPLE, { bytes: new Uint8Array(64), written: [] }).length;
    // The superblock and the zero block are the disk's own; every written block is a number and an index.
    expect(blocks).toBe(2 * 8 + 5 * 8);
  });

  it('make a fresh image each time: what one machine writes is not in the next', () => {
    const { disk } = unpackBookFiles(packBookFiles(SAMPLE, sampleDisk()));
    diskImage(disk).bytes.fill(0xff);
    expect(same(diskImage(disk).bytes, sampleDisk().bytes)).toBe(true);
  });

  it("carry the repository's programs, disk tree and book's disk byte for byte, the disk costing little more", () => {
    const files = { programs: repoUserPrograms(), diskFiles: repoDiskFiles() };
    const built = buildBookDiskImage(files.programs, { files: files.diskFiles });
    const packed = packBookFiles(files, built);
    const unpacked = unpackBookFiles(packed);
    expect(unpacked.programs.map((p) => p.name)).toEqual(files.programs.map((p) => p.name));
    expect(unpacked.programs.every((p, i) => same(p.bytes, files.programs[i]!.bytes))).toBe(true);
    expect(unpacked.diskFiles.map((f) => f.path)).toEqual(files.diskFiles.map((f) => f.path));
    expect(unpacked.diskFiles.every((f, i) => same(f.bytes, files.diskFiles[i]!.bytes))).toBe(true);
    const image = diskImage(unpacked.disk);
    expect(same(image.bytes, built.bytes)).toBe(true);
    expect(image.written).toEqual(built.written);
    const withoutDisk = packBookFiles(files, { bytes: new Uint8Array(4096), written: [] });
    expect(gzipSync(packed).length - gzipSync(withoutDisk).length).toBeLessThan(8 * 1024);
  });

  it('reject a file with another magic', () => {
    const bytes = packBookFiles(SAMPLE, sampleDisk());
    bytes[0] = 'X'.charCodeAt(0);
    expect(() => unpackBookFiles(bytes)).toThrow(/bad magic/);
  });

  it('reject every truncation with a BookFilesError, never reading past the end', () => {
    const bytes = packBookFiles(SAMPLE, sampleDisk());
    for (let length = 0; length < bytes.length; length++)
      expect(() => unpackBookFiles(bytes.slice(0, length)), `cut at ${length}`).toThrow(
        BookFilesError,
      );
  });

  it('reject a disk larger than any book has, or a block that is not on it', () => {
    const bytes = packBookFiles(SAMPLE, sampleDisk());
    const view = new DataView(bytes.buffer);
    const diskAt = bytes.length - (12 + 2 * 8 + 4 + 5 * 8);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(diskAt, MAX_IMAGE_BYTES + 8, true);
    expect(() => unpackBookFiles(huge)).toThrow(/larger than any book's/);
    const outside = bytes.slice();
    new DataView(outside.buffer).setUint32(bytes.length - 8, 8, true); // the last block's number: block 8 of 0-7
    expect(() => unpackBookFiles(outside)).toThrow(/written block 4 is not on the disk/);
    const noContent = bytes.slice();
    new DataView(noContent.buffer).setUint32(bytes.length - 4, 99, true);
    expect(() => unpackBookFiles(noContent)).toThrow(/written block 4 .* has no content/);
    expect(view.getUint32(diskAt, true)).toBe(64);
  });

  it('reject bytes after the disk and an unknown kind', () => {
    const bytes = packBookFiles(SAMPLE, sampleDisk());
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => unpackBookFiles(longer)).toThrow(/1 bytes after the disk/);
    const strange = bytes.slice();
    strange[8] = 7; // the first entry's kind
    expect(() => unpackBookFiles(strange)).toThrow(/unknown kind 7/);
  });

  it('never crash on random corruption: a BookFilesError or a well-formed answer', () => {
    const seed = Number(process.env.BOOK_FILES_SEED ?? 12);
    const random = uniformRandom(seed);
    const bytes = packBookFiles(SAMPLE, sampleDisk());
    for (let round = 0; round < 500; round++) {
      const corrupt = bytes.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++)
        corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
      try {
        const files = unpackBookFiles(corrupt);
        expect(files.programs.length + files.diskFiles.length, `seed ${seed}`).toBe(3);
        expect(files.disk.imageBytes, `seed ${seed}`).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
      } catch (error) {
        expect(error, `seed ${seed}, round ${round}`).toBeInstanceOf(BookFilesError);
      }
    }
  });
});
