/**
 * Block devices: what a file system stores its blocks on.
 *
 * Models: the block layer of Unix kernels, reduced to its core: a disk is an
 * array of fixed-size blocks that can be read and written whole. CottonFS's
 * block is 4096 bytes (eight 512-byte ATA sectors).
 *
 * Why every operation is a generator. In this kernel a thread is a generator
 * and blocking is `yield* queue.wait()` (sched/wait-queue.ts). Reading a block
 * from the ATA disk means starting the transfer and sleeping until IRQ 14 says
 * the data is there, so a block read must be able to block, and so must every
 * file system operation that may read a block. Writing them all as generators
 * (`Io<T>`) lets the kernel run a file system call inside a thread that sleeps
 * while the disk works. A device that never has to wait (a RAM disk, a disk
 * image in the host's memory) simply never yields, and the host tools run the
 * same code to completion with `runToCompletion`.
 */

/** An operation that may block on I/O and finally produces a T. */
export type Io<T> = Generator<void, T, void>;

/** Bytes in one file system block. */
export const BLOCK_SIZE = 4096;

export interface BlockDevice {
  /** How many whole blocks the device holds. */
  readonly blockCount: number;
  /** Copy block `block` into `into` (BLOCK_SIZE bytes). */
  readBlock(block: number, into: Uint8Array): Io<void>;
  /** Write BLOCK_SIZE bytes of `data` to block `block`. */
  writeBlock(block: number, data: Uint8Array): Io<void>;
  /** Wait until every write so far is on stable storage (a write barrier). */
  flush(): Io<void>;
}

/**
 * Run an operation on a device that never blocks. Throws if the operation
 * yields: that would mean it was given a device that needs a kernel thread.
 */
export function runToCompletion<T>(io: Io<T>): T {
  const step = io.next();
  if (!step.done) throw new Error('block I/O tried to sleep outside a kernel thread');
  return step.value;
}

/** A disk held in memory: a RAM disk in the kernel, a disk image on the host. */
export class MemoryBlockDevice implements BlockDevice {
  readonly blockCount: number;

  constructor(readonly bytes: Uint8Array) {
    this.blockCount = Math.floor(bytes.length / BLOCK_SIZE);
  }

  static ofSize(blocks: number): MemoryBlockDevice {
    return new MemoryBlockDevice(new Uint8Array(blocks * BLOCK_SIZE));
  }

  *readBlock(block: number, into: Uint8Array): Io<void> {
    this.checkRange(block);
    into.set(this.bytes.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE));
  }

  *writeBlock(block: number, data: Uint8Array): Io<void> {
    this.checkRange(block);
    this.bytes.set(data.subarray(0, BLOCK_SIZE), block * BLOCK_SIZE);
  }

  *flush(): Io<void> {}

  private checkRange(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.blockCount) {
      throw new Error(`block ${block} is outside the device (0–${this.blockCount - 1})`);
    }
  }
}
