import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootArguments } from '../../src/cli/boot-command';
import { CottonPC } from '../../src/emu/machine';
import { openDiskImage } from '../../src/runtime/node/node-host';
import { type CliResult, cottonProcess } from '../support/cotton-cli';

function tempImage(sectors: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cotton-disk-')), 'disk.img');
  writeFileSync(path, new Uint8Array(sectors * 512).fill(0x11));
  return path;
}

/** WRITE SECTORS through the machine's ports, polling as a PIO driver does. */
function writeSectors(pc: CottonPC, lba: number, data: Uint8Array): void {
  const count = data.length / 512;
  pc.io.out8(0x1f6, 0xe0);
  pc.io.out8(0x1f2, count);
  pc.io.out8(0x1f3, lba & 0xff);
  pc.io.out8(0x1f4, (lba >> 8) & 0xff);
  pc.io.out8(0x1f5, (lba >> 16) & 0xff);
  pc.io.out8(0x1f7, 0x30);
  const waitNotBusy = (): number => {
    for (;;) {
      pc.clock.spend(1000);
      const status = pc.io.in8(0x1f7);
      if (!(status & 0x80)) return status;
    }
  };
  for (let sector = 0; sector < count; sector++) {
    expect(waitNotBusy() & 0x08).toBe(0x08);
    for (let i = 0; i < 256; i++)
      pc.io.out16(0x1f0, data[sector * 512 + 2 * i]! | (data[sector * 512 + 2 * i + 1]! << 8));
  }
  expect(waitNotBusy() & 0x09).toBe(0);
}

describe('cotton boot --disk', () => {
  it('parses --disk IMAGE', () => {
    expect(parseBootArguments(['--disk', 'my.img']).disk).toBe('my.img');
  });

  it('writes each completed write command back to the image file', () => {
    const path = tempImage(32);
    const pc = new CottonPC({
      kernel: { entry: function* () {}, image: new Uint8Array(0) },
      ramBytes: 4 << 20,
      disk: openDiskImage(path),
    });
    const data = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);
    writeSectors(pc, 3, data);
    const file = readFileSync(path);
    expect(file.length).toBe(32 * 512);
    expect(new Uint8Array(file.subarray(3 * 512, 5 * 512))).toEqual(data);
    expect(file[3 * 512 - 1]).toBe(0x11);
    expect(file[5 * 512]).toBe(0x11);
  });

  it('refuses a disk that holds no CottonFS, in plain words, unless asked for the RAM disk', async () => {
    const path = tempImage(2048);
    const refused = await boot(['--disk', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/disk\.img is not a CottonFS disk the kernel can mount/);
    expect(refused.stderr).toMatch(/cotton mkfs .*disk\.img --size 64M/);
    expect(refused.stdout).toBe('');
    const fallback = await boot(['--disk', path, '--ram-disk-fallback']);
    expect(fallback.stderr).toMatch(/booting on a RAM disk \(--ram-disk-fallback\)/);
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toContain('CottonOS');
  });

  it('says there is no such image, without an errno code', async () => {
    const missing = await boot(['--disk', '/nonexistent/disk.img']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      'cotton: there is no disk image /nonexistent/disk.img; make one with: cotton mkfs /nonexistent/disk.img --size 64M\n',
    );
  });
});

function boot(args: string[]): Promise<CliResult> {
  return cottonProcess(['boot', '--fast', '--max-ms', '60000', ...args], 90_000);
}
