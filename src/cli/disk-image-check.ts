/**
 * Before `cotton boot --disk IMAGE` attaches a file, make sure it is what the
 * reader means: a file that exists and holds a CottonFS. The kernel itself
 * would boot anyway and fall back to a RAM disk for a disk it cannot mount
 * (src/kernel/fs/root-fs.ts), which is right for a machine but, for a command,
 * silently throws away whatever the reader meant to write to that file. So the
 * CLI refuses such a disk unless `--ram-disk-fallback` asks for the kernel's
 * fallback, and says in plain words what is wrong and what makes a good image.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BLOCK_SIZE } from '../kernel/fs/block-device';
import { decodeSuperblock, superblockProblem } from '../kernel/fs/cottonfs/superblock';

/** Why `path` cannot be booted as a CottonFS disk, in a sentence with the fix; null if it can. */
export function diskImageProblem(path: string): string | null {
  const make = `make one with: cotton mkfs ${path} --size 64M`;
  let size: number;
  try {
    const info = statSync(path);
    if (info.isDirectory()) return `the disk image ${path} is a directory, not a file`;
    size = info.size;
  } catch {
    return `there is no disk image ${path}; ${make}`;
  }
  if (size < BLOCK_SIZE)
    return `the disk image ${path} holds ${size} bytes, less than one CottonFS block; ${make}`;
  const block = new Uint8Array(BLOCK_SIZE);
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return `the disk image ${path} cannot be opened for reading and writing (its permissions?)`;
  }
  try {
    readSync(fd, block, 0, BLOCK_SIZE, 0);
  } finally {
    closeSync(fd);
  }
  const problem = superblockProblem(decodeSuperblock(block), Math.floor(size / BLOCK_SIZE));
  return problem === null
    ? null
    : `${path} is not a CottonFS disk the kernel can mount (${problem}); ${make}, or add --ram-disk-fallback to boot on a RAM disk anyway`;
}
