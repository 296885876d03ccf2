/**
 * The starter for exercise networking/internet-checksum: the text that takes
 * the place of the `exercise:internet-checksum` region in
 * src/kernel/net/wire/checksum.ts.
 */
export const starter = `/**
 * The 16-bit ones-complement checksum of \`length\` bytes from \`offset\`,
 * continuing from the partial sum \`initialSum\` (0, or a pseudoHeaderSum()).
 */
export function internetChecksum(
  bytes: Uint8Array,
  offset = 0,
  length = bytes.length - offset,
  initialSum = 0,
): number {
  // TODO (exercise networking/internet-checksum): RFC 1071.
  //
  // Start from initialSum and add the bytes from offset to offset + length as 16-bit
  // big-endian words: (bytes[i] << 8) | bytes[i + 1]. If the length is odd, the last
  // byte is the high half of a word whose low byte is zero.
  //
  // Ones-complement addition: a carry out of bit 15 goes back in at bit 0. You may add
  // everything in a plain number first and fold at the end: while the sum is above
  // 0xffff, replace it by (sum & 0xffff) + (sum >>> 16).
  //
  // Return the complement of the folded sum, as 16 bits: ~sum & 0xffff.
  return 0;
}`;
