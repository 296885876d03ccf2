/**
 * Open files and file descriptor tables.
 *
 * Models: Unix's two-level scheme (Lions' commentary on V6, xv6's file.c). A
 * process's descriptor table maps small integers to open-file objects; an
 * open file holds what one `open` created — the thing opened and the current
 * offset — and is shared by descriptors made with `dup` and by `fork`, which
 * is why a parent and child writing to the same descriptor do not overwrite
 * each other. An open file is closed when its last descriptor goes.
 *
 * What can be open: a file or directory of the VFS (InodeFile), the console
 * (ConsoleFile, in console-file.ts), and pipe ends (pipe.ts).
 */
import { SyscallError } from '../lib/errno';
import type { Io } from './block-device';
import type { Inode, Stat } from './vfs';

/** Seek origins (lseek's whence). */
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/** Descriptors a process may have open at once. */
export const MAX_OPEN_FILES = 32;

export interface OpenFile {
  /** Read into `buffer`; 0 means end of file. */
  read(buffer: Uint8Array): Io<number>;
  write(data: Uint8Array): Io<number>;
  seek(offset: number, whence: number): Io<number>;
  stat(): Io<Stat>;
  /** The inode behind a file or directory, for readdir and ftruncate. */
  readonly inode?: Inode;
  /** For poll: a read would not wait (data, or the end, is there). Absent: never waits. */
  readonly inputReady?: boolean;
  /** For poll: a write would not wait. Absent: never waits. */
  readonly outputReady?: boolean;
  /** Called when the last descriptor to this open file is closed. */
  release(): void;
  /** Descriptors (in all processes) that refer to this open file. */
  references: number;
}

/** A file or directory opened through the VFS. */
export class InodeFile implements OpenFile {
  references = 0;
  private offset = 0;

  constructor(
    readonly inode: Inode,
    private readonly readable: boolean,
    private readonly writable: boolean,
    private readonly append: boolean,
  ) {
    inode.retain?.();
  }

  *read(buffer: Uint8Array): Io<number> {
    if (!this.readable) throw new SyscallError('EBADF', 'file not open for reading');
    if ((yield* this.inode.stat()).type === 'directory')
      throw new SyscallError('EISDIR', 'read of a directory: use readdir');
    const count = yield* this.inode.read(this.offset, buffer);
    this.offset += count;
    return count;
  }

  *write(data: Uint8Array): Io<number> {
    if (!this.writable) throw new SyscallError('EBADF', 'file not open for writing');
    if (this.append) this.offset = (yield* this.inode.stat()).size;
    const count = yield* this.inode.write(this.offset, data);
    this.offset += count;
    return count;
  }

  *seek(offset: number, whence: number): Io<number> {
    const base =
      whence === SEEK_SET
        ? 0
        : whence === SEEK_CUR
          ? this.offset
          : whence === SEEK_END
            ? (yield* this.inode.stat()).size
            : NaN;
    const target = base + offset;
    if (!Number.isInteger(target) || target < 0)
      throw new SyscallError('EINVAL', `bad seek to ${offset} from whence ${whence}`);
    this.offset = target;
    return target;
  }

  *stat(): Io<Stat> {
    return yield* this.inode.stat();
  }

  release(): void {
    this.inode.release?.();
  }
}

/** A process's descriptor table: index = file descriptor. */
export class FileTable {
  private readonly slots: (OpenFile | null)[] = new Array(MAX_OPEN_FILES).fill(null);

  /** The open file behind `fd`, or EBADF. */
  get(fd: number): OpenFile {
    const file = Number.isInteger(fd) && fd >= 0 && fd < MAX_OPEN_FILES ? this.slots[fd] : null;
    if (!file) throw new SyscallError('EBADF', `bad file descriptor ${fd}`);
    return file;
  }

  /** Put `file` in the lowest free slot (at or above `from`) and return its number. */
  install(file: OpenFile, from = 0): number {
    for (let fd = from; fd < MAX_OPEN_FILES; fd++) {
      if (this.slots[fd] === null) return this.installAt(fd, file);
    }
    throw new SyscallError('EMFILE', `a process can have at most ${MAX_OPEN_FILES} open files`);
  }

  /** Make `fd` refer to `file`, closing what it referred to before (dup2). */
  installAt(fd: number, file: OpenFile): number {
    if (!Number.isInteger(fd) || fd < 0 || fd >= MAX_OPEN_FILES)
      throw new SyscallError('EBADF', `bad file descriptor ${fd}`);
    file.references++;
    if (this.slots[fd]) this.close(fd);
    this.slots[fd] = file;
    return fd;
  }

  close(fd: number): void {
    const file = this.get(fd);
    this.slots[fd] = null;
    if (--file.references === 0) file.release();
  }

  closeAll(): void {
    this.slots.forEach((file, fd) => file && this.close(fd));
  }

  /** A copy for a child process (fork): the same open files, one more reference each. */
  clone(): FileTable {
    const copy = new FileTable();
    this.slots.forEach((file, fd) => file && copy.installAt(fd, file));
    return copy;
  }

  /** How many descriptors are open. */
  get openCount(): number {
    return this.slots.filter((file) => file !== null).length;
  }
}
