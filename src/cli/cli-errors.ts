/**
 * Errors as the `cotton` command reports them: one plain sentence, never a raw
 * errno code. Node's file errors (`ENOENT: no such file or directory, open
 * 'x'`) and the kernel's file system errors (`ENOENT: no entry 'x' in
 * directory 4`) both lead with a code a newcomer has no reason to know; this
 * turns them into "x: no such file or directory".
 *
 * A UsageError is a mistake in the command line; its message is the problem
 * followed by the usage of the one command it concerns.
 */

/** The command line is wrong; the message says how, the usage says what is right. */
export class UsageError extends Error {
  constructor(
    readonly problem: string,
    readonly usage: string,
  ) {
    super(`${problem}\n${usage}`);
    this.name = 'UsageError';
  }
}

/** What an errno code means, in the words `ls` and `cp` use. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  ENOSPC: 'no space left',
  EROFS: 'read-only file system',
  EBUSY: 'busy',
  EINVAL: 'invalid argument',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
  ENXIO: 'no such device',
  EIO: 'input/output error',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'that address is not one of this machine',
};

interface ErrnoLike {
  readonly code?: unknown;
  readonly path?: unknown;
  readonly port?: unknown;
  readonly message?: unknown;
}

/** The error as one plain sentence for the terminal. */
export function plainMessage(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrnoLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : null;
  const words = code ? ERRNO_WORDS[code] : undefined;
  if (code && words && typeof e.path === 'string') return `${e.path}: ${words}`;
  if (code === 'EADDRINUSE' && typeof e.port === 'number')
    return `port ${e.port} is already in use (another server?); choose another with --port`;
  const leading = /^(E[A-Z]{2,15}): (.*)$/s.exec(message);
  if (leading) {
    const meaning = ERRNO_WORDS[leading[1]!];
    return meaning ? `${meaning} (${leading[2]})` : leading[2]!;
  }
  return message;
}
