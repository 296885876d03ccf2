/**
 * The ATA driver and the ATA block device on the real machine: the kernel is
 * booted with its entry's first thread replaced by a small check thread (a
 * kernel override, as the book's editor makes) that probes the disk, moves
 * sectors through IRQ 14 from several threads at once, and formats and fills
 * a CottonFS; the host then checks the image byte for byte and with fsck.
 */
import { describe, expect, it } from 'vitest';
import {
  ATA_CMD_READ_SECTORS,
  ATA_CMD_READ_SECTORS_EXT,
  AtaDisk,
  decodeIdentity,
} from '../../../src/kernel/drivers/ata-disk';
import type { MachineInterface } from '../../../src/emu/machine-interface';
import { identifyData } from '../../../src/emu/ata-pio';
import { MemoryBlockDevice } from '../../../src/kernel/fs/block-device';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { checkKernel } from '../../support/check-kernel';
import { check, mount, run } from './helpers';

const CHECK_MODULE = 'src/kernel/ata-check.ts';

/** The check thread, as kernel source (it is transpiled and linked like every kernel module). */
const CHECK_SOURCE = `
import type { Kernel } from './proc/kernel';
import { installIrqHandler } from './arch/interrupts';
import { AtaDisk, ATA_PRIMARY_IRQ } from './drivers/ata-disk';
import { AtaBlockDevice } from './fs/ata-block-device';
import { CottonFs, format } from './fs/cottonfs/cottonfs';
import { Vfs } from './fs/vfs';
import { spawn } from './sched/scheduler';
import { WaitQueue } from './sched/wait-queue';

const pattern = (seed: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function* ataCheckThread(kernel: Kernel): Generator<void, void, void> {
  const say = (text: string): void => kernel.console.write('ata-check: ' + text + '\\r\\n');
  const disk = AtaDisk.probe(kernel.cpu);
  if (!disk) return say('no disk');
  installIrqHandler(kernel.cpu, kernel.pic, ATA_PRIMARY_IRQ, () => disk.handleInterrupt());
  say('identify "' + disk.identity.model + '" ' + disk.identity.sectors + ' sectors lba48=' + disk.identity.lba48);

  const first = new Uint8Array(1024);
  yield* disk.read(0, 2, first);
  say('sector 0 starts ' + first[0] + ',' + first[1] + ' sector 1 starts ' + first[512]);

  // Three threads at once, each writing and reading back its own sectors: the request queue serialises them.
  const allDone = new WaitQueue();
  let finished = 0;
  for (let t = 0; t < 3; t++) {
    spawn('ata-worker-' + t, (function* () {
      const data = pattern(t, 5 * 512);
      yield* disk.write(16000 + 10 * t, 5, data);
      const back = new Uint8Array(5 * 512);
      yield* disk.read(16000 + 10 * t, 5, back);
      say('worker ' + t + (same(data, back) ? ' read back its sectors' : ' READ DIFFERENT DATA'));
      finished++;
      allDone.wakeAll();
    })());
  }
  while (finished < 3) yield* allDone.wait();

  try {
    yield* disk.read(disk.sectors - 1, 2, new Uint8Array(1024));
  } catch (error) {
    say('past the end: ' + (error as Error).message);
  }
  yield* disk.flush();
  say('flushed, spurious interrupts: ' + disk.spuriousInterrupts);

  const device = new AtaBlockDevice(disk);
  yield* format(device, { clock: () => 1_700_000_000, label: 'ata-check' });
  const fs = yield* CottonFs.mount(device, () => 1_700_000_000);
  const vfs = new Vfs(fs);
  yield* vfs.mkdirs('/home/reader');
  yield* vfs.writeFile('/home/reader/hello.txt', pattern(42, 70_000));
  yield* fs.sync();
  const back = yield* vfs.readFile('/home/reader/hello.txt');
  say('cottonfs on ' + device.blockCount + ' blocks: file ' + (same(back, pattern(42, 70_000)) ? 'intact' : 'DAMAGED'));
  say('done');
}
`;

