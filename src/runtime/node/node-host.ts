/**
 * Boots the repository's kernel in Node: the entry point for the CLI, tests
 * and benchmarks.
 */
import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ATA_SECTOR_SIZE, type AtaDiskImage } from '../../emu/ata-pio';
import type { BootModule } from '../../emu/firmware';
import { sha256 } from '../../emu/sha256';
import { buildBookDisk, type DiskFile } from '../host/book-disk';
import { readDiskTree } from './disk-tree';
import { readKernelSources, REPO_ROOT } from './kernel-source-tree';
import { MachineHost, type BootOptions, type RestoreOptions } from '../host/machine-host';
import type { KernelSources } from '../host/kernel-loader';
import { decodeSnapshot } from '../host/snapshot-format';
// Node boots kernels from their TypeScript: load the transpiler, which installs itself in the loader.
import '../host/transpile';

let repoSources: KernelSources | null = null;
let repoPrograms: BootModule[] | null = null;
let repoDisk: DiskFile[] | null = null;
let bookDisk: Uint8Array | null = null;

/** The kernel sources on disk, read once per process. */
export function repoKernelSources(): KernelSources {
  repoSources ??= readKernelSources();
  return repoSources;
}

/** The committed user programs (src/userland/bin/NAME.elf), as modules for /bin/NAME; read once. */
export function repoUserPrograms(): BootModule[] {
  const dir = join(REPO_ROOT, 'src', 'userland', 'bin');
  repoPrograms ??= readdirSync(dir)
    .filter((file) => file.endsWith('.elf'))
    .sort()
    .map((file) => ({
      name: `/bin/${file.slice(0, -'.elf'.length)}`,
      bytes: new Uint8Array(readFileSync(join(dir, file))),
    }));
  return repoPrograms;
}

/** The repository's disk/ tree (the desktop's font and its licence), read once. */
export function repoDiskFiles(): DiskFile[] {
  repoDisk ??= readDiskTree();
  return repoDisk;
}

/** The book's default disk (book-disk.ts) with the committed programs, built once per process; never attach it directly. */
export function repoBookDisk(): Uint8Array {
  bookDisk ??= buildBookDisk(repoUserPrograms(), { files: repoDiskFiles() });
  return bookDisk;
}

let bookDiskDigest: Uint8Array | null = null;

/**
 * A fresh copy of the book's disk, as `cotton boot` attaches without --disk:
 * the machine's writes change the copy in memory and are gone with it. Spread
 * it into the boot options: it brings the pristine disk's digest, hashed only
 * if a snapshot asks.
 */
export function freshBookDisk(): Pick<BootOptions, 'disk' | 'diskDigest'> {
  return {
    disk: { bytes: repoBookDisk().slice() },
    diskDigest: () => (bookDiskDigest ??= sha256(repoBookDisk())),
  };
}

/**
 * Attach a disk image file: its bytes are read once, and each completed ATA
 * write command writes the sectors it changed back to the file at once
 * (synchronously), so the file is up to date whenever the machine is stopped,
 * however it stops. The file stays open for the life of the process.
 */
export function openDiskImage(path: string): AtaDiskImage {
  const fd = openSync(path, 'r+');
  const size = fstatSync(fd).size;
  const bytes = new Uint8Array(size);
  for (let done = 0; done < size; ) {
    const read = readSync(fd, bytes, done, size - done, done);
    if (read === 0) break;
    done += read;
  }
  if (size < ATA_SECTOR_SIZE) {
    closeSync(fd);
    throw new Error(`disk image ${path} is smaller than one sector (${size} bytes)`);
  }
  return {
    bytes,
    onWrite: (lba, count) => {
      const offset = lba * ATA_SECTOR_SIZE;
      writeSync(fd, bytes, offset, count * ATA_SECTOR_SIZE, offset);
    },
  };
}

/**
 * The disk of a `cotton boot`: the image file `path` if given (writes reach the
 * file), none with `noDisk`, else a fresh in-memory copy of the book's disk —
 * unless it resumes a snapshot taken without a disk, which gets none.
 */
export function chooseDisk(
  path: string | undefined,
  noDisk: boolean,
  snapshotFile?: string,
): Pick<BootOptions, 'disk' | 'diskDigest'> {
  if (path !== undefined) return { disk: openDiskImage(path) };
  if (noDisk) return {};
  if (
    snapshotFile !== undefined &&
    decodeSnapshot(new Uint8Array(readFileSync(snapshotFile))).disk === null
  )
    return {};
  return freshBookDisk();
}

/** Restore a machine from a snapshot file taken on the repository's kernel (see MachineHost.restore). */
export function restoreFromFile(path: string, options: RestoreOptions = {}): MachineHost {
  return MachineHost.restore(new Uint8Array(readFileSync(path)), repoKernelSources(), {
    programs: repoUserPrograms(),
    ...options,
  });
}

/** Boot a machine on the repository's kernel (plus any overrides). */
export function bootFromRepo(options: Omit<BootOptions, 'sources'> = {}): MachineHost {
  return new MachineHost({
    sources: repoKernelSources(),
    programs: repoUserPrograms(),
    ...options,
  });
}
