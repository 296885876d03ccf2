/**
 * The VFS: what every file system looks like to the rest of the kernel.
 *
 * Models: the CottonOS seed's `FileSystem` and `Inode` traits (themselves a
 * small version of Unix's vnode interface), with the operations a Unix needs
 * added: stat, mkdir, rmdir, link, rename, truncate. Every method is an `Io`
 * (a generator, see ./block-device.ts) because any of them may wait for the
 * disk. Errors are thrown as `FsError` with a Unix errno name, which the
 * system calls will turn into negative return values.
 *
 * Below the traits: the mount table and path resolution. A path is walked one
 * name at a time from the root (or the current directory); "." stays, ".."
 * goes back to the directory the walk came from (which is also right at the
 * root of a mounted file system, where the parent lives in another one).
 *
 * A mount hangs on the mounted-on directory's identity: its file system, its
 * inode number and that number's generation, so that a directory made later
 * with a reused number is a plain directory. A mount point is busy (EBUSY):
 * it cannot be removed, renamed or replaced while something is mounted on it.
 */
import type { Io } from './block-device';
import type { OpenFile } from './open-file';

export type FileType = 'file' | 'directory' | 'device';

export type FsErrorCode =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENOTEMPTY'
  | 'ENOSPC'
  | 'EINVAL'
  | 'ENAMETOOLONG'
  | 'EFBIG'
  | 'EIO'
  | 'EMLINK'
  | 'EBUSY'
  | 'EPERM'
  | 'EROFS'
  | 'EXDEV';

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'FsError';
  }
}

export interface Stat {
  readonly inode: number;
  readonly type: FileType;
  readonly mode: number;
  readonly links: number;
  readonly size: number;
  /** Blocks allocated, indirect blocks included (a sparse file has fewer than its size suggests). */
  readonly blocks: number;
  readonly accessTime: number;
  readonly modifyTime: number;
  readonly changeTime: number;
}

export interface DirEntry {
  readonly name: string;
  readonly inode: number;
  readonly type: FileType;
}

export interface FsStats {
  readonly blockSize: number;
  readonly totalBlocks: number;
  readonly freeBlocks: number;
  readonly totalInodes: number;
  readonly freeInodes: number;
}

export interface FileSystem {
  readonly name: string;
  /** Nothing on it can change (BootFS): opening for writing fails at once, with EROFS. */
  readonly readOnly?: boolean;
  root(): Inode;
  /** Make everything written so far survive a power cut. */
  sync(): Io<void>;
  stats(): Io<FsStats>;
}

export interface Inode {
  readonly fs: FileSystem;
  readonly number: number;
  /**
   * Bumped each time the number is freed, on file systems that reuse numbers
   * (CottonFS): the number and the generation together name one file for ever.
   */
  readonly generation?: number;
  /** An open file now refers to this inode: it outlives its last name until `release`. */
  retain?(): void;
  /** An open file referring to this inode has closed (the last one frees an unlinked inode). */
  release?(): void;
  stat(): Io<Stat>;
  /** Read into `buffer` from `offset`; returns the bytes read (0 at the end). */
  read(offset: number, buffer: Uint8Array): Io<number>;
  /** Write `data` at `offset`, growing the file if needed; returns the bytes written. */
  write(offset: number, data: Uint8Array): Io<number>;
  truncate(size: number): Io<void>;
  lookup(name: string): Io<Inode>;
  /** A new file or directory; `mode`, its permission bits, defaults to the file system's. */
  create(name: string, type: FileType, mode?: number): Io<Inode>;
  mkdir(name: string): Io<Inode>;
  unlink(name: string): Io<void>;
  rmdir(name: string): Io<void>;
  /** A new name `name` in this directory for `target` (a hard link). */
  link(name: string, target: Inode): Io<void>;
  /** Move `name` in this directory to `newName` in `newParent`, replacing a file there. */
  rename(name: string, newParent: Inode, newName: string): Io<void>;
  readdir(): Io<DirEntry[]>;
  /** A device's own open-file object, when opening it needs per-open state (DevFS). */
  open?(): OpenFile | undefined;
}

/** A line of the mount table. */
export interface Mount {
  readonly path: string;
  readonly fs: FileSystem;
}

/** The names of a path, without empty parts: "/a//b/" → ["a", "b"]. */
export function pathComponents(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0);
}

/** The file systems of the machine, mounted into one tree. */
export class Vfs {
  private readonly mounts = new Map<FileSystem, Map<string, FileSystem>>();
  private readonly table: Mount[];

  constructor(readonly rootFs: FileSystem) {
    this.table = [{ path: '/', fs: rootFs }];
  }

  /** The mount table, root first (for `mount`, `df` and `sync`). */
  mountTable(): readonly Mount[] {
    return this.table;
  }

  /** Commit every mounted file system (sync(2)). */
  *syncAll(): Io<void> {
    for (const { fs } of this.table) yield* fs.sync();
  }

