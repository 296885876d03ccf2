/**
 * ChunkStorage on IndexedDB: where the reader's disk lives in the browser
 * (disk-store.ts describes the records).
 *
 * One database per origin, so every chapter's machine finds the same disk:
 *
 *   cottonos-disk
 *     meta    key: version             value: { bytes, chunkBytes, stamp }
 *     chunks  key: [version, index]    value: ArrayBuffer (one chunk)
 *
 * Each operation is one transaction over both stores, which IndexedDB runs
 * atomically: a commit's chunks and its new stamp land together or not at
 * all. The machine worker uses it directly (IndexedDB exists in workers), so
 * the disk's bytes never travel through the page; the page uses it too, for
 * Reset and Upload.
 */
import type { ChunkStorage, DiskCommit, StoredDisk, StoredDiskMeta } from './disk-store';

const DATABASE = 'cottonos-disk';
const DATABASE_VERSION = 1;
const META = 'meta';
const CHUNKS = 'chunks';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** Every chunk key of `version`. */
function chunksOf(version: string): IDBKeyRange {
  return IDBKeyRange.bound([version, 0], [version, Infinity]);
}

export class IndexedDbChunkStorage implements ChunkStorage {
  private database: Promise<IDBDatabase> | null = null;

  /** Whether this context has IndexedDB at all. */
  static available(): boolean {
    return typeof indexedDB !== 'undefined';
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DATABASE, DATABASE_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
        if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
      };
      req.onsuccess = () => {
        // Another tab upgrading the database must not wait for this one.
        req.result.onversionchange = () => req.result.close();
        resolve(req.result);
      };
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    this.database.catch(() => (this.database = null));
    return this.database;
  }

  async load(version: string): Promise<StoredDisk | null> {
    const db = await this.open();
    const tx = db.transaction([META, CHUNKS], 'readonly');
    const finished = done(tx);
    const [meta, keys, values] = await Promise.all([
      request(tx.objectStore(META).get(version) as IDBRequest<StoredDiskMeta | undefined>),
      request(tx.objectStore(CHUNKS).getAllKeys(chunksOf(version))),
      request(tx.objectStore(CHUNKS).getAll(chunksOf(version)) as IDBRequest<ArrayBuffer[]>),
    ]);
    await finished;
    if (!meta) return null;
    const chunks = new Map<number, Uint8Array>();
    keys.forEach((key, i) => chunks.set((key as [string, number])[1], new Uint8Array(values[i]!)));
    return { meta, chunks };
  }

  async commit(version: string, plan: (storedStamp: string | null) => DiskCommit): Promise<void> {
    const db = await this.open();
    const tx = db.transaction([META, CHUNKS], 'readwrite', { durability: 'strict' });
    const finished = done(tx);
    const metaStore = tx.objectStore(META);
    const chunkStore = tx.objectStore(CHUNKS);
    const read = metaStore.get(version) as IDBRequest<StoredDiskMeta | undefined>;
    read.onsuccess = () => {
      let commit: DiskCommit;
      try {
        commit = plan(read.result?.stamp ?? null);
      } catch (error) {
        tx.abort();
        throw error;
      }
      if (commit.replace) chunkStore.delete(chunksOf(version));
      for (const index of commit.remove) chunkStore.delete([version, index]);
      for (const [index, chunk] of commit.put) {
        chunkStore.put(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length), [
          version,
          index,
        ]);
      }
      metaStore.put(commit.meta, version);
      tx.commit?.();
    };
    await finished;
  }

  async clear(version: string | null): Promise<void> {
    const db = await this.open();
    const tx = db.transaction([META, CHUNKS], 'readwrite');
    const finished = done(tx);
    if (version === null) {
      tx.objectStore(META).clear();
      tx.objectStore(CHUNKS).clear();
    } else {
      tx.objectStore(META).delete(version);
      tx.objectStore(CHUNKS).delete(chunksOf(version));
    }
    await finished;
  }

  async clearOthers(version: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction([META, CHUNKS], 'readwrite');
    const finished = done(tx);
    const versions = await request(tx.objectStore(META).getAllKeys());
    for (const other of versions) {
      if (other === version) continue;
      tx.objectStore(META).delete(other);
      tx.objectStore(CHUNKS).delete(chunksOf(other as string));
    }
    await finished;
  }
}
