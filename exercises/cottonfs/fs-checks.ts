/**
 * Helpers the CottonFS exercises share: running file commands on the booted
 * machine and reading what `fsck`, `crc32`, `blocks` and `inode` print. The
 * checks work on the root file system of a machine without a disk, a real
 * CottonFS on an 8 MiB RAM disk, whose /tmp is writable.
 */
import { checkRandom, type ExerciseMachine } from '../../src/runtime/host/exercise';
import { crc32 } from '../../src/kernel/fs/cottonfs/journal-format';
import { runOrExplain } from '../machine-text';

export { bootOrExplain, randomBelow, runOrExplain } from '../machine-text';

export const BLOCK = 4096;
export const KiB = 1024;

/** The byte `fill` writes at file position `position` (the kernel's fillByte, which a test keeps equal). */
export function fillByte(position: number): number {
  return (position * 7 + Math.floor(position / BLOCK) * 13 + 1) & 0xff;
}

/** A file's expected contents after `fill`s of [size, offset] pieces on an empty file: zeros in the holes. */
export function filledContents(
  pieces: ReadonlyArray<readonly [size: number, offset: number]>,
): Uint8Array {
  const length = Math.max(...pieces.map(([size, offset]) => size + offset));
  const data = new Uint8Array(length);
  for (const [size, offset] of pieces)
    for (let p = offset; p < offset + size; p++) data[p] = fillByte(p);
  return data;
}

export function crcHex(data: Uint8Array): string {
  return crc32(data).toString(16).padStart(8, '0');
}

/** Run a command that must succeed (status 0 is not visible in plain text, so look for an error line). */
export async function runOk(machine: ExerciseMachine, command: string): Promise<string> {
  const output = await runOrExplain(machine, command);
  const name = command.split(' ')[0];
  if (new RegExp(`^${name}: `, 'm').test(output))
    throw new Error(`\`${command}\` failed:\n${output.trim()}`);
  return output;
}

/** The CRC-32 and size `crc32` prints for `path`. */
export async function fileCrc(
  machine: ExerciseMachine,
  path: string,
): Promise<{ crc: string; size: number }> {
  const output = await runOk(machine, `crc32 ${path}`);
  const match = /^([0-9a-f]{8}) +(\d+) /m.exec(output);
  if (!match) throw new Error(`\`crc32 ${path}\` printed no checksum:\n${output.trim()}`);
  return { crc: match[1]!, size: Number(match[2]) };
}

/** Compare a file with what it should hold; the message says where the first wrong 4 KiB block is, if it can. */
export async function expectContents(
  machine: ExerciseMachine,
  path: string,
  expected: Uint8Array,
  hint: string,
): Promise<void> {
  const { crc, size } = await fileCrc(machine, path);
  if (size !== expected.length)
    throw new Error(
      `${path} should be ${expected.length} bytes but \`crc32\` read ${size}. ${hint}`,
    );
  if (crc !== crcHex(expected)) {
    throw new Error(
      `${path} does not read back what was written (CRC-32 ${crc}, expected ${crcHex(expected)}). ${hint}`,
    );
  }
}

/** `fsck` must find the root file system clean. */
export async function expectClean(machine: ExerciseMachine, hint: string): Promise<void> {
  const output = await runOrExplain(machine, 'fsck');
  if (!/fsck: clean/.test(output))
    throw new Error(`\`fsck\` finds the file system damaged:\n${output.trim()}\n\n${hint}`);
}

/** The last line of `blocks`: data blocks used and free in the bitmap, and the superblock's free count. */
export async function dataBlocks(
  machine: ExerciseMachine,
): Promise<{ used: number; free: number; superblockFree: number }> {
  const output = await runOrExplain(machine, 'blocks');
  const match = /data blocks: (\d+) used, (\d+) free; superblock says (\d+) free/.exec(output);
  if (!match) throw new Error(`\`blocks\` printed no summary:\n${output.trim()}`);
  return { used: Number(match[1]), free: Number(match[2]), superblockFree: Number(match[3]) };
}

/** The `size` field `inode` prints for `path`. */
export async function inodeSize(machine: ExerciseMachine, path: string): Promise<number> {
  const output = await runOk(machine, `inode ${path}`);
  const match = /^ +size +(\d+) bytes/m.exec(output);
  if (!match) throw new Error(`\`inode ${path}\` printed no size:\n${output.trim()}`);
  return Number(match[1]);
}

/** Distinct random file names, `count` of them. */
export function randomNames(count: number, prefix = 'f'): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(`${prefix}${checkRandom().toString(36).slice(2, 7)}`);
  return [...names];
}
