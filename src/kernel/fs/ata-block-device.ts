/**
 * The ATA disk as a block device: what CottonFS is mounted on at boot.
 *
 * Models: the glue every kernel has between its block layer and a disk
 * driver (Linux's request functions, xv6's bread/bwrite over ide.c). The
 * file system speaks in 4096-byte blocks; the drive in 512-byte sectors, so
 * block b is sectors 8b … 8b+7 (ATA/ATAPI-6 §4.2, LBA addressing). Each block
 * read or write is one READ/WRITE SECTORS command of 8 sectors, during which
 * the calling thread sleeps (see ../drivers/ata.ts); a flush is FLUSH CACHE,
 * the write barrier the journal relies on. Errors from the drive become EIO,
 * as the rest of the file system expects.
 */
import { AtaError, ATA_SECTOR_SIZE } from '../drivers/ata-disk';
import type { AtaDisk } from '../drivers/ata-disk';
import type { BlockDevice, Io } from './block-device';
import { BLOCK_SIZE } from './block-device';
import { FsError } from './vfs';

export const SECTORS_PER_BLOCK = BLOCK_SIZE / ATA_SECTOR_SIZE;

export class AtaBlockDevice implements BlockDevice {
  readonly blockCount: number;

  constructor(private readonly disk: AtaDisk) {
    this.blockCount = Math.floor(disk.sectors / SECTORS_PER_BLOCK);
  }

  *readBlock(block: number, into: Uint8Array): Io<void> {
    this.checkRange(block);
    yield* asIoError(this.disk.read(block * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, into));
  }

  *writeBlock(block: number, data: Uint8Array): Io<void> {
    this.checkRange(block);
    yield* asIoError(this.disk.write(block * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, data));
  }

  *flush(): Io<void> {
    yield* asIoError(this.disk.flush());
  }

  private checkRange(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.blockCount) {
      throw new FsError('EIO', `block ${block} is outside the disk (0–${this.blockCount - 1})`);
    }
  }
}

/** Run a driver operation, turning the drive's errors into the file system's EIO. */
function* asIoError(operation: Generator<void, void, void>): Io<void> {
  try {
    yield* operation;
  } catch (error) {
    if (error instanceof AtaError) throw new FsError('EIO', error.message);
    throw error;
  }
}
