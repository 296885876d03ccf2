/**
 * The file system as the kernel mounts it: the root on the ATA disk, /bin
 * from the boot modules, DevFS on /dev; the shell's file commands and user
 * programs working through the VFS; files that survive a reboot; and power
 * cuts at arbitrary moments that leave a disk fsck finds clean, with every
 * synced file intact.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice, runToCompletion } from '../../src/kernel/fs/block-device';
import { CottonFs, format } from '../../src/kernel/fs/cottonfs/cottonfs';
import { fsck } from '../../src/kernel/fs/cottonfs/fsck';
import { Vfs } from '../../src/kernel/fs/vfs';
import type { MachineHost } from '../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../src/runtime/node/node-host';

const CLOCK = () => 1_767_258_000;

function plain(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

/** A 16 MiB CottonFS image with /home/reader/welcome.txt. */
function diskImage(): Uint8Array {
  const device = new MemoryBlockDevice(new Uint8Array(16 << 20));
  runToCompletion(format(device, { clock: CLOCK, label: 'test' }));
  const fs = runToCompletion(CottonFs.mount(device, CLOCK));
  const vfs = new Vfs(fs);
  runToCompletion(vfs.mkdirs('/home/reader'));
  runToCompletion(
    vfs.writeFile('/home/reader/welcome.txt', new TextEncoder().encode('hello, reader\n')),
  );
  runToCompletion(fs.sync());
  return device.bytes;
}

function boot(bytes: Uint8Array): MachineHost {
  const host = bootFromRepo({ disk: { bytes, onWrite: () => {} } });
  host.runUntilPrompt();
  return host;
}

function run(host: MachineHost, line: string): { out: string; status: number } {
  const raw = host.command(line);
  return { out: plain(raw), status: Number(/\x1b\]133;D;(\d+)\x07/.exec(raw)?.[1]) };
}

/** fsck of the image as the host tool runs it. */
function check(bytes: Uint8Array) {
  return runToCompletion(fsck(new MemoryBlockDevice(bytes.slice()), { repair: false }));
}

function readFile(bytes: Uint8Array, path: string): string {
  const fs = runToCompletion(CottonFs.mount(new MemoryBlockDevice(bytes.slice()), CLOCK));
  return new TextDecoder().decode(runToCompletion(new Vfs(fs).readFile(path)));
}

