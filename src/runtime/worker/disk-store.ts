/**
 * The reader's disk, kept in the browser: a disk image held in memory for the
 * machine's ATA device, and persisted chunk by chunk as the device reports
 * writes.
 *
 * Models: a disk drive's write-back cache over stable storage. The machine
 * writes to the image in memory (ata-pio.ts); each completed write command is
 * reported through the image's `onWrite`, which marks the 64 KiB chunks it
 * touched as dirty. Nothing else ever reaches storage: no shortcut through
 * the file system, only what the emulated device wrote. Dirty chunks are
 * written together at most FLUSH_DELAY_MS after the first of them (a
 * batch, so a burst of journal writes costs one storage transaction), and at
 * once when the host asks (reboot, page hidden or hidden for good).
 *
 * The stored form, per book-disk version (book-disk.ts): a meta record
 * { bytes, chunkBytes, stamp } and the chunks that are not all zeros (a
 * missing chunk reads as zeros, so a fresh 32 MiB disk stores about 1 MiB).
 * Every flush is one transaction: it reads the stored stamp and writes a new
 * one with its chunks, so the stored image is always a whole image as some
 * machine's disk was at one moment, never a mix. A machine whose stamp is no
 * longer the stored one (another tab, or another machine on the page, flushed
 * since) rewrites its whole image: the last machine to flush wins, whole.
 * That moment is captured in the transaction's first callback, synchronously,
 * so no write of the machine can fall between the chunks it copies. A whole
 * image is read only where it may hold data: the chunks it was loaded with,
 * the ranges its builder wrote (WrittenImage, ../host/book-disk.ts), and what the machine wrote since.
 * The rest of a fresh image is zeros the browser has not even given memory
 * yet; reading it would (32 MiB, a quarter of a second on a slow machine).
 *
 * A reboot does not read the disk back from storage: the machine being
 * replaced hands its disk to the new one (`handOver`, DiskHandover), the
 * chunks that may hold data, its stamp and the chunks it had not stored yet,
 * and stops storing. The new machine goes on from there as if it had loaded
 * what the old one would have stored; if the new one is not adopted (its
 * kernel did not build), the old one stores again (`resume`). Reading the
 * disk back took a quarter of a second of every reboot.
 *
 * The storage itself is behind ChunkStorage: IndexedDB in the browser
 * (indexeddb-storage.ts), memory in tests and where IndexedDB is unavailable.
 */
import { ATA_SECTOR_SIZE, type AtaDiskImage } from '../../emu/ata-pio';
import type { WrittenImage } from '../host/book-disk';

/** The unit of storage: small enough that a one-block write stores little, large enough that a 32 MiB disk is 512 records. */
export const DISK_CHUNK_BYTES = 64 * 1024;
/** The longest a write waits in memory before it is stored (unless the host flushes sooner). */
export const FLUSH_DELAY_MS = 250;

export interface StoredDiskMeta {
  /** The image's size in bytes. */
  readonly bytes: number;
  readonly chunkBytes: number;
  /** Changes with every flush: who wrote the stored image last. */
  readonly stamp: string;
}

export interface StoredDisk {
  readonly meta: StoredDiskMeta;
  /** The chunks that are not all zeros, by index. */
  readonly chunks: ReadonlyMap<number, Uint8Array>;
}

/**
 * A disk passed from the machine being replaced to the next one: what it
 * holds now, not what storage holds (see the header).
 */
export interface DiskHandover {
  readonly version: string;
  readonly meta: {
    readonly bytes: number;
    readonly chunkBytes: number;
    /** The stamp the old machine last stored under; null if it never stored. */
    readonly stamp: string | null;
  };
  /** The chunks that are not all zeros, by index (copies: the old machine runs on meanwhile). */
  readonly chunks: ReadonlyMap<number, Uint8Array>;
  /** Chunks the old machine wrote but had not stored: the new one stores them. */
  readonly dirty: readonly number[];
}

/** One atomic change to a version's stored disk. */
export interface DiskCommit {
  readonly meta: StoredDiskMeta;
  /** Remove every stored chunk of the version first (a whole image follows). */
  readonly replace: boolean;
  readonly put: ReadonlyMap<number, Uint8Array>;
  readonly remove: readonly number[];
}

/** Where stored disks live, one per version. */
export interface ChunkStorage {
  /** The stored disk of `version`, read in one transaction; null if there is none. */
  load(version: string): Promise<StoredDisk | null>;
  /**
   * In one transaction: read the stored stamp of `version` (null if none),
   * call `plan` with it synchronously, and apply the commit it returns.
   */
  commit(version: string, plan: (storedStamp: string | null) => DiskCommit): Promise<void>;
  /** Forget the stored disk of `version`, or of every version (null). */
  clear(version: string | null): Promise<void>;
  /** Forget every stored disk except `version`'s (earlier editions of the book). */
  clearOthers(version: string): Promise<void>;
}