const pattern = (seed: number, length: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

describe('ATA driver on the Cotton PC', () => {
  it('identifies the disk, moves sectors by IRQ 14 for several threads, and carries a CottonFS', () => {
    const bytes = new Uint8Array(8 << 20);
    bytes[0] = 0xc0;
    bytes[1] = 0xde;
    bytes[512] = 0x77;
    const written: number[] = [];
    const host = bootFromRepo({
      overrides: checkKernel(CHECK_MODULE, 'ataCheckThread', CHECK_SOURCE),
      disk: { bytes, onWrite: (lba, count) => written.push(lba, count) },
    });
    host.runUntilIdleAnd(
      () => host.output.includes('ata-check: done') || host.output.includes('panic'),
      120_000,
    );
    const lines = host.output.split('\r\n').filter((line) => line.startsWith('ata-check: '));
    expect(lines).toEqual([
      `ata-check: identify "Cotton PC ATA disk" ${(8 << 20) / 512} sectors lba48=true`,
      'ata-check: sector 0 starts 192,222 sector 1 starts 119',
      'ata-check: worker 0 read back its sectors',
      'ata-check: worker 1 read back its sectors',
      'ata-check: worker 2 read back its sectors',
      `ata-check: past the end: ata: sectors ${(8 << 20) / 512 - 1}+2 are outside the disk (0–${(8 << 20) / 512 - 1})`,
      'ata-check: flushed, spurious interrupts: 0',
      'ata-check: cottonfs on 2048 blocks: file intact',
      'ata-check: done',
    ]);
    for (let t = 0; t < 3; t++) {
      expect(bytes.subarray((16000 + 10 * t) * 512, (16005 + 10 * t) * 512)).toEqual(
        pattern(t, 5 * 512),
      );
    }
    expect(written.slice(0, 6)).toEqual([16000, 5, 16010, 5, 16020, 5]);

    // The host reads what the kernel wrote with the same file system code.
    const device = new MemoryBlockDevice(bytes);
    expect(check(device).problems).toEqual([]);
    const { vfs, fs } = mount(device);
    expect(fs.superblock.label).toBe('ata-check');
    expect(run(vfs.readFile('/home/reader/hello.txt'))).toEqual(pattern(42, 70_000));
  });
});

/** A machine interface that records port writes and answers status reads: enough to watch the command registers. */
function recordingCpu(sectors: number): { cpu: MachineInterface; writes: [number, number][] } {
  const writes: [number, number][] = [];
  const identify = identifyData(sectors);
  let word = 0;
  const cpu = {
    inb: (port: number) => (port === 0x1f7 || port === 0x3f6 ? 0x58 : 0),
    insw: (_port: number, into: Uint16Array) => {
      for (let i = 0; i < into.length; i++, word++)
        into[i] = identify[2 * word]! | (identify[2 * word + 1]! << 8);
    },
    outb: (port: number, value: number) => void writes.push([port, value]),
    outsw: () => {},
  } as unknown as MachineInterface;
  return { cpu, writes };
}

describe('ATA addressing', () => {
  it('decodes IDENTIFY: model, sector count, LBA48 support', () => {
    const words = new Uint16Array(identifyData(0x1_2345_6789).buffer);
    expect(decodeIdentity(words)).toEqual({
      model: 'Cotton PC ATA disk',
      serial: 'CT0000000001',
      sectors: 0x1_2345_6789,
      lba48: true,
    });
  });

  it('uses READ SECTORS below 2^28 sectors and READ SECTORS EXT (high bytes first) above', () => {
    /** The command block writes of a fresh driver's first request (which then waits: outside a thread that throws). */
    const commandFor = (lba: number): [number, number][] => {
      const { cpu, writes } = recordingCpu(0x2_0000_0000);
      const disk = AtaDisk.probe(cpu)!;
      expect(disk.identity.sectors).toBe(0x2_0000_0000);
      writes.length = 0;
      expect(() => disk.read(lba, 8, new Uint8Array(4096)).next()).toThrow(/no task is running/);
      return writes.filter(([port]) => port !== 0x3f6);
    };
    expect(commandFor(0x0abc_def0)).toEqual([
      [0x1f6, 0xe0 | 0x0a],
      [0x1f2, 8],
      [0x1f3, 0xf0],
      [0x1f4, 0xde],
      [0x1f5, 0xbc],
      [0x1f7, ATA_CMD_READ_SECTORS],
    ]);
    // Sector 2^28 - 4 + 8 reaches past 28 bits: the whole command goes EXT.
    expect(commandFor(0x0fff_fffc)).toEqual([
      [0x1f6, 0xe0],
      [0x1f2, 0],
      [0x1f3, 0x0f],
      [0x1f4, 0],
      [0x1f5, 0],
      [0x1f2, 8],
      [0x1f3, 0xfc],
      [0x1f4, 0xff],
      [0x1f5, 0xff],
      [0x1f7, ATA_CMD_READ_SECTORS_EXT],
    ]);
    expect(commandFor(0x1_2345_6789)).toEqual([
      [0x1f6, 0xe0],
      [0x1f2, 0],
      [0x1f3, 0x23],
      [0x1f4, 0x01],
      [0x1f5, 0],
      [0x1f2, 8],
      [0x1f3, 0x89],
      [0x1f4, 0x67],
      [0x1f5, 0x45],
      [0x1f7, ATA_CMD_READ_SECTORS_EXT],
    ]);
  });
});