describe('the kernel on a CottonFS disk', () => {
  it('mounts the disk as /, the programs on /bin and the devices on /dev', () => {
    const host = boot(diskImage());
    expect(plain(host.output)).toMatch(/fs: root: CottonFS "test" on hda, mount #2, clean/);
    expect(run(host, 'mount').out).toMatch(
      /cottonfs "test" on \/\nbootfs on \/bin\ndevfs on \/dev/,
    );
    expect(run(host, 'cat /home/reader/welcome.txt').out).toContain('hello, reader');
    expect(run(host, 'ls /dev').out).toMatch(/crw-rw-rw- +1 +16777216 +hda/);
    expect(run(host, 'ls /bin').out).toMatch(/-r-xr-xr-x +1 +\d+ +hello/);
    expect(run(host, 'write /bin/hello nothing')).toMatchObject({
      status: 1,
      out: expect.stringContaining('read-only'),
    });
  });

  it('boots on a RAM disk, and says why, when the disk holds no CottonFS', () => {
    const host = boot(new Uint8Array(4 << 20));
    expect(plain(host.output)).toMatch(/hda holds no mountable CottonFS \(.*\)/);
    expect(plain(host.output)).toContain('root: CottonFS on a 8 MiB RAM disk');
    expect(run(host, 'hello').status).toBe(0);
  });

  it('runs the file commands with a working directory that programs inherit', () => {
    const host = boot(diskImage());
    expect(run(host, 'cd /home/reader').status).toBe(0);
    expect(run(host, 'pwd').out).toContain('/home/reader');
    run(host, 'write notes.txt one two three');
    run(host, 'mkdir sub');
    run(host, 'mv notes.txt sub/notes.txt');
    run(host, 'ln sub/notes.txt again.txt');
    expect(run(host, 'stat again.txt').out).toMatch(/Links: 2/);
    expect(run(host, 'wc sub/notes.txt').out).toMatch(/1 +3 +14 sub\/notes.txt/); // the user program, in the shell's directory
    expect(run(host, 'cat /home/reader/again.txt').out).toContain('one two three');
    expect(run(host, 'rm again.txt').status).toBe(0);
    expect(run(host, 'cat again.txt')).toMatchObject({
      status: 1,
      out: expect.stringContaining('ENOENT'),
    });
    expect(run(host, 'rmdir sub')).toMatchObject({
      status: 1,
      out: expect.stringContaining('ENOTEMPTY'),
    });
    expect(run(host, 'cd /nowhere')).toMatchObject({
      status: 1,
      out: expect.stringContaining('ENOENT'),
    });
    expect(run(host, 'fsck').out).toMatch(/fsck: clean, \d+ files, \d+ directories/);
    expect(run(host, 'df').out).toMatch(/cottonfs +16 MiB/);
  });

  it('keeps files across a reboot', () => {
    const bytes = diskImage();
    const host = boot(bytes);
    run(host, 'write /home/reader/kept.txt still here');
    host.type('reboot\r');
    host.runUntilPrompt(); // the same disk, after the reset
    expect(run(host, 'cat /home/reader/kept.txt').out).toContain('still here');
    expect(readFile(bytes, '/home/reader/kept.txt')).toBe('still here\n');
  });

  it('leaves a consistent disk with every synced file intact after a power cut at any moment', () => {
    const original = diskImage();
    for (const cutAfterMs of [1, 4, 9, 16, 30, 60]) {
      const bytes = original.slice();
      const host = boot(bytes);
      run(host, 'write /home/reader/synced.txt this was synced');
      run(host, 'sync');
      host.type('mkdir /tmp2\r');
      host.type('write /tmp2/a.txt unsynced data that may or may not survive\r');
      host.type('write /home/reader/big.txt ' + 'x'.repeat(200) + '\r');
      host.runUntil(host.machine.clock.now + cutAfterMs * 1_000_000); // then the power goes
      const report = check(bytes);
      expect(report.fatal, `cut after ${cutAfterMs} ms`).toBeNull();
      expect(report.problems, `cut after ${cutAfterMs} ms`).toEqual([]);
      expect(readFile(bytes, '/home/reader/synced.txt')).toBe('this was synced\n');
      const again = boot(bytes); // mounting replays whatever the journal holds
      expect(run(again, 'fsck').out, `cut after ${cutAfterMs} ms`).toMatch(/fsck: clean/);
    }
  });

  it('lets processes write files at once while the flusher commits: each finds its own lines, fsck finds the disk clean', () => {
    const bytes = diskImage();
    const host = boot(bytes);
    run(host, 'writer /home/reader/a.txt 400 &');
    run(host, 'writer /home/reader/b.txt 400 &');
    host.runUntilIdleAnd(
      () =>
        (
          plain(host.output).match(/lines ok|is wrong|extra bytes|writer: open|writer: write/g) ??
          []
        ).length >= 2,
      60_000,
    );
    expect(plain(host.output)).toContain('writer: /home/reader/a.txt: 400 lines ok');
    expect(plain(host.output)).toContain('writer: /home/reader/b.txt: 400 lines ok');
    run(host, 'sync');
    expect(check(bytes).problems).toEqual([]);
    expect(readFile(bytes, '/home/reader/b.txt').split('\n')[399]).toBe(
      'line 399 of /home/reader/b.txt',
    );
  });

  it('serves the devices: null, zero, random and the console', () => {
    const host = boot(diskImage());
    expect(run(host, 'cat /dev/null').status).toBe(0);
    expect(run(host, 'wc /dev/null').out).toMatch(/0 +0 +0 \/dev\/null/);
    expect(run(host, 'stat /dev/random').out).toMatch(/Type: device/);
    expect(run(host, 'write /dev/null gone').status).toBe(0);
  });
});
