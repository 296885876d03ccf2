import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsCommand, parseSize, parseTime } from '../../src/cli/fs-command';
import { DATA_BITMAP_START } from '../../src/kernel/fs/cottonfs/layout';
import { repoDiskFiles } from '../../src/runtime/node/node-host';
import { cottonProcess, ROOT } from '../support/cotton-cli';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cotton-fs-'));
}

/** Run a file system command in this process, capturing what it prints. */
function cotton(
  command: string,
  ...args: string[]
): { code: number; out: string; bytes: Buffer; err: string } {
  const out: Buffer[] = [];
  let err = '';
  const code = fsCommand(command, args, {
    out: (data) => void out.push(Buffer.from(data)),
    err: (text) => void (err += text),
  });
  const bytes = Buffer.concat(out);
  return { code, out: bytes.toString('utf8'), bytes, err };
}

describe('cotton mkfs', () => {
  it("writes the book's default disk, which fsck finds clean and ls and cat read", () => {
    const image = join(tempDir(), 'disk.img');
    expect(cotton('mkfs', image, '--size', '8M').out).toMatch(
      /^.*disk\.img: CottonFS, 2048 blocks of 4096 bytes/,
    );
    expect(readFileSync(image).length).toBe(8 << 20);
    const programs = readdirSync(join(ROOT, 'src/userland/bin'))
      .filter((f) => f.endsWith('.elf'))
      .map((f) => f.slice(0, -4))
      .sort();
    // The book's files, and the repository's disk/ tree copied to the same paths (book-disk.ts).
    const treeFiles = repoDiskFiles().map((file) => file.path);
    const directories = new Set(['/', '/bin', '/etc', '/home', '/home/reader', '/usr']);
    for (const path of ['/usr/share/doc/cottonfs/x', ...treeFiles])
      for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1))
        directories.add(path.slice(0, at));
    const files = programs.length + 4 + treeFiles.length;
    expect(cotton('fsck', image)).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        new RegExp(`clean, ${files} files, ${directories.size} directories`),
      ),
    });
    const top = cotton('ls', image).out;
    expect(top).toContain('drwxr-xr-x   2       4096  bin/\n');
    expect(top).toMatch(/^d.* etc\/$/m);
    expect(top).toContain('drwxr-xr-x   3       4096  home/\n');
    expect(top).toMatch(/^d.* usr\/$/m);
    const bin = cotton('ls', image, '/bin').out.trim().split('\n');
    expect(bin.map((line) => line.split(/\s+/).pop())).toEqual(programs);
    const helloSize = readFileSync(join(ROOT, 'src/userland/bin/hello.elf')).length;
    // The programs' mode is the one the machine's own /bin (BootFS) shows.
    expect(bin[programs.indexOf('hello')]).toBe(
      `-r-xr-xr-x   1 ${String(helloSize).padStart(10)}  hello`,
    );
    expect(
      cotton('cat', image, '/bin/hello').bytes.equals(
        readFileSync(join(ROOT, 'src/userland/bin/hello.elf')),
      ),
    ).toBe(true);
    expect(cotton('cat', image, '/etc/hostname').out).toBe('cotton\n');
    expect(cotton('ls', image, '/home/reader/welcome.txt').out).toMatch(
      /^-rw-r--r-- {3}1 +\d+ {2}welcome\.txt\n$/,
    );
    expect(cotton('cat', image, '/usr/share/doc/cottonfs/layout.txt').out).toContain('0x43544653');
  });

  it('makes byte-identical images from the same inputs, and different ones with another --time', () => {
    const dir = tempDir();
    const [a, b, c] = ['a.img', 'b.img', 'c.img'].map((name) => join(dir, name));
    cotton('mkfs', a!, '--size', '4M');
    cotton('mkfs', b!, '--size', '4M');
    cotton('mkfs', c!, '--size', '4M', '--time', '2030-01-01T00:00:00Z');
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it('copies a host directory with --from, in name order', () => {
    const dir = tempDir();
    const from = join(dir, 'tree');
    mkdirSync(join(from, 'docs', 'deep'), { recursive: true });
    writeFileSync(join(from, 'readme'), 'top\n');
    writeFileSync(join(from, 'docs', 'deep', 'big.bin'), Buffer.alloc(300_000, 7));
    const image = join(dir, 'disk.img');
    cotton('mkfs', image, '--size', '4M', '--from', from, '--label', 'tree');
    expect(cotton('fsck', image).code).toBe(0);
    expect(
      cotton('ls', image, '/')
        .out.split('\n')
        .map((l) => l.split(/\s+/).pop()),
    ).toEqual(['docs/', 'readme', '']);
    expect(cotton('cat', image, '/readme').out).toBe('top\n');
    expect(cotton('cat', image, '/docs/deep/big.bin').bytes.equals(Buffer.alloc(300_000, 7))).toBe(
      true,
    );
  });

  it('parses sizes and times, and refuses what it cannot make', () => {
    expect(parseSize('64M')).toBe(64 << 20);
    expect(parseSize('512K')).toBe(512 << 10);
    expect(parseSize('10000')).toBe(8192);
    expect(() => parseSize('8T')).toThrow(/64M/);
    expect(() => parseSize('5G')).toThrow(/at most 1048576 blocks/);
    expect(parseTime('1700000000')).toBe(1_700_000_000);
    expect(parseTime('2026-01-01T00:00:00Z')).toBe(1_767_225_600);
    expect(() => cotton('mkfs', join(tempDir(), 'x.img'))).toThrow(/needs --size/);
    expect(() => cotton('mkfs', join(tempDir(), 'x.img'), '--size', '100K')).toThrow(/too small/);
  });
});

