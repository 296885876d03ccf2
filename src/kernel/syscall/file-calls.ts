/**
 * File and directory system calls: open, close, read, write, seek, stat,
 * fstat, dup, dup2, pipe, mkdir, rmdir, unlink, readdir, chdir, getcwd,
 * rename, link, truncate, ftruncate, sync.
 *
 * Models: the file layer of a Unix kernel (xv6's sysfile.c). Paths are read
 * from user memory and made absolute against the process's working
 * directory; the VFS does the rest. Data moves between user memory and the
 * kernel in chunks of at most MAX_IO_BYTES per call — a shorter count than
 * asked for is a legal answer for read and write, and it keeps a program from
 * making the kernel allocate gigabytes with one bad argument.
 *
 * A path's last name is checked before it is made absolute, because POSIX
 * gives "." and ".." their own answers there: rmdir(".") is EINVAL,
 * rmdir("..") ENOTEMPTY, rename of either EBUSY, as Linux answers.
 */
import type { Kernel } from '../proc/kernel';
import type { Io } from '../fs/block-device';
import { InodeFile } from '../fs/open-file';
import { createPipe } from '../fs/pipe';
import { FsError, pathComponents } from '../fs/vfs';
import type { FileType, Inode, Stat } from '../fs/vfs';
import type { Syscall, SyscallHandler } from './dispatcher';
import { SyscallError } from '../lib/errno';
import type { ErrnoName } from '../lib/errno';
import {
  DIRENT_BYTES,
  DIRENT_NAME_BYTES,
  O_ACCMODE,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  STAT_BYTES,
  SYS_CHDIR,
  SYS_CLOSE,
  SYS_DUP,
  SYS_DUP2,
  SYS_FSTAT,
  SYS_FTRUNCATE,
  SYS_GETCWD,
  SYS_LINK,
  SYS_MKDIR,
  SYS_OPEN,
  SYS_PIPE,
  SYS_READ,
  SYS_READDIR,
  SYS_RENAME,
  SYS_RMDIR,
  SYS_SEEK,
  SYS_STAT,
  SYS_SYNC,
  SYS_TRUNCATE,
  SYS_UNLINK,
  SYS_WRITE,
} from './syscall-table';

export const MAX_IO_BYTES = 64 * 1024;
export const MAX_PATH_BYTES = 1024;

const FILE_TYPE_NUMBERS: Record<FileType, number> = { file: 1, directory: 2, device: 3 };

/** `path` made absolute against `cwd`, with "." and ".." taken out: "/a/./b/../c" → "/a/c". */
export function normalizePath(cwd: string, path: string): string {
  const names: string[] = [];
  for (const name of [
    ...(path.startsWith('/') ? [] : pathComponents(cwd)),
    ...pathComponents(path),
  ]) {
    if (name === '..') names.pop();
    else if (name !== '.') names.push(name);
  }
  return `/${names.join('/')}`;
}

/** Read the path argument at `pointer` and make it absolute. */
export function resolvePath(call: Syscall, pointer: number): string {
  return normalizePath(call.process.cwd, readPathArgument(call, pointer));
}

function readPathArgument(call: Syscall, pointer: number): string {
  const path = call.process.memory.readString(pointer, MAX_PATH_BYTES);
  if (path.length === 0) throw new SyscallError('ENOENT', 'empty path');
  return path;
}

/** How a path as the program wrote it ends: "/" itself, ".", "..", or a name. */
type PathEnding = 'root' | 'dot' | 'dot-dot' | 'name';

function pathEnding(path: string): PathEnding {
  const last = pathComponents(path).pop();
  if (last === undefined) return 'root';
  return last === '.' ? 'dot' : last === '..' ? 'dot-dot' : 'name';
}

/**
 * A path argument for a call that removes, makes or moves a name: the errno
 * POSIX gives each ending that is not a name (`errors`), else the absolute path.
 */
function* namedPath(
  call: Syscall,
  pointer: number,
  errors: Record<Exclude<PathEnding, 'name'>, ErrnoName>,
): Io<string> {
  const path = readPathArgument(call, pointer);
  const ending = pathEnding(path);
  if (ending === 'name') return normalizePath(call.process.cwd, path);
  if (ending !== 'root') yield* requireParentDirectory(call, path);
  throw new SyscallError(errors[ending], `'${path}' does not end in a name`);
}

/** ENOENT or ENOTDIR if the directory holding `path`'s last name is not one: Linux walks it first. */
function* requireParentDirectory(call: Syscall, path: string): Io<void> {
  const names = pathComponents(path).slice(0, -1);
  const parent = normalizePath(
    call.process.cwd,
    (path.startsWith('/') ? '/' : '') + names.join('/'),
  );
  if ((yield* call.kernel.vfs.stat(parent)).type !== 'directory')
    throw new SyscallError('ENOTDIR', `${parent} is not a directory`);
}

