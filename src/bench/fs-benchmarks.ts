/**
 * Speed of CottonFS, twice over.
 *
 * On the machine (the figures): the kernel booted in Node, fast mode,
 * on a 64 MiB CottonFS disk, driven through its shell and a user program —
 * the whole path, system calls, VFS, lock, cache, journal, ATA driver and the
 * emulated disk. Wall-clock time.
 *
 *   fs.seq_write_mb_s      `fill /big 16M` (64 KiB writes) and `sync`
 *   fs.seq_read_mb_s       `crc32 /big` after a reboot (a cold cache)
 *   fs.create_files_per_s  `mkfiles /m 1000`: 1000 files of 100 bytes through
 *                          open/write/close, then sync
 *   fs.mount_ms            the boot's mount of a disk whose power was cut
 *                          with a committed, not yet checkpointed transaction
 *                          in the journal (fs.mount_replayed_blocks blocks
 *                          replayed); wall time, and the virtual time between
 *                          the boot log's disk and root lines (fs.mount_virtual_ms)
 *
 * Host-side (fs.host.*): the same file system code on an in-memory block
 * device, no machine: what the file system logic, the cache and the journal
 * cost by themselves (every block is written twice, data=journal).
 *
 * MB is 10^6 bytes. Each figure is the median of a few runs.
 */
import type { BlockDevice, Io } from '../kernel/fs/block-device';
import { MemoryBlockDevice, runToCompletion as run } from '../kernel/fs/block-device';
import { CottonFs, format } from '../kernel/fs/cottonfs/cottonfs';
import { Vfs } from '../kernel/fs/vfs';
import type { MachineHost } from '../runtime/host/machine-host';
import { bootFromRepo } from '../runtime/node/node-host';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const clock = (): number => 1_767_258_000;
const DISK_BLOCKS = 16384; // 64 MiB
const FILE_BYTES = 16 << 20;
const CHUNK_BYTES = 1 << 20;
const MB = 1e6;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(action: () => void): number {
  const start = performance.now();
  action();
  return (performance.now() - start) / 1000;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

function formatted(): MemoryBlockDevice {
  const device = MemoryBlockDevice.ofSize(DISK_BLOCKS);
  run(format(device, { clock }));
  return device;
}

const chunk = Uint8Array.from({ length: CHUNK_BYTES }, (_, i) => (i * 31 + (i >> 12)) & 0xff);

function writeBigFile(vfs: Vfs, fs: CottonFs): void {
  const file = run(vfs.rootFs.root().create('big', 'file'));
  for (let offset = 0; offset < FILE_BYTES; offset += CHUNK_BYTES) run(file.write(offset, chunk));
  run(fs.sync());
}

function sequentialWriteAndRead(runs: number): Result[] {
  const writes: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < runs; i++) {
    const device = formatted();
    const fs = run(CottonFs.mount(device, clock));
    writes.push(FILE_BYTES / MB / seconds(() => writeBigFile(new Vfs(fs), fs)));
    const again = new Vfs(run(CottonFs.mount(device, clock)));
    const buffer = new Uint8Array(CHUNK_BYTES);
    reads.push(
      FILE_BYTES /
        MB /
        seconds(() => {
          const file = run(again.resolve('/big'));
          for (let offset = 0; offset < FILE_BYTES; offset += CHUNK_BYTES)
            run(file.read(offset, buffer));
        }),
    );
  }
  return [
    { name: 'fs.host.seq_write_mb_s', value: round(median(writes)), unit: 'MB/s' },
    { name: 'fs.host.seq_read_mb_s', value: round(median(reads)), unit: 'MB/s' },
  ];
}

function createSmallFiles(runs: number): Result {
  const FILES = 1000;
  const payload = new Uint8Array(100).fill(0x61);
  const rates = Array.from({ length: runs }, () => {
    const fs = run(CottonFs.mount(formatted(), clock));
    const vfs = new Vfs(fs);
    return (
      FILES /
      seconds(() => {
        for (let d = 0; d < 10; d++) run(vfs.mkdir(`/d${d}`));
        for (let i = 0; i < FILES; i++) run(vfs.writeFile(`/d${i % 10}/f${i}`, payload));
        run(fs.sync());
      })
    );
  });
  return { name: 'fs.host.create_files_per_s', value: round(median(rates)), unit: 'files/s' };
}

class PowerCut extends Error {}

/** A disk whose power goes out at the first write outside the journal once armed: the checkpoint after a commit. */
class CutAtCheckpoint implements BlockDevice {
  armed = false;
  readonly blockCount: number;

  constructor(
    private readonly inner: MemoryBlockDevice,
    private readonly journalStart: number,
    private readonly journalEnd: number,
  ) {
    this.blockCount = inner.blockCount;
  }

  readBlock(block: number, into: Uint8Array): Io<void> {
    return this.inner.readBlock(block, into);
  }

