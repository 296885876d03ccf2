/**
 * One file out of a disk image, on the host: what the page's "Download
 * file…" gives the reader (the TLS key log for Wireshark, a file a program
 * wrote), without the whole disk and a `cotton cat`.
 *
 * The image is mounted with the kernel's own CottonFS code, as `cotton cat`
 * does (cli/fs-command.ts), on a copy: mounting writes (the mount count, a
 * replayed journal) and the machine's disk must not change.
 */
import { DEFAULT_START_TIME } from '../../emu/machine';
import { MemoryBlockDevice, runToCompletion } from '../../kernel/fs/block-device';
import { CottonFs } from '../../kernel/fs/cottonfs/cottonfs';
import { Vfs } from '../../kernel/fs/vfs';

/** The bytes of the file at `path` in the CottonFS `image`; throws FsError (ENOENT, EISDIR, ...). */
export function readDiskFile(image: Uint8Array, path: string): Uint8Array {
  const device = new MemoryBlockDevice(image.slice());
  const fs = runToCompletion(CottonFs.mount(device, () => DEFAULT_START_TIME));
  return runToCompletion(new Vfs(fs).readFile(path));
}
