/**
 * One lock per mounted file system: its operations run one at a time.
 *
 * Models: the big per-file-system lock of early Unix file systems (and of
 * ext2's superblock lock), the simplest correct answer to a real problem. A
 * CottonFS operation is a generator that may sleep in the middle — on a disk
 * read, or while the flusher commits the journal — and another task could
 * then run a second operation on the same half-changed bitmaps, inodes and
 * cached blocks. Taking the file system's Mutex around every operation makes
 * each one atomic with respect to the others; finer locks (per inode, as
 * Linux has) would let more run at once, at the price of much harder code.
 *
 * The wrapper is the kernel's: the host tools run the same CottonFS code
 * without it, since nothing runs concurrently there.
 */
import { Mutex } from '../sched/sync';
import type { Io } from './block-device';
import type { DirEntry, FileSystem, FileType, FsStats, Inode, Stat } from './vfs';

export class LockedFs implements FileSystem {
  readonly lock = new Mutex();

  constructor(readonly inner: FileSystem) {}

  get name(): string {
    return this.inner.name;
  }

  root(): Inode {
    return new LockedInode(this, this.inner.root());
  }

  sync(): Io<void> {
    return this.locked(() => this.inner.sync());
  }

  stats(): Io<FsStats> {
    return this.locked(() => this.inner.stats());
  }

  /** Run `operation` holding the lock; it is released however the operation ends. */
  *locked<T>(operation: () => Io<T>): Io<T> {
    yield* this.lock.lock();
    try {
      return yield* operation();
    } finally {
      this.lock.unlock();
    }
  }
}

/** The file system under a (possibly locked) mount, for code that needs the real one (fsck, labels). */
export function unlocked(fs: FileSystem): FileSystem {
  return fs instanceof LockedFs ? fs.inner : fs;
}

class LockedInode implements Inode {
  constructor(
    readonly fs: LockedFs,
    readonly inner: Inode,
  ) {}

  get number(): number {
    return this.inner.number;
  }

  get generation(): number | undefined {
    return this.inner.generation;
  }

  // Counting references changes no disk block, so it needs no lock.
  retain(): void {
    this.inner.retain?.();
  }
  release(): void {
    this.inner.release?.();
  }

  private wrap(operation: () => Io<Inode>): Io<Inode> {
    const fs = this.fs;
    return (function* () {
      return new LockedInode(fs, yield* fs.locked(operation));
    })();
  }

  stat(): Io<Stat> {
    return this.fs.locked(() => this.inner.stat());
  }
  read(offset: number, buffer: Uint8Array): Io<number> {
    return this.fs.locked(() => this.inner.read(offset, buffer));
  }
  write(offset: number, data: Uint8Array): Io<number> {
    return this.fs.locked(() => this.inner.write(offset, data));
  }
  truncate(size: number): Io<void> {
    return this.fs.locked(() => this.inner.truncate(size));
  }
  lookup(name: string): Io<Inode> {
    return this.wrap(() => this.inner.lookup(name));
  }
  create(name: string, type: FileType, mode?: number): Io<Inode> {
    return this.wrap(() => this.inner.create(name, type, mode));
  }
  mkdir(name: string): Io<Inode> {
    return this.wrap(() => this.inner.mkdir(name));
  }
  unlink(name: string): Io<void> {
    return this.fs.locked(() => this.inner.unlink(name));
  }
  rmdir(name: string): Io<void> {
    return this.fs.locked(() => this.inner.rmdir(name));
  }
  link(name: string, target: Inode): Io<void> {
    return this.fs.locked(() => this.inner.link(name, innerInode(target)));
  }
  rename(name: string, newParent: Inode, newName: string): Io<void> {
    return this.fs.locked(() => this.inner.rename(name, innerInode(newParent), newName));
  }
  readdir(): Io<DirEntry[]> {
    return this.fs.locked(() => this.inner.readdir());
  }
}

function innerInode(inode: Inode): Inode {
  return inode instanceof LockedInode ? inode.inner : inode;
}