  *writeBlock(block: number, data: Uint8Array): Io<void> {
    if (this.armed && (block < this.journalStart || block >= this.journalEnd)) throw new PowerCut();
    yield* this.inner.writeBlock(block, data);
  }

  flush(): Io<void> {
    return this.inner.flush();
  }
}

/** An image whose journal holds a committed transaction that never reached its home blocks. */
function crashedWithFullJournal(): Uint8Array {
  const disk = formatted();
  const { journalStart, journalBlocks } = run(CottonFs.mount(disk, clock)).superblock;
  const device = new CutAtCheckpoint(disk, journalStart, journalStart + journalBlocks);
  const fs = run(CottonFs.mount(device, clock));
  device.armed = true;
  try {
    writeBigFile(new Vfs(fs), fs);
  } catch (error) {
    if (!(error instanceof PowerCut)) throw error;
  }
  return disk.bytes;
}

function mountAfterCrash(runs: number): Result[] {
  const crashed = crashedWithFullJournal();
  let replayed = 0;
  const times = Array.from({ length: runs }, () => {
    const device = new MemoryBlockDevice(crashed.slice());
    return 1000 * seconds(() => (replayed = run(CottonFs.mount(device, clock)).replayedBlocks));
  });
  return [
    { name: 'fs.host.mount_ms', value: round(median(times)), unit: 'ms' },
    { name: 'fs.mount_replayed_blocks', value: replayed, unit: 'blocks' },
  ];
}

// ---- on the machine ----

const MACHINE_FILE_MB = (16 << 20) / MB;
const MACHINE_FILES = 1000;

/** Boot on `disk` and wait for the prompt; wall seconds it took. */
function bootOn(disk: Uint8Array): { host: MachineHost; seconds: number } {
  let host!: MachineHost;
  const took = seconds(() => {
    host = bootFromRepo({ disk: { bytes: disk, onWrite: () => {} } });
    host.runUntilPrompt();
  });
  return { host, seconds: took };
}

/** Run a shell command, checking it printed `expected`; wall seconds it took. */
function timedCommand(host: MachineHost, line: string, expected: RegExp): number {
  let output = '';
  const took = seconds(() => (output = host.command(line, 600_000)));
  if (!expected.test(output)) throw new Error(`'${line}' printed no ${expected}:\n${output}`);
  return took;
}

function onTheMachine(runs: number): Result[] {
  const writes: number[] = [];
  const reads: number[] = [];
  const creates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const disk = formatted().bytes;
    const { host } = bootOn(disk);
    const write = timedCommand(host, 'fill /big 16M', /\$ /) + timedCommand(host, 'sync', /\$ /);
    writes.push(MACHINE_FILE_MB / write);
    creates.push(
      MACHINE_FILES / timedCommand(host, `mkfiles /m ${MACHINE_FILES}`, /mkfiles: 1000 files/),
    );
    const cold = bootOn(disk).host;
    reads.push(MACHINE_FILE_MB / timedCommand(cold, 'crc32 /big', /16777216/));
  }
  return [
    { name: 'fs.seq_write_mb_s', value: round(median(writes)), unit: 'MB/s' },
    { name: 'fs.seq_read_mb_s', value: round(median(reads)), unit: 'MB/s' },
    { name: 'fs.create_files_per_s', value: round(median(creates)), unit: 'files/s' },
  ];
}

/** Virtual ms between the boot log's `ata: hda` line and its `fs: root` line. */
function mountVirtualMs(output: string): number {
  const stamp = (pattern: RegExp): number =>
    Number(
      new RegExp(`\\[ *([\\d.]+)\\][^\\n]*${pattern.source}`).exec(
        output.replace(/\x1b\[[0-9;]*m/g, ''),
      )![1],
    );
  return (stamp(/ata: hda/) - stamp(/fs: root/)) * -1000;
}

function mountOnTheMachine(runs: number): Result[] {
  const crashed = crashedWithFullJournal();
  const clean = formatted().bytes;
  const walls: number[] = [];
  const virtuals: number[] = [];
  for (let i = 0; i < runs; i++) {
    const baseline = bootOn(clean.slice()).seconds;
    const { host, seconds: took } = bootOn(crashed.slice());
    if (!/journal replayed/.test(host.output))
      throw new Error('the crashed disk was mounted without a replay');
    walls.push(1000 * Math.max(0, took - baseline));
    virtuals.push(mountVirtualMs(host.output));
  }
  return [
    {
      name: 'fs.mount_ms',
      value: round(median(walls)),
      unit: 'ms (wall, boot minus a clean boot)',
    },
    { name: 'fs.mount_virtual_ms', value: round(median(virtuals)), unit: 'ms (virtual)' },
  ];
}

export function fsBenchmarks(): Result[] {
  return [
    ...onTheMachine(3),
    ...mountOnTheMachine(5),
    ...sequentialWriteAndRead(5),
    createSmallFiles(5),
    ...mountAfterCrash(9),
  ];
}
