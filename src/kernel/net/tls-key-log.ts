/**
 * The TLS key log: the secrets of each connection, one line each, in the
 * NSS key log format that the SSLKEYLOGFILE variable asks of Firefox, curl
 * and OpenSSL ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>",
 * the IETF draft "The SSLKEYLOGFILE Format for TLS"). Given the file,
 * Wireshark decrypts a capture of the machine's traffic (Preferences,
 * Protocols, TLS, "(Pre)-Master-Secret log filename"; tshark's
 * -o tls.keylog_file:PATH).
 *
 * Logging is off until `tlskeylog on` turns it on for the machine. The
 * setting belongs to the machine's network stack, like a sysctl, and lives
 * here beside it (a WeakMap keyed by the stack) so that net-stack.ts stays
 * about packets. Lines are appended to the file, which is created, with its
 * directory, when missing, and written through to the disk, so that the
 * page's "Download file…" (or `cotton cat` on a downloaded disk) finds them.
 */
import type { Io } from '../fs/block-device';
import { FsError, type Vfs } from '../fs/vfs';
import type { NetStack } from './net-stack';

export const DEFAULT_KEY_LOG_PATH = '/var/log/tls-keys.log';

const keyLogPaths = new WeakMap<NetStack, string>();

/** Where the machine appends TLS secrets, or null when the key log is off. */
export function keyLogPath(net: NetStack): string | null {
  return keyLogPaths.get(net) ?? null;
}

/** Turn the key log on (to `path`) or off (null). */
export function setKeyLogPath(net: NetStack, path: string | null): void {
  if (path === null) keyLogPaths.delete(net);
  else keyLogPaths.set(net, path);
}

const encoder = new TextEncoder();

/** Append `lines` (each ended by a newline) to the file at `path`. */
export function* appendKeyLog(vfs: Vfs, path: string, lines: readonly string[]): Io<void> {
  if (lines.length === 0) return;
  const inode = yield* openForAppend(vfs, path);
  const { size } = yield* inode.stat();
  yield* inode.write(size, encoder.encode(lines.map((line) => `${line}\n`).join('')));
  yield* vfs.syncAll(); // on the disk now: the page's Download file reads it from there
}

function* openForAppend(vfs: Vfs, path: string) {
  try {
    return yield* vfs.resolve(path);
  } catch (error) {
    if (!(error instanceof FsError) || error.code !== 'ENOENT') throw error;
  }
  const directory = path.slice(0, path.lastIndexOf('/')) || '/';
  yield* vfs.mkdirs(directory);
  const { parent, name } = yield* vfs.resolveParent(path);
  return yield* parent.create(name, 'file');
}
