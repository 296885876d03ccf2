import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../../src/emu/sha256';
import { MemoryBlockDevice, runToCompletion as run } from '../../../src/kernel/fs/block-device';
import { CottonFs } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { fsck } from '../../../src/kernel/fs/cottonfs/fsck';
import { Vfs } from '../../../src/kernel/fs/vfs';
import {
  BOOK_DISK_BYTES,
  bookDiskVersion,
  buildBookDisk,
  buildBookDiskImage,
} from '../../../src/runtime/host/book-disk';
import {
  freshBookDisk,
  repoBookDisk,
  repoDiskFiles,
  repoUserPrograms,
} from '../../../src/runtime/node/node-host';
import { DEFAULT_START_TIME } from '../../../src/emu/machine';

function mount(bytes: Uint8Array): Vfs {
  return new Vfs(
    run(CottonFs.mount(new MemoryBlockDevice(bytes.slice()), () => DEFAULT_START_TIME)),
  );
}

describe("the book's disk", () => {
  const programs = repoUserPrograms();

  it('is BOOK_DISK_BYTES of CottonFS that fsck finds clean', () => {
    const image = repoBookDisk();
    expect(image.length).toBe(BOOK_DISK_BYTES);
    const report = run(fsck(new MemoryBlockDevice(image.slice()), { repair: false }));
    expect(report.fatal ?? null).toBeNull();
    expect(report.problems).toEqual([]);
    // The programs, the four default files and the disk/ tree's files.
    expect(report.files).toBe(programs.length + 4 + repoDiskFiles().length);
  });

  it('is the same bytes every time it is built from the same programs', () => {
    const again = buildBookDisk(programs, { files: repoDiskFiles() });
    expect(toHex(sha256(again))).toBe(toHex(sha256(repoBookDisk())));
    expect(bookDiskVersion(programs)).toBe(bookDiskVersion([...programs]));
  });

  it('says where its builder wrote: every block outside those ranges is zeros', () => {
    const { bytes, written } = buildBookDiskImage(programs, { files: repoDiskFiles() });
    const inWritten = new Uint8Array(bytes.length);
    for (const [offset, length] of written) inWritten.fill(1, offset, offset + length);
    const stray = bytes.findIndex((byte, at) => byte !== 0 && inWritten[at] === 0);
    expect(stray).toBe(-1);
    // The written part is a small share of the disk: a store of it reads little.
    const writtenBytes = written.reduce((sum, [, length]) => sum + length, 0);
    expect(writtenBytes).toBeGreaterThan(0);
    expect(writtenBytes).toBeLessThan(bytes.length / 8);
  });

  it('holds every program in /bin, and the default files', () => {
    const vfs = mount(repoBookDisk());
    for (const program of programs)
      expect(Buffer.from(run(vfs.readFile(program.name))).equals(program.bytes), program.name).toBe(
        true,
      );
    expect(new TextDecoder().decode(run(vfs.readFile('/etc/hostname')))).toBe('cotton\n');
    expect(new TextDecoder().decode(run(vfs.readFile('/home/reader/welcome.txt')))).toContain(
      'Hello, reader.',
    );
    expect(run(vfs.stat('/usr/share/doc/cottonfs/layout.txt')).modifyTime).toBe(DEFAULT_START_TIME);
  });

  it("carries the repository's disk/ tree at the same paths: the desktop's font and its licence", () => {
    const vfs = mount(repoBookDisk());
    const paths = repoDiskFiles().map((file) => file.path);
    expect(paths).toContain('/usr/share/fonts/OFL.txt');
    expect(paths).toContain('/usr/share/fonts/cotton-8x16.psf');
    expect(paths).not.toContain('/README.md');
    const font = run(vfs.readFile('/usr/share/fonts/cotton-8x16.psf'));
    expect([...font.subarray(0, 4)]).toEqual([0x72, 0xb5, 0x4a, 0x86]); // the PSF2 magic
    expect(bookDiskVersion(programs, BOOK_DISK_BYTES, repoDiskFiles())).not.toBe(
      bookDiskVersion(programs),
    );
  });

  it('changes its version, and its bytes, with the programs or the size', () => {
    const fewer = programs.slice(1);
    expect(bookDiskVersion(fewer)).not.toBe(bookDiskVersion(programs));
    expect(bookDiskVersion(programs, 16 << 20)).not.toBe(bookDiskVersion(programs));
    expect(buildBookDisk(fewer, { bytes: 4 << 20 }).length).toBe(4 << 20);
  });

  it('is attached to each CLI machine as a fresh copy, whose digest comes from the pristine disk', () => {
    const a = freshBookDisk();
    const b = freshBookDisk();
    a.disk!.bytes[0]! ^= 0xff;
    expect(b.disk!.bytes[0]).toBe(repoBookDisk()[0]);
    expect(toHex(a.diskDigest!())).toBe(toHex(sha256(repoBookDisk())));
  });
});
