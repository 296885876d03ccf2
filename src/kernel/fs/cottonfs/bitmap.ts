/**
 * Allocation bitmaps: one bit per inode or block, set when it is in use.
 *
 * Models: ext2's block and inode bitmaps. Bit n of a bitmap region lives in
 * byte n/8 of block n/32768 of the region, least significant bit first.
 * These functions work on one bitmap block at a time; the file system maps a
 * number to its block with `bitmapPosition`.
 */
import { BITS_PER_BLOCK } from './layout';

/** Which block of a bitmap region holds bit `n`, and the bit's index inside it. */
export function bitmapPosition(n: number): { blockIndex: number; bit: number } {
  return { blockIndex: Math.floor(n / BITS_PER_BLOCK), bit: n % BITS_PER_BLOCK };
}

export function testBit(block: Uint8Array, bit: number): boolean {
  return (block[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

export function setBit(block: Uint8Array, bit: number): void {
  block[bit >> 3]! |= 1 << (bit & 7);
}

export function clearBit(block: Uint8Array, bit: number): void {
  block[bit >> 3]! &= ~(1 << (bit & 7));
}

/** The first clear bit at or after `from` and before `end`, or -1. Skips full bytes quickly. */
export function findClearBit(block: Uint8Array, from: number, end: number): number {
  for (let bit = from; bit < end; ) {
    if ((bit & 7) === 0 && block[bit >> 3] === 0xff) {
      bit += 8;
      continue;
    }
    if (!testBit(block, bit)) return bit;
    bit++;
  }
  return -1;
}
