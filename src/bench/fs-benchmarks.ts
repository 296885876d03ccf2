/**
 * Speed of CottonFS itself: the kernel's file system code (src/kernel/fs) run
 * host-side on an in-memory block device, so these figures measure the file
 * system logic, the block cache and the journal (every block is written
 * twice, data=journal), not the emulated ATA disk, whose sectors take fixed
 * virtual time (ATA_SECTOR_NS) whatever the code does.
 *
 *   fs.seq_write_mb_s      a 16 MiB file written in 1 MiB calls, then synced
 *   fs.seq_read_mb_s       the same file read back in 1 MiB calls after a remount
 *                          (a cold cache, and the file is twice the cache)
 *   fs.create_files_per_s  1000 files of 100 bytes in 10 directories, then synced
 *   fs.mount_ms            mounting after a power cut that left a committed,
 *                          not yet checkpointed transaction in the journal: the
 *                          replay of the fullest transaction the write path
 *                          makes (fs.mount_replayed_blocks says how many blocks)
 *
 * MB is 10^6 bytes. Each figure is the median of a few runs.
 */
import type { BlockDevice, Io } from '../kernel/fs/block-device';
import { MemoryBlockDevice, runToCompletion as run } from '../kernel/fs/block-device';
import { CottonFs, format } from '../kernel/fs/cottonfs';
import { Vfs } from '../kernel/fs/vfs';

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
    reads.push(FILE_BYTES / MB / seconds(() => {
      const file = run(again.resolve('/big'));
      for (let offset = 0; offset < FILE_BYTES; offset += CHUNK_BYTES) run(file.read(offset, buffer));
    }));
  }
  return [
    { name: 'fs.seq_write_mb_s', value: round(median(writes)), unit: 'MB/s' },
    { name: 'fs.seq_read_mb_s', value: round(median(reads)), unit: 'MB/s' },
  ];
}

function createSmallFiles(runs: number): Result {
  const FILES = 1000;
  const payload = new Uint8Array(100).fill(0x61);
  const rates = Array.from({ length: runs }, () => {
    const fs = run(CottonFs.mount(formatted(), clock));
    const vfs = new Vfs(fs);
    return FILES / seconds(() => {
      for (let d = 0; d < 10; d++) run(vfs.mkdir(`/d${d}`));
      for (let i = 0; i < FILES; i++) run(vfs.writeFile(`/d${i % 10}/f${i}`, payload));
      run(fs.sync());
    });
  });
  return { name: 'fs.create_files_per_s', value: round(median(rates)), unit: 'files/s' };
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
    { name: 'fs.mount_ms', value: round(median(times)), unit: 'ms' },
    { name: 'fs.mount_replayed_blocks', value: replayed, unit: 'blocks' },
  ];
}

export function fsBenchmarks(): Result[] {
  return [...sequentialWriteAndRead(5), createSmallFiles(5), ...mountAfterCrash(9)];
}