const RMDIR_ENDINGS = { root: 'EBUSY', dot: 'EINVAL', 'dot-dot': 'ENOTEMPTY' } as const;
const RENAME_ENDINGS = { root: 'EBUSY', dot: 'EBUSY', 'dot-dot': 'EBUSY' } as const;
const UNLINK_ENDINGS = { root: 'EISDIR', dot: 'EISDIR', 'dot-dot': 'EISDIR' } as const;
const CREATE_ENDINGS = { root: 'EEXIST', dot: 'EEXIST', 'dot-dot': 'EEXIST' } as const;

/** A program file's bytes, for exec and the shell's run. */
export function* readProgram(kernel: Kernel, path: string): Io<Uint8Array> {
  const stat = yield* kernel.vfs.stat(path);
  if (stat.type !== 'file') throw new SyscallError('EACCES', `${path} is not a regular file`);
  return yield* kernel.vfs.readFile(path);
}

function* sysOpen(call: Syscall): Generator<void, number, void> {
  const path = resolvePath(call, call.address(0));
  const flags = call.arg(1);
  const access = flags & O_ACCMODE;
  if (access !== O_RDONLY && access !== O_WRONLY && access !== O_RDWR)
    throw new SyscallError('EINVAL', 'bad access mode');
  if (flags & O_CREAT && flags & O_DIRECTORY)
    throw new SyscallError('EINVAL', 'O_CREAT with O_DIRECTORY (Linux 6.4 and later refuse it)');
  const { vfs } = call.kernel;
  let inode;
  try {
    inode = yield* vfs.resolve(path);
    if (flags & O_CREAT && flags & O_EXCL) throw new FsError('EEXIST', `${path} exists`);
  } catch (error) {
    if (!(error instanceof FsError && error.code === 'ENOENT' && flags & O_CREAT)) throw error;
    const { parent, name } = yield* vfs.resolveParent(path);
    inode = yield* parent.create(name, 'file');
  }
  const { type } = yield* inode.stat();
  if (flags & O_DIRECTORY && type !== 'directory')
    throw new SyscallError('ENOTDIR', `${path} is not a directory`);
  if (type === 'directory' && (access !== O_RDONLY || flags & (O_CREAT | O_TRUNC)))
    throw new SyscallError('EISDIR', `${path} is a directory`);
  if (inode.fs.readOnly && (access !== O_RDONLY || flags & O_TRUNC))
    throw new SyscallError('EROFS', `${path} is on a read-only file system`);
  if (flags & O_TRUNC && type === 'file') yield* inode.truncate(0); // even O_RDONLY, as Linux
  const file =
    inode.open?.() ??
    new InodeFile(inode, access !== O_WRONLY, access !== O_RDONLY, (flags & O_APPEND) !== 0);
  try {
    return call.process.files.install(file);
  } catch (error) {
    file.release(); // no descriptor took it: the inode's reference goes now
    throw error;
  }
}

function* sysRead(call: Syscall): Generator<void, number, void> {
  const file = call.process.files.get(call.arg(0));
  const count = Math.min(call.address(2), MAX_IO_BYTES);
  const pointer = call.address(1);
  call.process.memory.writeBytes(pointer, new Uint8Array(0)); // EFAULT before blocking for a bad pointer
  const buffer = new Uint8Array(count);
  const got = yield* file.read(buffer);
  call.process.memory.writeBytes(pointer, buffer.subarray(0, got));
  return got;
}

/** write(2): as much of the buffer as is readable (a partial write), EFAULT if none of it is. */
function* sysWrite(call: Syscall): Generator<void, number, void> {
  const file = call.process.files.get(call.arg(0));
  const data = call.process.memory.readBytesUntilFault(
    call.address(1),
    Math.min(call.address(2), MAX_IO_BYTES),
  );
  return yield* file.write(data);
}

function* sysSeek(call: Syscall): Generator<void, number, void> {
  return yield* call.process.files.get(call.arg(0)).seek(call.arg(1), call.arg(2));
}

function writeStat(call: Syscall, pointer: number, stat: Stat): void {
  const words = [
    stat.inode,
    FILE_TYPE_NUMBERS[stat.type],
    stat.mode,
    stat.links,
    stat.size,
    stat.blocks,
    stat.modifyTime,
  ];
  const bytes = new Uint8Array(STAT_BYTES);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  call.process.memory.writeBytes(pointer, bytes);
}

function* sysStat(call: Syscall): Generator<void, number, void> {
  const path = resolvePath(call, call.address(0));
  writeStat(call, call.address(1), yield* call.kernel.vfs.stat(path));
  return 0;
}

function* sysFstat(call: Syscall): Generator<void, number, void> {
  writeStat(call, call.address(1), yield* call.process.files.get(call.arg(0)).stat());
  return 0;
}

function sysPipe(call: Syscall): number {
  const pointer = call.address(0);
  call.process.memory.writeBytes(pointer, new Uint8Array(8)); // EFAULT before anything is opened
  const [reader, writer] = createPipe();
  const files = call.process.files;
  const readFd = files.install(reader);
  let writeFd: number;
  try {
    writeFd = files.install(writer);
  } catch (error) {
    files.close(readFd);
    throw error;
  }
  call.process.memory.writeWord(pointer, readFd);
  call.process.memory.writeWord(pointer + 4, writeFd);
  return 0;
}

