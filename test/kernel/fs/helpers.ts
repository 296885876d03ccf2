/** Shared helpers for the CottonFS tests: images in memory, a disk that loses power. */
import type { BlockDevice, Io } from '../../../src/kernel/fs/block-device';
import { MemoryBlockDevice, runToCompletion } from '../../../src/kernel/fs/block-device';
import { CottonFs, format } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { fsck } from '../../../src/kernel/fs/cottonfs/fsck';
import type { FsckReport } from '../../../src/kernel/fs/cottonfs/fsck';
import { Vfs } from '../../../src/kernel/fs/vfs';

export const run = runToCompletion;
export const clock = (): number => 1_700_000_000;
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const string = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A freshly formatted image of `blocks` 4 KiB blocks. */
export function freshDevice(blocks = 2048, journalBlocks?: number): MemoryBlockDevice {
  const device = MemoryBlockDevice.ofSize(blocks);
  run(format(device, { clock, journalBlocks }));
  return device;
}

export function mount(device: BlockDevice): { fs: CottonFs; vfs: Vfs } {
  const fs = run(CottonFs.mount(device, clock));
  return { fs, vfs: new Vfs(fs) };
}

export function check(device: BlockDevice, repair = false): FsckReport {
  return run(fsck(device, { repair }));
}

export class PowerCut extends Error {}

/** A disk that stops writing after `budget` more block writes: the power went out. */
export class PowerCutDevice implements BlockDevice {
  writes = 0;
  readonly blockCount: number;

  constructor(
    readonly inner: MemoryBlockDevice,
    private budget = Infinity,
  ) {
    this.blockCount = inner.blockCount;
  }

  *readBlock(block: number, into: Uint8Array): Io<void> {
    yield* this.inner.readBlock(block, into);
  }

  *writeBlock(block: number, data: Uint8Array): Io<void> {
    if (this.writes >= this.budget) throw new PowerCut(`power cut before write ${this.writes + 1}`);
    this.writes++;
    yield* this.inner.writeBlock(block, data);
  }

  *flush(): Io<void> {}
}
