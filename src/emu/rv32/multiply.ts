/**
 * The upper halves of 32 × 32 → 64-bit products (RISC-V Unprivileged ISA
 * 20191213, chapter 7: MULH, MULHU, MULHSU).
 *
 * JS numbers hold 53 bits exactly, not 64, and BigInt is far too slow for an
 * emulator's inner loop, so the unsigned product is assembled from four 16 × 16
 * partial products (each < 2^32, exact); the signed forms subtract the usual
 * corrections: for a signed operand a < 0, a·b = (a + 2^32)·b − 2^32·b.
 */

/** High 32 bits of unsigned a × unsigned b, as a signed 32-bit integer (the register's bits). */
export function mulhu(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const middle = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (middle >>> 16)) | 0;
}

/** High 32 bits of signed a × signed b. */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** High 32 bits of signed a × unsigned b. */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}