function* sysReaddir(call: Syscall): Generator<void, number, void> {
  const file = call.process.files.get(call.arg(0));
  if (!file.inode) throw new SyscallError('ENOTDIR', 'not a directory');
  const entries = yield* file.inode.readdir();
  const entry = entries[call.arg(2)];
  if (!entry) return 0;
  const bytes = new Uint8Array(DIRENT_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, entry.inode, true);
  view.setUint32(4, FILE_TYPE_NUMBERS[entry.type], true);
  bytes.set(new TextEncoder().encode(entry.name).subarray(0, DIRENT_NAME_BYTES - 1), 8);
  call.process.memory.writeBytes(call.address(1), bytes);
  return 1;
}

function* sysChdir(call: Syscall): Generator<void, number, void> {
  const path = resolvePath(call, call.address(0));
  if ((yield* call.kernel.vfs.stat(path)).type !== 'directory')
    throw new SyscallError('ENOTDIR', `${path} is not a directory`);
  call.process.cwd = path;
  return 0;
}

function sysGetcwd(call: Syscall): number {
  const path = new TextEncoder().encode(`${call.process.cwd}\0`);
  if (path.length > call.address(1))
    throw new SyscallError('ERANGE', 'buffer too small for the path');
  call.process.memory.writeBytes(call.address(0), path);
  return path.length - 1;
}

function* sysTruncate(call: Syscall): Generator<void, number, void> {
  const length = call.arg(1);
  if (length < 0) throw new SyscallError('EINVAL', 'negative length');
  yield* truncateFile(yield* call.kernel.vfs.resolve(resolvePath(call, call.address(0))), length);
  return 0;
}

function* sysFtruncate(call: Syscall): Generator<void, number, void> {
  const file = call.process.files.get(call.arg(0));
  const length = call.arg(1);
  if (!file.inode) throw new SyscallError('EINVAL', 'not a file');
  if (length < 0) throw new SyscallError('EINVAL', 'negative length');
  yield* truncateFile(file.inode, length);
  return 0;
}

/** Only a regular file has a length to set: a device is EINVAL, as on Linux. */
function* truncateFile(inode: Inode, length: number): Io<void> {
  if ((yield* inode.stat()).type === 'device')
    throw new SyscallError('EINVAL', 'a device has no length to truncate');
  yield* inode.truncate(length);
}

/** A call that takes one path ending in a name and hands it to the VFS. */
function onNamedPath(
  errors: Record<Exclude<PathEnding, 'name'>, ErrnoName>,
  operation: (call: Syscall, path: string) => Io<unknown>,
): SyscallHandler {
  return function* (call) {
    yield* operation(call, yield* namedPath(call, call.address(0), errors));
    return 0;
  };
}

function* sysRename(call: Syscall): Generator<void, number, void> {
  const rawFrom = readPathArgument(call, call.address(0));
  const rawTo = readPathArgument(call, call.address(1));
  yield* requireParentDirectory(call, rawFrom); // both walks come before the checks of the names
  yield* requireParentDirectory(call, rawTo);
  const from = yield* namedPath(call, call.address(0), RENAME_ENDINGS);
  const to = yield* namedPath(call, call.address(1), RENAME_ENDINGS);
  yield* call.kernel.vfs.rename(from, to);
  return 0;
}

function* sysLink(call: Syscall): Generator<void, number, void> {
  const existing = resolvePath(call, call.address(0));
  yield* call.kernel.vfs.resolve(existing); // ENOENT for the file before EEXIST for the new name
  yield* call.kernel.vfs.link(existing, yield* namedPath(call, call.address(1), CREATE_ENDINGS));
  return 0;
}

export const FILE_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_OPEN, sysOpen],
  [SYS_CLOSE, (call) => (call.process.files.close(call.arg(0)), 0)],
  [SYS_READ, sysRead],
  [SYS_WRITE, sysWrite],
  [SYS_SEEK, sysSeek],
  [SYS_STAT, sysStat],
  [SYS_FSTAT, sysFstat],
  [SYS_DUP, (call) => call.process.files.install(call.process.files.get(call.arg(0)))],
  [
    SYS_DUP2,
    (call) => call.process.files.installAt(call.arg(1), call.process.files.get(call.arg(0))),
  ],
  [SYS_PIPE, sysPipe],
  [SYS_MKDIR, onNamedPath(CREATE_ENDINGS, (call, path) => call.kernel.vfs.mkdir(path))],
  [SYS_RMDIR, onNamedPath(RMDIR_ENDINGS, (call, path) => call.kernel.vfs.rmdir(path))],
  [SYS_UNLINK, onNamedPath(UNLINK_ENDINGS, (call, path) => call.kernel.vfs.unlink(path))],
  [SYS_READDIR, sysReaddir],
  [SYS_CHDIR, sysChdir],
  [SYS_GETCWD, sysGetcwd],
  [SYS_RENAME, sysRename],
  [SYS_LINK, sysLink],
  [SYS_TRUNCATE, sysTruncate],
  [SYS_FTRUNCATE, sysFtruncate],
  [
    SYS_SYNC,
    function* (call) {
      yield* call.kernel.vfs.syncAll();
      return 0;
    },
  ],
];
