import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  assembleImage,
  DISK_CHUNK_BYTES,
  FLUSH_DELAY_MS,
  MemoryChunkStorage,
  PersistentDisk,
  storeWholeImage,
} from '../../../src/runtime/worker/disk-store';

const CHUNK = DISK_CHUNK_BYTES;
const SECTOR = 512;

/** A disk of `chunks` chunks with a little data in chunk 0 and chunk 2 (the rest zeros). */
function sampleImage(chunks = 8): Uint8Array {
  const image = new Uint8Array(chunks * CHUNK);
  image.fill(1, 0, 100);
  image.fill(2, 2 * CHUNK + 10, 2 * CHUNK + 20);
  return image;
}

/** Byte equality (toEqual walks a 512 KiB array element by element, for seconds). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

let stamps = 0;
const options = { newStamp: () => `stamp-${++stamps}` };

/** What the machine's ATA device does: change the bytes of `count` sectors at `lba`, then report the write. */
function ataWrite(disk: PersistentDisk, lba: number, count: number, value: number): void {
  disk.bytes.fill(value, lba * SECTOR, (lba + count) * SECTOR);
  disk.image.onWrite!(lba, count);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the reader's disk store", () => {
  it('stores a built disk whole on its first flush, without its all-zero chunks', async () => {
    const storage = new MemoryChunkStorage();
    const { disk, source } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    expect(source).toBe('built');
    await disk.flush();
    const stored = storage.disks.get('v1')!;
    expect([...stored.chunks.keys()].sort()).toEqual([0, 2]);
    expect(stored.meta).toMatchObject({ bytes: 8 * CHUNK, chunkBytes: CHUNK });
    expect(disk.stats).toMatchObject({
      flushes: 1,
      wholeWrites: 1,
      chunksWritten: 2,
      bytesWritten: 2 * CHUNK,
    });
    expect(same(assembleImage((await storage.load('v1'))!), disk.bytes)).toBe(true);
  });

  it('reads only what the builder wrote, and what the machine wrote since, when it stores a built disk whole', async () => {
    const storage = new MemoryChunkStorage();
    const bytes = sampleImage();
    bytes.fill(9, 5 * CHUNK, 5 * CHUNK + 8); // not in `written`: the builder vouches it is zeros
    const written = [
      [0, 100],
      [2 * CHUNK + 10, 10],
    ] as const;
    const { disk } = await PersistentDisk.open(storage, 'v1', () => ({ bytes, written }), options);
    ataWrite(disk, (6 * CHUNK) / SECTOR, 1, 7);
    await disk.flush();
    expect([...storage.disks.get('v1')!.chunks.keys()].sort()).toEqual([0, 2, 6]);
    // Another tab stored since: the rewrite reads the same chunks, and the new write.
    storage.disks.get('v1')!.meta = { ...storage.disks.get('v1')!.meta, stamp: 'other' };
    ataWrite(disk, (7 * CHUNK) / SECTOR, 1, 8);
    await disk.flush();
    expect([...storage.disks.get('v1')!.chunks.keys()].sort()).toEqual([0, 2, 6, 7]);
  });

  it('rewrites a disk stored in other chunks whole, in its own chunks, with all its data', async () => {
    const storage = new MemoryChunkStorage();
    const image = sampleImage();
    image.fill(3, 7 * CHUNK + 5, 7 * CHUNK + 9);
    await storeWholeImage(storage, 'v1', image, CHUNK / 4);
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    ataWrite(disk, 0, 1, 4);
    await disk.flush();
    const stored = storage.disks.get('v1')!;
    expect(stored.meta.chunkBytes).toBe(CHUNK);
    expect([...stored.chunks.keys()].sort()).toEqual([0, 2, 7]);
    expect(same(assembleImage((await storage.load('v1'))!), disk.bytes)).toBe(true);
  });

  it('loads the stored disk instead of building one', async () => {
    const storage = new MemoryChunkStorage();
    await storeWholeImage(storage, 'v1', sampleImage(4));
    const build = vi.fn(() => new Uint8Array(CHUNK));
    const { disk, source } = await PersistentDisk.open(storage, 'v1', build, options);
    expect(source).toBe('stored');
    expect(build).not.toHaveBeenCalled();
    expect(same(disk.bytes, sampleImage(4))).toBe(true);
  });

  it('writes only the chunks an ATA write touched, and removes chunks that became zeros', async () => {
    const storage = new MemoryChunkStorage();
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await disk.flush();
    ataWrite(disk, (5 * CHUNK) / SECTOR - 1, 2, 7); // one sector at the end of chunk 4, one at the start of chunk 5
    expect(disk.pendingChunks).toBe(2);
    disk.bytes.fill(0, 2 * CHUNK, 3 * CHUNK);
    disk.image.onWrite!((2 * CHUNK) / SECTOR, CHUNK / SECTOR);
    const before = { ...disk.stats };
    await disk.flush();
    expect(disk.stats.chunksWritten - before.chunksWritten).toBe(2);
    expect(disk.stats.bytesWritten - before.bytesWritten).toBe(2 * CHUNK);
    expect(disk.stats.wholeWrites).toBe(1);
    expect([...storage.disks.get('v1')!.chunks.keys()].sort()).toEqual([0, 4, 5]);
    expect(same(assembleImage((await storage.load('v1'))!), disk.bytes)).toBe(true);
  });

  it('batches the writes of a burst into one flush, FLUSH_DELAY_MS after the first', async () => {
    vi.useFakeTimers();
    const storage = new MemoryChunkStorage();
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await disk.flush();
    for (let i = 0; i < 20; i++) ataWrite(disk, 8 + i, 1, i + 1);
    expect(disk.stats.flushes).toBe(1);
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS - 1);
    expect(disk.stats.flushes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(disk.stats.flushes).toBe(2);
    expect(disk.stats.chunksWritten).toBe(3);
    expect(disk.pendingChunks).toBe(0);
  });

  it('rewrites its whole image when another machine flushed since (the last writer wins, whole)', async () => {
    const storage = new MemoryChunkStorage();
    const tabA = (await PersistentDisk.open(storage, 'v1', () => sampleImage(), options)).disk;
    await tabA.flush();
    const tabB = (await PersistentDisk.open(storage, 'v1', () => sampleImage(), options)).disk;
    ataWrite(tabB, 300, 1, 0xbb); // chunk 2
    await tabB.flush();
    ataWrite(tabA, 700, 1, 0xaa); // chunk 5
    await tabA.flush();
    expect(tabA.stats.wholeWrites).toBe(2);
    // The stored disk is tab A's, whole: none of tab B's write is mixed in.
    expect(same(assembleImage((await storage.load('v1'))!), tabA.bytes)).toBe(true);
  });

  it('keeps the changes of a failed flush for the next one', async () => {
    const storage = new MemoryChunkStorage();
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await disk.flush();
    ataWrite(disk, 900, 1, 9);
    storage.failCommits = 1;
    await expect(disk.flush()).rejects.toThrow(/refused/);
    expect(disk.pendingChunks).toBe(1);
    await disk.flush();
    expect(same(assembleImage((await storage.load('v1'))!), disk.bytes)).toBe(true);
  });

  it('stores nothing while suspended (a disk being replaced), and catches up on resume', async () => {
    const storage = new MemoryChunkStorage();
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await disk.suspend();
    ataWrite(disk, 1000, 1, 3);
    await disk.flush();
    expect(assembleImage((await storage.load('v1'))!)[1000 * SECTOR]).toBe(0);
    disk.resume();
    await disk.flush();
    expect(assembleImage((await storage.load('v1'))!)[1000 * SECTOR]).toBe(3);
  });

  it('hands its disk to the machine that replaces it, which goes on storing it where it stopped', async () => {
    const storage = new MemoryChunkStorage();
    const { disk: old } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await old.flush();
    ataWrite(old, 400, 1, 4); // chunk 3, not stored yet when the reboot comes
    const handover = old.handOver()!;
    expect([...handover.chunks.keys()].sort()).toEqual([0, 2, 3]);
    expect(handover.dirty).toEqual([3]);
    const next = PersistentDisk.adopt(storage, handover, options);
    expect(same(next.bytes, old.bytes)).toBe(true);
    // The old machine runs on until the page drops it, but no longer stores.
    ataWrite(old, 401, 1, 0xee);
    await old.flush();
    expect(old.stats.flushes).toBe(1);
    // The new one stores what the old one had not, as a change to the stored disk (not whole).
    expect(next.pendingChunks).toBe(1);
    ataWrite(next, 1000, 1, 5); // chunk 7
    await next.flush();
    expect(next.stats).toMatchObject({ flushes: 1, wholeWrites: 0, chunksWritten: 2 });
    expect(same(assembleImage((await storage.load('v1'))!), next.bytes)).toBe(true);
  });

  it('stores again after a handover if the new machine is not adopted', async () => {
    const storage = new MemoryChunkStorage();
    const { disk: old } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await old.flush();
    ataWrite(old, 400, 1, 4);
    old.handOver();
    old.resume();
    await old.flush();
    expect(same(assembleImage((await storage.load('v1'))!), old.bytes)).toBe(true);
  });

  it('hands over nothing while suspended: the stored disk is being replaced, and the next machine loads that one', async () => {
    const storage = new MemoryChunkStorage();
    const { disk } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), options);
    await disk.suspend();
    expect(disk.handOver()).toBeNull();
  });

  it('hands over a disk it never stored with no stamp, so the next machine stores it whole', async () => {
    const storage = new MemoryChunkStorage();
    const unflushed = { ...options, flushDelayMs: 60_000 };
    const { disk: old } = await PersistentDisk.open(storage, 'v1', () => sampleImage(), unflushed);
    const handover = old.handOver()!;
    expect(handover.meta.stamp).toBeNull();
    const next = PersistentDisk.adopt(storage, handover, unflushed);
    await next.flush();
    expect(next.stats.wholeWrites).toBe(1);
    expect(same(assembleImage((await storage.load('v1'))!), sampleImage())).toBe(true);
  });

  it('starts from the built disk when the stored one cannot be put together', async () => {
    const storage = new MemoryChunkStorage();
    storage.disks.set('v1', {
      meta: { bytes: CHUNK, chunkBytes: CHUNK, stamp: 's' },
      chunks: new Map([[3, new Uint8Array(CHUNK)]]),
    });
    const { source, problem, disk } = await PersistentDisk.open(
      storage,
      'v1',
      () => sampleImage(2),
      options,
    );
    expect(source).toBe('built');
    expect(problem).toMatch(/chunk 3 lies outside the disk/);
    expect(disk.bytes.length).toBe(2 * CHUNK);
  });

  it('keeps one stored disk per version, and clears the others', async () => {
    const storage = new MemoryChunkStorage();
    await storeWholeImage(storage, 'old', sampleImage(2));
    await storeWholeImage(storage, 'new', sampleImage(3));
    expect(
      (await PersistentDisk.open(storage, 'new', () => new Uint8Array(0), options)).disk.bytes
        .length,
    ).toBe(3 * CHUNK);
    await storage.clearOthers('new');
    expect([...storage.disks.keys()]).toEqual(['new']);
  });
});
