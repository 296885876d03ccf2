/**
 * The Internet checksum (RFC 1071, "Computing the Internet Checksum"; defined
 * in RFC 791 §3.1 for IPv4 headers, RFC 792 for ICMP, RFC 768 for UDP and
 * RFC 793 §3.1 for TCP).
 *
 * Read the bytes as a sequence of 16-bit big-endian words, add them up with
 * "end-around carry" (a carry out of bit 15 is added back in at bit 0: that
 * is ones-complement addition), and send the complement of the sum. A
 * receiver adds up the same bytes *including* the checksum field: a packet
 * that arrived intact sums to 0xFFFF, so its checksum computes to 0.
 *
 * Two details every implementation must get right:
 * - an odd number of bytes: the last byte is the high half of a word whose
 *   low half is zero (RFC 1071 §4.1, "Add left-over byte, if any");
 * - UDP and TCP also cover a "pseudo-header" (source and destination
 *   address, protocol, length) that is not sent: its sum is computed apart
 *   with pseudoHeaderSum() and passed in as `initialSum`.
 *
 * The carries are collected in a plain number and folded once at the end,
 * which is what RFC 1071 §2(C) calls "deferred carries".
 */
import type { Ipv4Address } from './addresses';

// #region exercise:internet-checksum
/** Fold the carries above bit 15 back into the low 16 bits until none are left. */
function foldCarries(sum: number): number {
  while (sum > 0xffff) {
    sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  }
  return sum;
}

/**
 * The 16-bit ones-complement checksum of `length` bytes from `offset`,
 * continuing from the partial sum `initialSum` (0, or a pseudoHeaderSum()).
 */
export function internetChecksum(
  bytes: Uint8Array,
  offset = 0,
  length = bytes.length - offset,
  initialSum = 0,
): number {
  let sum = initialSum;
  const end = offset + length;
  let i = offset;
  for (; i + 1 < end; i += 2) {
    sum += (bytes[i]! << 8) | bytes[i + 1]!;
  }
  if (i < end) {
    sum += bytes[i]! << 8; // left-over byte, padded with a zero byte
  }
  return ~foldCarries(sum) & 0xffff;
}
// #endregion exercise:internet-checksum

/**
 * The (unfolded) sum of the IPv4 pseudo-header that UDP and TCP checksums
 * cover: source address, destination address, zero byte + protocol, and the
 * UDP/TCP length (RFC 768 "Fields"; RFC 793 §3.1 "Checksum").
 */
export function pseudoHeaderSum(
  source: Ipv4Address,
  destination: Ipv4Address,
  protocol: number,
  length: number,
): number {
  return (
    (source >>> 16) +
    (source & 0xffff) +
    (destination >>> 16) +
    (destination & 0xffff) +
    protocol +
    length
  );
}
