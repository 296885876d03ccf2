import { describe, expect, it } from 'vitest';
import {
  BookFilesError,
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

describe('the book files', () => {
  it('unpack to the programs and disk files that were packed, in order', () => {
    expect(unpackBookFiles(packBookFiles(SAMPLE))).toEqual(SAMPLE);
  });

  it("carry the repository's programs and disk tree byte for byte", () => {
    const files = { programs: repoUserPrograms(), diskFiles: repoDiskFiles() };
    const unpacked = unpackBookFiles(packBookFiles(files));
    expect(unpacked.programs.map((p) => p.name)).toEqual(files.programs.map((p) => p.name));
    const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);
    expect(unpacked.programs.every((p, i) => same(p.bytes, files.programs[i]!.bytes))).toBe(true);
    expect(unpacked.diskFiles.map((f) => f.path)).toEqual(files.diskFiles.map((f) => f.path));
    expect(unpacked.diskFiles.every((f, i) => same(f.bytes, files.diskFiles[i]!.bytes))).toBe(true);
  });

  it('reject a file with another magic', () => {
    const bytes = packBookFiles(SAMPLE);
    bytes[0] = 'X'.charCodeAt(0);
    expect(() => unpackBookFiles(bytes)).toThrow(/bad magic/);
  });

  it('reject every truncation with a BookFilesError, never reading past the end', () => {
    const bytes = packBookFiles(SAMPLE);
    for (let length = 0; length < bytes.length; length++)
      expect(() => unpackBookFiles(bytes.slice(0, length)), `cut at ${length}`).toThrow(
        BookFilesError,
      );
  });

  it('reject bytes after the last entry and an unknown kind', () => {
    const bytes = packBookFiles(SAMPLE);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => unpackBookFiles(longer)).toThrow(/1 bytes after the last entry/);
    const strange = bytes.slice();
    strange[8] = 7; // the first entry's kind
    expect(() => unpackBookFiles(strange)).toThrow(/unknown kind 7/);
  });

  it('never crash on random corruption: a BookFilesError or a well-formed answer', () => {
    const seed = Number(process.env.BOOK_FILES_SEED ?? 12);
    const random = uniformRandom(seed);
    const bytes = packBookFiles(SAMPLE);
    for (let round = 0; round < 500; round++) {
      const corrupt = bytes.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++)
        corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
      try {
        const files = unpackBookFiles(corrupt);
        expect(files.programs.length + files.diskFiles.length, `seed ${seed}`).toBe(3);
      } catch (error) {
        expect(error, `seed ${seed}, round ${round}`).toBeInstanceOf(BookFilesError);
      }
    }
  });
});
