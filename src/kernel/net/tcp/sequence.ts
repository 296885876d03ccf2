/**
 * Sequence-number arithmetic (RFC 9293 §3.4, "Sequence Numbers").
 *
 * Sequence numbers are 32-bit and wrap: after 0xffffffff comes 0. So "a is
 * before b" cannot be `a < b`; it means that going forward from a reaches b
 * in fewer than 2^31 steps. Taking the difference modulo 2^32 as a *signed*
 * 32-bit number gives exactly that: `(a - b) | 0` is negative when a is
 * before b (RFC 1982 "Serial Number Arithmetic" is the same idea). This only
 * works while the two numbers are less than 2^31 apart, which TCP ensures by
 * never having more than a window (at most 2^16 here) outstanding.
 *
 * Every sequence value is kept unsigned with `>>> 0`, like the addresses.
 */
import { TCP_FLAG_FIN, TCP_FLAG_SYN, type TcpSegment } from '../wire/tcp';

/** `sequence + count`, wrapped to 32 bits. */
export function sequenceAdd(sequence: number, count: number): number {
  return (sequence + count) >>> 0;
}

/** The signed distance from b forward to a: negative when a is before b. */
export function sequenceDistance(a: number, b: number): number {
  return (a - b) | 0;
}

export function sequenceLessThan(a: number, b: number): boolean {
  return sequenceDistance(a, b) < 0;
}

export function sequenceLessOrEqual(a: number, b: number): boolean {
  return sequenceDistance(a, b) <= 0;
}

export function sequenceGreaterThan(a: number, b: number): boolean {
  return sequenceDistance(a, b) > 0;
}

export function sequenceGreaterOrEqual(a: number, b: number): boolean {
  return sequenceDistance(a, b) >= 0;
}

/** start <= sequence < start + length, modulo 2^32. */
export function sequenceInWindow(sequence: number, start: number, length: number): boolean {
  const offset = sequenceDistance(sequence, start);
  return offset >= 0 && offset < length;
}

/**
 * SEG.LEN (§3.4): the sequence space a segment occupies - its data, plus one
 * for a SYN and one for a FIN, which are numbered as if they were bytes.
 */
export function segmentLength(segment: TcpSegment): number {
  return (
    segment.payload.length +
    (segment.flags & TCP_FLAG_SYN ? 1 : 0) +
    (segment.flags & TCP_FLAG_FIN ? 1 : 0)
  );
}
