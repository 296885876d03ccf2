/**
 * Whether a file a reader uploads can be their machine's disk: a whole number
 * of 512-byte ATA sectors, not more than the page can hold, with a CottonFS
 * superblock the kernel would mount (superblock.ts says what that takes).
 *
 * The check runs before anything is replaced, so a bad file costs the reader
 * nothing but the message: their current disk stays as it was.
 */
import { ATA_SECTOR_SIZE } from '../../emu/ata-pio';
import { BLOCK_SIZE } from '../../kernel/fs/block-device';
import { decodeSuperblock, superblockProblem } from '../../kernel/fs/cottonfs/superblock';

/**
 * The largest disk a reader may upload. The machine holds its disk whole in
 * the worker's memory, next to 128 MiB of RAM; 256 MiB is eight book disks.
 */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

const mib = (bytes: number): string =>
  `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** Why an image of `size` bytes cannot be a disk, judged before reading it; null if it may be. */
export function diskSizeProblem(size: number): string | null {
  if (size === 0) return 'the file is empty';
  if (size > MAX_UPLOAD_BYTES)
    return `the file is ${mib(size)}; a disk may be at most ${mib(MAX_UPLOAD_BYTES)}`;
  if (size % ATA_SECTOR_SIZE !== 0)
    return `the file is ${size} bytes, not a whole number of ${ATA_SECTOR_SIZE}-byte sectors`;
  if (size < BLOCK_SIZE)
    return `the file is ${size} bytes, too small to hold a CottonFS superblock (${BLOCK_SIZE} bytes)`;
  return null;
}

/** Why `image` cannot be the machine's disk, or null if the kernel can mount it. */
export function diskImageProblem(image: Uint8Array): string | null {
  const sizeProblem = diskSizeProblem(image.length);
  if (sizeProblem) return sizeProblem;
  const superblock = superblockProblem(
    decodeSuperblock(image.subarray(0, BLOCK_SIZE)),
    Math.floor(image.length / BLOCK_SIZE),
  );
  return superblock ? `not a CottonFS disk: ${superblock}` : null;
}
