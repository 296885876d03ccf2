/**
 * The journal: how CottonFS survives a power cut at any moment.
 *
 * Models: JBD, the journalling layer of ext3, in its "data=journal" mode: every
 * changed block, file data as well as metadata, is written twice, first to the
 * journal and then to its home. The steps of a commit are
 *
 *   1. write a descriptor and the new contents of every dirty block to the journal;
 *   2. write the commit record (with a checksum of step 1): the transaction now
 *      exists, and will be replayed after a crash;
 *   3. checkpoint: write every block to its home location;
 *   4. write the journal header with the next sequence number: the journal is empty.
 *
 * with a device flush (a write barrier) after 1, 2, 3 and 4. At mount, a
 * committed transaction still in the journal is replayed (step 3 again; doing
 * it twice is harmless) and anything else in the journal is ignored.
 *
 * The guarantees (what the crash tests check):
 *   - Atomic operations: a file system operation (create, mkdir, unlink,
 *     rename, truncate, a write of up to `writeStepBlocks` blocks) is in one
 *     transaction; after a crash it has happened completely or not at all.
 *     A longer write is split into steps, each atomic, so after a crash the file
 *     holds a prefix of the written data and the size says how much.
 *   - Durability at sync: once `sync` has returned, everything before it
 *     survives any later power cut.
 *   - Consistency: after replay, the bitmaps, link counts and directories agree
 *     (fsck finds nothing), whatever the moment of the cut.
 *  It assumes what JBD assumes: a block write is atomic (the checksum catches a
 *  torn journal block, not a torn home block), and the disk honours flushes.
 */
import type { BlockDevice, Io } from '../block-device';
import { BLOCK_SIZE } from '../block-device';
import type { BlockCache } from './block-cache';
import {
  DESCRIPTOR_CAPACITY,
  JOURNAL_COMMIT_MAGIC,
  JOURNAL_DESCRIPTOR_MAGIC,
  JOURNAL_HEADER_MAGIC,
  crc32,
  decodeJournalCommit,
  decodeJournalDescriptor,
  decodeJournalHeader,
  encodeJournalCommit,
  encodeJournalDescriptor,
  encodeJournalHeader,
} from './journal-format';

/** The journal's header is not a header: the journal cannot be trusted (fsck resets it). */
export class JournalDamaged extends Error {}

/**
 * The last transaction the journal holds, as this journal last wrote or read
 * it: its descriptor's sequence and home blocks, and whether a valid commit
 * record follows them. The journal is the only writer of its blocks, so this
 * is what the disk holds, and `journal` (./inspection.ts) shows it without
 * reading the disk.
 */
export interface LoggedTransaction {
  readonly sequence: number;
  readonly homeBlocks: readonly number[];
  /** The CRC-32 of the descriptor and the logged blocks. */
  readonly checksum: number;
  /** A commit record with this sequence, count and checksum follows the logged blocks. */
  readonly committed: boolean;
}

/** Header, descriptor and commit take three of the journal's blocks. */
const JOURNAL_OVERHEAD_BLOCKS = 3;
const HEADER = 0;
const DESCRIPTOR = 1;
const FIRST_DATA = 2;

export class Journal {
  /** Most blocks one transaction may hold. */
  readonly capacity: number;
  private sequence = 0;
  /** The transaction in the log since this journal's mount or last commit, or null if none. */
  private logged: LoggedTransaction | null = null;

  constructor(
    private readonly device: BlockDevice,
    readonly start: number,
    readonly blocks: number,
  ) {
    this.capacity = Math.min(blocks - JOURNAL_OVERHEAD_BLOCKS, DESCRIPTOR_CAPACITY);
  }

  /** The header's sequence number: the next transaction's. */
  get headerSequence(): number {
    return this.sequence;
  }

  /** The last transaction in the log (replayed, ignored or checkpointed), or null if none. */
  get lastTransaction(): LoggedTransaction | null {
    return this.logged;
  }

  /** mkfs: an empty journal. */
  *format(): Io<void> {
    yield* this.writeHeader(1);
    yield* this.device.flush();
  }

