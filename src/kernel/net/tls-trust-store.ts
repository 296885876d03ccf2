/**
 * The trust store: which certificate authorities the machine believes, read
 * from every PEM file in /etc/ssl/certs, as OpenSSL's CApath and Debian's
 * ca-certificates lay it out (one or more CERTIFICATE blocks per file,
 * RFC 7468).
 *
 * The store is read again for every connection, so the reader changes what
 * the machine trusts with the ordinary file commands: `cp` a root in, `rm`
 * one, and the next `tls` or `httpsget` sees the difference. A file that is
 * not PEM, or a block that is not a certificate the parser can read, is
 * skipped and named in `problems` - one broken file must not make every
 * server untrusted.
 */
import type { Io } from '../fs/block-device';
import { FsError, type Vfs } from '../fs/vfs';
import { type Certificate, parseCertificate, parsePem, PkiError } from './pki';

export const TRUST_STORE_DIRECTORY = '/etc/ssl/certs';

export interface TrustStore {
  readonly roots: Certificate[];
  /** Each file read and how many roots it gave. */
  readonly files: { path: string; roots: number }[];
  /** Files or blocks that were skipped, and why. */
  readonly problems: string[];
}

const decoder = new TextDecoder();

/** Every root in every file of `directory` (none if the directory does not exist). */
export function* loadTrustStore(vfs: Vfs, directory = TRUST_STORE_DIRECTORY): Io<TrustStore> {
  const store: TrustStore = { roots: [], files: [], problems: [] };
  let entries;
  try {
    entries = yield* vfs.readdir(directory);
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    store.problems.push(`${directory}: ${error.message}`);
    return store;
  }
  const names = entries.filter((entry) => entry.type === 'file').map((entry) => entry.name);
  for (const name of names.sort()) {
    const path = `${directory}/${name}`;
    const roots = parseRoots(decoder.decode(yield* vfs.readFile(path)), path, store.problems);
    store.roots.push(...roots);
    store.files.push({ path, roots: roots.length });
  }
  return store;
}

function parseRoots(text: string, path: string, problems: string[]): Certificate[] {
  let blocks: Uint8Array[];
  try {
    blocks = parsePem(text);
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    problems.push(`${path}: ${error.message}`);
    return [];
  }
  const roots: Certificate[] = [];
  for (const [index, der] of blocks.entries()) {
    try {
      roots.push(parseCertificate(der));
    } catch (error) {
      if (!(error instanceof PkiError)) throw error;
      problems.push(`${path}, certificate ${index + 1}: ${error.message}`);
    }
  }
  return roots;
}