export interface FlushStats {
  /** Transactions that stored something. */
  flushes: number;
  /** Chunk records written (put), and their bytes. */
  chunksWritten: number;
  bytesWritten: number;
  /** Flushes that rewrote the whole image (first store, or another writer flushed since). */
  wholeWrites: number;
}

export interface PersistentDiskOptions {
  readonly chunkBytes?: number;
  readonly flushDelayMs?: number;
  /** A new unique stamp (128 random bits by default). */
  readonly newStamp?: () => string;
}

function isAllZero(bytes: Uint8Array): boolean {
  // Compare 32 bits at a time when aligned: this runs over every chunk of a whole-image write.
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function chunkCount(bytes: number, chunkBytes: number): number {
  return Math.ceil(bytes / chunkBytes);
}

/** Every chunk index of an image: where data may be when nothing tells otherwise. */
function allChunks(bytes: number, chunkBytes: number): number[] {
  return Array.from({ length: chunkCount(bytes, chunkBytes) }, (_, index) => index);
}

/**
 * Copies of the chunks of `image` in `used` that are not all zeros (every
 * other chunk is known to be zeros). Only those chunks are read: reading a
 * chunk of a fresh image is what makes the browser give it memory, 32 MiB
 * for a whole disk.
 */
function nonZeroChunks(
  image: Uint8Array,
  chunkBytes: number,
  used: Iterable<number> = allChunks(image.length, chunkBytes),
): Map<number, Uint8Array> {
  const chunks = new Map<number, Uint8Array>();
  for (const index of [...used].sort((a, b) => a - b)) {
    const chunk = image.subarray(index * chunkBytes, (index + 1) * chunkBytes);
    if (!isAllZero(chunk)) chunks.set(index, chunk.slice());
  }
  return chunks;
}

/** The commit that stores `image` whole under a new stamp: its non-zero chunks (of `used`), nothing else. */
export function wholeImageCommit(
  image: Uint8Array,
  chunkBytes: number,
  stamp: string,
  used?: Iterable<number>,
): DiskCommit {
  const put = nonZeroChunks(image, chunkBytes, used);
  return { meta: { bytes: image.length, chunkBytes, stamp }, replace: true, put, remove: [] };
}

/** Put a stored (or handed over) disk back together; throws if the records do not make an image. */
export function assembleImage(stored: StoredDisk | DiskHandover): Uint8Array {
  const { bytes, chunkBytes } = stored.meta;
  if (!Number.isInteger(bytes) || bytes <= 0 || !Number.isInteger(chunkBytes) || chunkBytes <= 0) {
    throw new Error(
      `the stored disk's size (${bytes} bytes in chunks of ${chunkBytes}) is not valid`,
    );
  }
  const image = new Uint8Array(bytes);
  for (const [index, chunk] of stored.chunks) {
    const offset = index * chunkBytes;
    if (offset + chunk.length > bytes || chunk.length > chunkBytes)
      throw new Error(`stored chunk ${index} lies outside the disk`);
    image.set(chunk, offset);
  }
  return image;
}

/** 128 random bits as hex (getRandomValues, unlike randomUUID, exists outside secure contexts too). */
function randomStamp(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** Store `image` as the whole disk of `version` (an uploaded disk), replacing what was stored. */
export function storeWholeImage(
  storage: ChunkStorage,
  version: string,
  image: Uint8Array,
  chunkBytes = DISK_CHUNK_BYTES,
): Promise<void> {
  return storage.commit(version, () => wholeImageCommit(image, chunkBytes, randomStamp()));
}

/**
 * A disk image in memory that persists what the ATA device writes to it.
 * `image` is what the machine gets; `flush()` stores what changed.
 */
export class PersistentDisk {
  readonly image: AtaDiskImage;
  readonly stats: FlushStats = { flushes: 0, chunksWritten: 0, bytesWritten: 0, wholeWrites: 0 };
  private readonly chunkBytes: number;
  private readonly flushDelayMs: number;
  private readonly newStamp: () => string;
  private dirty = new Set<number>();
  /** The chunks that may hold data (null: any may); the others are zeros and never read. */
  private readonly used: Set<number> | null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Flushes run one after another. */
  private queue: Promise<void> = Promise.resolve();
  private suspended = false;

  /**
   * `stamp` is the stored stamp these bytes were loaded with, or null for an
   * image not stored yet (its first flush stores it whole). `used` lists the
   * chunks that may hold data, if that is known (the rest are zeros).
   */
  constructor(
    private readonly storage: ChunkStorage,
    readonly version: string,
    readonly bytes: Uint8Array,
    private stamp: string | null,
    options: PersistentDiskOptions = {},
    used: Iterable<number> | null = null,
  ) {
    this.used = used === null ? null : new Set(used);
    this.chunkBytes = options.chunkBytes ?? DISK_CHUNK_BYTES;
    this.flushDelayMs = options.flushDelayMs ?? FLUSH_DELAY_MS;
    this.newStamp = options.newStamp ?? randomStamp;
    this.image = {
      bytes,
      onWrite: (lba, count) => this.noteWrite(lba * ATA_SECTOR_SIZE, count * ATA_SECTOR_SIZE),
    };
  }

  /**
   * The stored disk of `version`, or `build()`'s image if none is stored (or
   * what is stored cannot be read back: a fresh disk beats no machine).
   */
  static async open(
    storage: ChunkStorage,
    version: string,
    build: () => Uint8Array | WrittenImage,
    options: PersistentDiskOptions = {},
  ): Promise<{ disk: PersistentDisk; source: 'stored' | 'built'; problem: string | null }> {
    let problem: string | null = null;
    try {
      const stored = await storage.load(version);
      if (stored)
        return {
          disk: PersistentDisk.of(storage, version, stored, options),
          source: 'stored',
          problem: null,
        };
    } catch (error) {
      problem = `the stored disk could not be read (${error instanceof Error ? error.message : String(error)}); starting from the book's disk`;
    }
    return {
      disk: PersistentDisk.ofBuilt(storage, version, build(), options),
      source: 'built',
      problem,
    };
  }

  /**
   * The disk another machine handed over (`handOver`): it goes on storing
   * from where that one stopped, the chunks it had not stored included.
   * Throws if the chunks do not make an image.
   */
  static adopt(
    storage: ChunkStorage,
    handover: DiskHandover,
    options: PersistentDiskOptions = {},
  ): PersistentDisk {
    const disk = PersistentDisk.of(storage, handover.version, handover, options);
    for (const index of handover.dirty)
      disk.noteWrite(index * handover.meta.chunkBytes, handover.meta.chunkBytes);
    return disk;
  }

  /** A disk of loaded (or handed over) chunks, with the stamp they were stored under. */
  private static of(
    storage: ChunkStorage,
    version: string,
    loaded: StoredDisk | DiskHandover,
    options: PersistentDiskOptions,
  ): PersistentDisk {
    const bytes = assembleImage(loaded);
    // In other chunks than ours: the first flush rewrites it whole in ours, reading all of it.
    const ours = loaded.meta.chunkBytes === (options.chunkBytes ?? DISK_CHUNK_BYTES);
    const stamp = ours ? loaded.meta.stamp : null;
    const used = ours ? loaded.chunks.keys() : null;
    return new PersistentDisk(storage, version, bytes, stamp, options, used);
  }

  private static ofBuilt(
    storage: ChunkStorage,
    version: string,
    built: Uint8Array | WrittenImage,
    options: PersistentDiskOptions,
  ): PersistentDisk {
    if (built instanceof Uint8Array)
      return new PersistentDisk(storage, version, built, null, options);
    const disk = new PersistentDisk(storage, version, built.bytes, null, options, []);
    for (const [offset, length] of built.written) disk.markUsed(offset, length);
    return disk;
  }

  /** The chunks of bytes [offset, offset + length). */
  private chunksOf(offset: number, length: number): number[] {
    const first = Math.floor(offset / this.chunkBytes);
    const last = Math.floor((Math.min(offset + length, this.bytes.length) - 1) / this.chunkBytes);
    return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  }

  private markUsed(offset: number, length: number): void {
    for (const index of this.chunksOf(offset, length)) this.used?.add(index);
  }

  /** The bytes [offset, offset + length) changed: store their chunks soon. */
  noteWrite(offset: number, length: number): void {
    if (length <= 0) return;
    for (const index of this.chunksOf(offset, length)) {
      this.dirty.add(index);
      this.used?.add(index);
    }
    if (this.timer === null && !this.suspended)
      this.timer = setTimeout(() => void this.flush().catch(() => {}), this.flushDelayMs);
  }

  /** Chunks changed since the last flush. */
  get pendingChunks(): number {
    return this.dirty.size;
  }

  /** Store every change so far (and, if the image was never stored, the image). Resolves once stored. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const run = this.queue.then(() => this.flushNow());
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Store what is pending, then stop storing (the disk is being replaced:
   * Reset or Upload); changes are still tracked, for `resume()`.
   */
  async suspend(): Promise<void> {
    await this.flush();
    this.suspended = true;
  }

  /**
   * Hand this disk to the machine that replaces this one (a reboot), and stop
   * storing: from now on the new machine stores the reader's disk. Null if
   * this disk is not storing (Reset or Upload is replacing the stored disk:
   * the new machine must load that one). `resume()` takes the disk back.
   */
  handOver(): DiskHandover | null {
    if (this.suspended) return null;
    const chunks = nonZeroChunks(this.bytes, this.chunkBytes, this.used ?? undefined);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.suspended = true;
    return {
      version: this.version,
      meta: { bytes: this.bytes.length, chunkBytes: this.chunkBytes, stamp: this.stamp },
      chunks,
      dirty: [...this.dirty],
    };
  }

  /** Store changes again (the replacement failed: this disk stays the reader's). */
  resume(): void {
    this.suspended = false;
    if (this.dirty.size > 0) void this.flush().catch(() => {});
  }

  private async flushNow(): Promise<void> {
    if (this.suspended || (this.dirty.size === 0 && this.stamp !== null)) return;
    const stamp = this.newStamp();
    let taken: Set<number> | null = null;
    let commit: DiskCommit | null = null;
    try {
      await this.storage.commit(this.version, (storedStamp) => {
        // The moment the stored image is taken: everything the machine wrote up to here, nothing after.
        taken = this.dirty;
        this.dirty = new Set();
        commit =
          storedStamp === null || storedStamp !== this.stamp
            ? wholeImageCommit(this.bytes, this.chunkBytes, stamp, this.used ?? undefined)
            : this.deltaCommit(taken, stamp);
        return commit;
      });
    } catch (error) {
      if (taken) for (const index of taken as Set<number>) this.dirty.add(index);
      throw error;
    }
    this.stamp = stamp;
    const done = commit as DiskCommit | null;
    if (!done) return;
    this.stats.flushes++;
    if (done.replace) this.stats.wholeWrites++;
    this.stats.chunksWritten += done.put.size;
    for (const chunk of done.put.values()) this.stats.bytesWritten += chunk.length;
  }

  /** The chunks in `indices` as they are now: all-zero ones removed, the others written. */
  private deltaCommit(indices: ReadonlySet<number>, stamp: string): DiskCommit {
    const put = new Map<number, Uint8Array>();
    const remove: number[] = [];
    for (const index of [...indices].sort((a, b) => a - b)) {
      const chunk = this.bytes.subarray(index * this.chunkBytes, (index + 1) * this.chunkBytes);
      if (isAllZero(chunk)) remove.push(index);
      else put.set(index, chunk.slice());
    }
    return {
      meta: { bytes: this.bytes.length, chunkBytes: this.chunkBytes, stamp },
      replace: false,
      put,
      remove,
    };
  }
}

/**
 * ChunkStorage in memory: the tests' storage, and the page's when IndexedDB
 * is unavailable (the disk then lasts as long as the page).
 */
export class MemoryChunkStorage implements ChunkStorage {
  readonly disks = new Map<string, { meta: StoredDiskMeta; chunks: Map<number, Uint8Array> }>();
  /** Fail the next commits (a full disk, a closed database). */
  failCommits = 0;

  async load(version: string): Promise<StoredDisk | null> {
    const disk = this.disks.get(version);
    return disk
      ? { meta: disk.meta, chunks: new Map([...disk.chunks].map(([i, c]) => [i, c.slice()])) }
      : null;
  }

  async commit(version: string, plan: (storedStamp: string | null) => DiskCommit): Promise<void> {
    const stored = this.disks.get(version);
    const commit = plan(stored?.meta.stamp ?? null);
    if (this.failCommits > 0) {
      this.failCommits--;
      throw new Error('the storage refused the commit');
    }
    const chunks = commit.replace || !stored ? new Map<number, Uint8Array>() : stored.chunks;
    for (const index of commit.remove) chunks.delete(index);
    for (const [index, chunk] of commit.put) chunks.set(index, chunk.slice());
    this.disks.set(version, { meta: commit.meta, chunks });
  }

  async clear(version: string | null): Promise<void> {
    if (version === null) this.disks.clear();
    else this.disks.delete(version);
  }

  async clearOthers(version: string): Promise<void> {
    for (const key of [...this.disks.keys()]) if (key !== version) this.disks.delete(key);
  }
}
