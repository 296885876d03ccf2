import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION_SEED } from '../../../src/kernel/fs/cottonfs/superblock';
import {
  diskImageProblem,
  diskSizeProblem,
  MAX_UPLOAD_BYTES,
} from '../../../src/runtime/host/disk-image-check';
import { repoBookDisk } from '../../../src/runtime/node/node-host';

describe('an uploaded disk image', () => {
  it('is accepted when it is a CottonFS disk', () => {
    expect(diskImageProblem(repoBookDisk())).toBeNull();
  });

  it('is refused when empty, too big, not whole sectors or too small for a superblock', () => {
    expect(diskSizeProblem(0)).toMatch(/empty/);
    expect(diskSizeProblem(MAX_UPLOAD_BYTES + 512)).toMatch(/at most 256 MiB/);
    expect(diskImageProblem(new Uint8Array(1000))).toMatch(
      /1000 bytes, not a whole number of 512-byte sectors/,
    );
    expect(diskImageProblem(new Uint8Array(1024))).toMatch(
      /too small to hold a CottonFS superblock/,
    );
  });

  it('is refused with a bad superblock magic or format version', () => {
    const zeros = new Uint8Array(1 << 20);
    expect(diskImageProblem(zeros)).toMatch(/^not a CottonFS disk: bad magic 0x00000000/);
    const seed = repoBookDisk().slice();
    new DataView(seed.buffer).setUint32(4, FORMAT_VERSION_SEED, true);
    expect(diskImageProblem(seed)).toMatch(/format version 1 is not supported/);
  });

  it('is refused when it is shorter than its superblock says', () => {
    expect(diskImageProblem(repoBookDisk().slice(0, 8 << 20))).toMatch(
      /says 8192 blocks but the disk has only 2048/,
    );
  });
});