  /** Mount `fs` on the directory `path`: from now on the path leads to fs's root. */
  *mount(path: string, fs: FileSystem): Io<void> {
    const target = yield* this.resolve(path);
    if ((yield* target.stat()).type !== 'directory')
      throw new FsError('ENOTDIR', `mount point ${path} is not a directory`);
    const table = this.mounts.get(target.fs) ?? new Map<string, FileSystem>();
    if (table.has(mountKey(target))) throw new FsError('EBUSY', `${path} is already a mount point`);
    table.set(mountKey(target), fs);
    this.mounts.set(target.fs, table);
    this.table.push({ path, fs });
  }

  /** The inode `path` names, relative to `cwd` unless it starts with '/'. */
  *resolve(path: string, cwd = '/'): Io<Inode> {
    const names = [...(path.startsWith('/') ? [] : pathComponents(cwd)), ...pathComponents(path)];
    const walked: Inode[] = [this.rootFs.root()];
    for (const name of names) {
      if (name === '.') continue;
      if (name === '..') {
        if (walked.length > 1) walked.pop();
        continue;
      }
      const here = walked[walked.length - 1]!;
      walked.push(this.crossMountPoint(yield* here.lookup(name)));
    }
    return walked[walked.length - 1]!;
  }

  /** The directory that would hold `path`, and the last name of the path. */
  *resolveParent(path: string, cwd = '/'): Io<{ parent: Inode; name: string }> {
    const names = pathComponents(path);
    const name = names.pop();
    if (name === undefined || name === '.' || name === '..')
      throw new FsError('EINVAL', `'${path}' does not end in a name`);
    const parentPath = (path.startsWith('/') ? '/' : '') + names.join('/');
    return { parent: yield* this.resolve(parentPath, cwd), name };
  }

  // ---- whole-path operations, for the shell and the host tools ----

  *stat(path: string): Io<Stat> {
    return yield* (yield* this.resolve(path)).stat();
  }

  *readdir(path: string): Io<DirEntry[]> {
    return yield* (yield* this.resolve(path)).readdir();
  }

  *mkdir(path: string): Io<Inode> {
    const { parent, name } = yield* this.resolveParent(path);
    return yield* parent.mkdir(name);
  }

  /** mkdir -p: every missing directory on the way. */
  *mkdirs(path: string): Io<Inode> {
    let here = this.rootFs.root();
    for (const name of pathComponents(path)) {
      const entries = yield* here.readdir();
      here = entries.some((e) => e.name === name)
        ? this.crossMountPoint(yield* here.lookup(name))
        : yield* here.mkdir(name);
    }
    return here;
  }

  *readFile(path: string): Io<Uint8Array> {
    const inode = yield* this.resolve(path);
    const { size, type } = yield* inode.stat();
    if (type === 'directory') throw new FsError('EISDIR', `${path} is a directory`);
    const data = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const n = yield* inode.read(done, data.subarray(done));
      if (n === 0) break;
      done += n;
    }
    return data.subarray(0, done);
  }

  /** Create (with permission bits `mode`, if given) or replace the file at `path` with `data`. */
  *writeFile(path: string, data: Uint8Array, mode?: number): Io<Inode> {
    const { parent, name } = yield* this.resolveParent(path);
    const existing = (yield* parent.readdir()).find((e) => e.name === name);
    const inode = existing ? yield* parent.lookup(name) : yield* parent.create(name, 'file', mode);
    yield* inode.truncate(0);
    yield* inode.write(0, data);
    return inode;
  }

  *unlink(path: string): Io<void> {
    const { parent, name } = yield* this.resolveParent(path);
    yield* parent.unlink(name);
  }

  *rmdir(path: string): Io<void> {
    const { parent, name } = yield* this.resolveParent(path);
    yield* this.requireNotMountPoint(parent, name, path);
    yield* parent.rmdir(name);
  }

  *rename(from: string, to: string): Io<void> {
    const source = yield* this.resolveParent(from);
    const target = yield* this.resolveParent(to);
    yield* this.requireNotMountPoint(source.parent, source.name, from);
    if (source.parent.fs !== target.parent.fs)
      throw new FsError('EXDEV', `cannot rename ${from} to another file system`);
    yield* this.requireNotMountPoint(target.parent, target.name, to);
    yield* source.parent.rename(source.name, target.parent, target.name);
  }

  *link(existing: string, newPath: string): Io<void> {
    const target = yield* this.resolve(existing);
    const { parent, name } = yield* this.resolveParent(newPath);
    yield* parent.link(name, target);
  }

  private crossMountPoint(inode: Inode): Inode {
    const mounted = this.mounts.get(inode.fs)?.get(mountKey(inode));
    return mounted ? mounted.root() : inode;
  }

  /** EBUSY if `name` in `parent` has a file system mounted on it (a missing name has none). */
  private *requireNotMountPoint(parent: Inode, name: string, path: string): Io<void> {
    const table = this.mounts.get(parent.fs);
    if (!table) return;
    let child: Inode;
    try {
      child = yield* parent.lookup(name);
    } catch (error) {
      if (error instanceof FsError && error.code === 'ENOENT') return;
      throw error;
    }
    if (table.has(mountKey(child))) throw new FsError('EBUSY', `${path} is a mount point`);
  }
}

/** Which directory a mount hangs on: inode number and generation, within its file system. */
function mountKey(inode: Inode): string {
  return `${inode.number}.${inode.generation ?? 0}`;
}
