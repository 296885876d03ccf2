/**
 * Inodes of file systems whose tree the kernel makes itself — BootFS (the
 * boot modules) and DevFS (the devices). Nobody can add, remove or rename
 * anything in them, so every change to the tree is refused, with the error
 * each file system chooses; a file is no directory and a directory no file.
 * What is left for each is what makes it itself: stat, read and write for a
 * file, lookup and readdir for a directory.
 */
import type { Io } from './block-device';
import { FsError } from './vfs';
import type { DirEntry, FileSystem, Inode, Stat } from './vfs';

abstract class FixedTreeInode {
  abstract readonly fs: FileSystem;
  abstract readonly number: number;

  /** The error for any change to the tree (EROFS for BootFS, EPERM for DevFS). */
  protected abstract refusal(): FsError;

  create(): Io<Inode> {
    throw this.refusal();
  }
  mkdir(): Io<Inode> {
    throw this.refusal();
  }
  unlink(): Io<void> {
    throw this.refusal();
  }
  rmdir(): Io<void> {
    throw this.refusal();
  }
  link(): Io<void> {
    throw this.refusal();
  }
  rename(): Io<void> {
    throw this.refusal();
  }
}

/** A file (or device) in a fixed tree. */
export abstract class FixedFile extends FixedTreeInode implements Inode {
  abstract stat(): Io<Stat>;
  abstract read(offset: number, buffer: Uint8Array): Io<number>;
  abstract write(offset: number, data: Uint8Array): Io<number>;
  abstract truncate(size: number): Io<void>;

  lookup(): Io<Inode> {
    throw new FsError('ENOTDIR', 'not a directory');
  }
  readdir(): Io<DirEntry[]> {
    throw new FsError('ENOTDIR', 'not a directory');
  }
}

/** A directory in a fixed tree. */
export abstract class FixedDirectory extends FixedTreeInode implements Inode {
  abstract stat(): Io<Stat>;
  abstract lookup(name: string): Io<Inode>;
  abstract readdir(): Io<DirEntry[]>;

  read(): Io<number> {
    throw new FsError('EISDIR', 'a directory');
  }
  write(): Io<number> {
    throw new FsError('EISDIR', 'a directory');
  }
  truncate(): Io<void> {
    throw new FsError('EISDIR', 'a directory');
  }
}