  /**
   * Mount: replay a committed transaction if there is one, then start a new
   * sequence. Returns the number of blocks replayed. `isHomeBlock` rejects a
   * descriptor that names a block outside the file system.
   */
  *recover(isHomeBlock: (block: number) => boolean): Io<number> {
    const header = decodeJournalHeader(yield* this.readJournalBlock(HEADER));
    if (header.magic !== JOURNAL_HEADER_MAGIC)
      throw new JournalDamaged(
        `journal header at block ${this.start} has bad magic 0x${header.magic.toString(16)}`,
      );
    const found = yield* this.readLoggedTransaction();
    this.logged = found && found.transaction;
    const replayed =
      found?.transaction.committed &&
      found.transaction.sequence === header.sequence &&
      found.blocks.every(({ block }) => isHomeBlock(block))
        ? found.blocks
        : [];
    for (const { block, data } of replayed) yield* this.device.writeBlock(block, data);
    yield* this.device.flush();
    this.sequence = (header.sequence + 1) >>> 0;
    yield* this.writeHeader(this.sequence);
    yield* this.device.flush();
    return replayed.length;
  }

  /** Commit the cache's dirty blocks as one transaction and checkpoint them. */
  *commit(cache: BlockCache): Io<void> {
    const transaction = cache.dirtyBlocks();
    if (transaction.length === 0) return;
    if (transaction.length > this.capacity)
      throw new Error(
        `journal: a transaction of ${transaction.length} blocks exceeds the journal's ${this.capacity}`,
      );
    this.logged = yield* this.writeTransaction(transaction);
    for (const { block, data } of transaction) yield* this.device.writeBlock(block, data);
    yield* this.device.flush();
    cache.markAllClean();
    this.sequence = (this.sequence + 1) >>> 0;
    yield* this.writeHeader(this.sequence);
    yield* this.device.flush();
  }

  /** Steps 1 and 2: the log record, then the commit record that makes it count. */
  private *writeTransaction(
    transaction: { block: number; data: Uint8Array }[],
  ): Io<LoggedTransaction> {
    const descriptor = new Uint8Array(BLOCK_SIZE);
    const homeBlocks = transaction.map((t) => t.block);
    encodeJournalDescriptor(
      { magic: JOURNAL_DESCRIPTOR_MAGIC, sequence: this.sequence, homeBlocks },
      descriptor,
    );
    let checksum = crc32(descriptor);
    yield* this.writeJournalBlock(DESCRIPTOR, descriptor);
    for (const [i, { data }] of transaction.entries()) {
      checksum = crc32(data, checksum);
      yield* this.writeJournalBlock(FIRST_DATA + i, data);
    }
    yield* this.device.flush();
    const commit = new Uint8Array(BLOCK_SIZE);
    encodeJournalCommit(
      { magic: JOURNAL_COMMIT_MAGIC, sequence: this.sequence, count: transaction.length, checksum },
      commit,
    );
    yield* this.writeJournalBlock(FIRST_DATA + transaction.length, commit);
    yield* this.device.flush();
    return { sequence: this.sequence, homeBlocks, checksum, committed: true };
  }

  /**
   * The transaction the log holds, whatever its sequence, with its blocks; null
   * if there is no descriptor, or one naming no blocks or more than fit.
   */
  private *readLoggedTransaction(): Io<{
    transaction: LoggedTransaction;
    blocks: { block: number; data: Uint8Array }[];
  } | null> {
    const descriptorBlock = yield* this.readJournalBlock(DESCRIPTOR);
    const descriptor = decodeJournalDescriptor(descriptorBlock);
    const count = descriptor.homeBlocks.length;
    if (descriptor.magic !== JOURNAL_DESCRIPTOR_MAGIC || count === 0 || count > this.capacity)
      return null;
    let checksum = crc32(descriptorBlock);
    const blocks: { block: number; data: Uint8Array }[] = [];
    for (let i = 0; i < count; i++) {
      const data = yield* this.readJournalBlock(FIRST_DATA + i);
      checksum = crc32(data, checksum);
      blocks.push({ block: descriptor.homeBlocks[i]!, data });
    }
    const commit = decodeJournalCommit(yield* this.readJournalBlock(FIRST_DATA + count));
    const committed =
      commit.magic === JOURNAL_COMMIT_MAGIC &&
      commit.sequence === descriptor.sequence &&
      commit.count === count &&
      commit.checksum === checksum;
    const { sequence, homeBlocks } = descriptor;
    return { transaction: { sequence, homeBlocks, checksum, committed }, blocks };
  }

  private *writeHeader(sequence: number): Io<void> {
    const header = new Uint8Array(BLOCK_SIZE);
    encodeJournalHeader({ magic: JOURNAL_HEADER_MAGIC, sequence }, header);
    yield* this.writeJournalBlock(HEADER, header);
  }

  private *readJournalBlock(index: number): Io<Uint8Array> {
    const data = new Uint8Array(BLOCK_SIZE);
    yield* this.device.readBlock(this.start + index, data);
    return data;
  }

  private *writeJournalBlock(index: number, data: Uint8Array): Io<void> {
    yield* this.device.writeBlock(this.start + index, data);
  }
}