describe('cotton put, ls, cat', () => {
  it('puts a host file at a path or into a directory, and the image stays clean', () => {
    const dir = tempDir();
    const image = join(dir, 'disk.img');
    cotton('mkfs', image, '--size', '4M');
    writeFileSync(join(dir, 'notes.txt'), 'remember the journal\n');
    expect(cotton('put', image, join(dir, 'notes.txt'), '/home/reader').out).toContain(
      '/home/reader/notes.txt, 21 bytes',
    );
    expect(cotton('put', image, join(dir, 'notes.txt'), '/etc/renamed').code).toBe(0);
    expect(cotton('cat', image, '/home/reader/notes.txt').out).toBe('remember the journal\n');
    expect(cotton('cat', image, '/etc/renamed').out).toBe('remember the journal\n');
    expect(cotton('fsck', image).code).toBe(0);
  });

  it('reports missing paths and non-CottonFS images with the reason', () => {
    const dir = tempDir();
    const image = join(dir, 'disk.img');
    cotton('mkfs', image, '--size', '4M');
    expect(() => cotton('cat', image, '/nope')).toThrow(
      /disk\.img: \/nope: no such file or directory/,
    );
    expect(() => cotton('cat', image, '/etc')).toThrow(/disk\.img: \/etc: is a directory/);
    writeFileSync(join(dir, 'zero.img'), Buffer.alloc(1 << 20));
    expect(() => cotton('ls', join(dir, 'zero.img'))).toThrow(
      /not a mountable CottonFS: bad magic 0x00000000/,
    );
  });
});

describe('cotton fsck', () => {
  it('reports a lying bitmap precisely (exit 4), repairs it (exit 1), then finds it clean (exit 0)', () => {
    const image = join(tempDir(), 'disk.img');
    cotton('mkfs', image, '--size', '4M');
    const bytes = readFileSync(image);
    bytes[DATA_BITMAP_START * 4096 + 100] = 0xff; // blocks 800–807 marked used, but nobody owns them
    writeFileSync(image, bytes);
    const found = cotton('fsck', image);
    expect(found.code).toBe(4);
    expect(found.out).toContain('block bitmap is wrong: block 800 is marked used but free;');
    expect(found.out).toMatch(/PROBLEMS LEFT \(run with --repair\)/);
    expect(readFileSync(image).equals(bytes)).toBe(true); // without --repair nothing is written
    expect(cotton('fsck', image, '--repair')).toMatchObject({
      code: 1,
      out: expect.stringContaining('REPAIRED'),
    });
    expect(cotton('fsck', image).code).toBe(0);
  });

  it('exits 8 for an image that is not a CottonFS', () => {
    const path = join(tempDir(), 'zero.img');
    writeFileSync(path, Buffer.alloc(1 << 20));
    expect(cotton('fsck', path)).toMatchObject({
      code: 8,
      err: expect.stringContaining('bad magic'),
    });
  });

  it('runs from the cotton command (a 64 MiB image)', async () => {
    const image = join(tempDir(), 'disk.img');
    const made = await cottonProcess(['mkfs', image, '--size', '64M']);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(image).length).toBe(64 << 20);
    const bytes = readFileSync(image);
    bytes[DATA_BITMAP_START * 4096 + 2000] = 0x01;
    writeFileSync(image, bytes);
    const checked = cotton('fsck', image);
    expect(checked.code).toBe(4);
    expect(checked.out).toContain('block 16000 is marked used but free');
  }, 120_000);
});
