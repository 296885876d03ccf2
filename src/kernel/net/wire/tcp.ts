/**
 * TCP segments (RFC 9293 §3.1, "Header Format"; options in §3.2).
 *
 *   0               8              16              24             32
 *   | source port                   | destination port              |
 *   | sequence number                                               |
 *   | acknowledgment number                                         |
 *   | offset | reserved | flags       | window                        |
 *   | checksum                      | urgent pointer                |
 *   | options (offset > 5) ...                                      |
 *   | data ...                                                      |
 *
 * What a parser must check before trusting anything: the segment holds the
 * 20-byte fixed header, the data offset (in 32-bit words) is at least 5 and
 * fits in the segment, the checksum verifies, and every option fits inside
 * the header. The checksum covers a "pseudo-header" of the IPv4 source,
 * destination, protocol and TCP length (§3.1, "Checksum"), so the parser
 * needs the two addresses from the IP layer: a segment delivered to the
 * wrong host fails it.
 *
 * Options (§3.2) are a kind byte, then - except for End of Option List (0)
 * and No-Operation (1) - a length byte that counts the kind and length bytes
 * too. Only Maximum Segment Size (kind 2, length 4) is interpreted; any
 * other kind is skipped by its length, as §3.2 requires ("MUST ignore
 * options it does not implement"). A length that runs past the header or is
 * shorter than 2 would make a careless parser loop or read past the header:
 * both are refused.
 *
 * The six flags of RFC 9293 are kept as one bit set; the ECN bits (CWR, ECE,
 * RFC 3168) are not used by this kernel and are dropped on parse.
 */
import type { Ipv4Address } from './addresses';
import { readUint16, readUint32, readUint8, writeUint16, writeUint32, writeUint8 } from './bytes';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { IPV4_PROTOCOL_TCP } from './ipv4';
import { MalformedPacket } from './malformed';

export const TCP_FLAG_FIN = 0x01;
export const TCP_FLAG_SYN = 0x02;
export const TCP_FLAG_RST = 0x04;
export const TCP_FLAG_PSH = 0x08;
export const TCP_FLAG_ACK = 0x10;
export const TCP_FLAG_URG = 0x20;
const TCP_FLAGS_MASK = 0x3f;

export const TCP_MIN_HEADER_LENGTH = 20;
const TCP_CHECKSUM_OFFSET = 16;

export const TCP_OPTION_END_OF_LIST = 0;
export const TCP_OPTION_NO_OPERATION = 1;
export const TCP_OPTION_MAXIMUM_SEGMENT_SIZE = 2;
const TCP_OPTION_MAXIMUM_SEGMENT_SIZE_LENGTH = 4;

export interface TcpOptions {
  /** Maximum Segment Size: the largest payload the sender can receive (sent on SYNs). */
  mss?: number;
}

export interface TcpSegment {
  sourcePort: number;
  destinationPort: number;
  /** Sequence number of the first byte (or of the SYN), uint32. */
  sequence: number;
  /** The next sequence number the sender expects (valid when ACK is set), uint32. */
  acknowledgment: number;
  /** TCP_FLAG_* bits. */
  flags: number;
  window: number;
  urgentPointer: number;
  options: TcpOptions;
  payload: Uint8Array;
}

function reject(reason: string): never {
  throw new MalformedPacket('tcp', reason);
}

/** The checksum of a whole segment, pseudo-header included; 0 for an intact one. */
function segmentChecksum(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): number {
  const pseudoHeader = pseudoHeaderSum(source, destination, IPV4_PROTOCOL_TCP, bytes.length);
  return internetChecksum(bytes, 0, bytes.length, pseudoHeader);
}

/** Parse the options between the fixed header and the data offset (§3.2). */
function parseOptions(bytes: Uint8Array, headerLength: number): TcpOptions {
  const options: TcpOptions = {};
  let offset = TCP_MIN_HEADER_LENGTH;
  while (offset < headerLength) {
    const kind = readUint8(bytes, offset);
    if (kind === TCP_OPTION_END_OF_LIST) break;
    if (kind === TCP_OPTION_NO_OPERATION) {
      offset += 1;
      continue;
    }
    if (offset + 1 >= headerLength) reject(`option ${kind} at ${offset} has no length byte`);
    const length = readUint8(bytes, offset + 1);
    if (length < 2) reject(`option ${kind} at ${offset} has length ${length}`);
    if (offset + length > headerLength) reject(`option ${kind} at ${offset} runs past the header`);
    if (kind === TCP_OPTION_MAXIMUM_SEGMENT_SIZE) {
      if (length !== TCP_OPTION_MAXIMUM_SEGMENT_SIZE_LENGTH)
        reject(`MSS option of length ${length}`);
      options.mss = readUint16(bytes, offset + 2);
    }
    offset += length;
  }
  return options;
}

/**
 * Parse and verify a TCP segment (an IPv4 payload) sent from `source` to
 * `destination`. The payload is a copy: the caller may reuse `bytes`.
 */
export function parseTcpSegment(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
): TcpSegment {
  if (bytes.length < TCP_MIN_HEADER_LENGTH) reject(`segment of ${bytes.length} bytes`);
  const headerLength = (readUint8(bytes, 12) >>> 4) * 4;
  if (headerLength < TCP_MIN_HEADER_LENGTH) reject(`data offset of ${headerLength} bytes`);
  if (headerLength > bytes.length) reject(`data offset ${headerLength} past ${bytes.length} bytes`);
  if (segmentChecksum(bytes, source, destination) !== 0) reject('bad checksum');
  return {
    sourcePort: readUint16(bytes, 0),
    destinationPort: readUint16(bytes, 2),
    sequence: readUint32(bytes, 4),
    acknowledgment: readUint32(bytes, 8),
    flags: readUint8(bytes, 13) & TCP_FLAGS_MASK,
    window: readUint16(bytes, 14),
    urgentPointer: readUint16(bytes, 18),
    options: parseOptions(bytes, headerLength),
    payload: bytes.slice(headerLength),
  };
}

/** The header length `segment` needs: 20 bytes, plus 4 for an MSS option. */
function headerLengthFor(segment: TcpSegment): number {
  return (
    TCP_MIN_HEADER_LENGTH +
    (segment.options.mss === undefined ? 0 : TCP_OPTION_MAXIMUM_SEGMENT_SIZE_LENGTH)
  );
}

/** Serialise `segment`, sent from `source` to `destination`, with its checksum. */
export function emitTcpSegment(
  segment: TcpSegment,
  source: Ipv4Address,
  destination: Ipv4Address,
): Uint8Array {
  const headerLength = headerLengthFor(segment);
  const bytes = new Uint8Array(headerLength + segment.payload.length);
  writeUint16(bytes, 0, segment.sourcePort);
  writeUint16(bytes, 2, segment.destinationPort);
  writeUint32(bytes, 4, segment.sequence);
  writeUint32(bytes, 8, segment.acknowledgment);
  writeUint8(bytes, 12, (headerLength / 4) << 4);
  writeUint8(bytes, 13, segment.flags & TCP_FLAGS_MASK);
  writeUint16(bytes, 14, segment.window);
  writeUint16(bytes, 18, segment.urgentPointer);
  if (segment.options.mss !== undefined) {
    writeUint8(bytes, 20, TCP_OPTION_MAXIMUM_SEGMENT_SIZE);
    writeUint8(bytes, 21, TCP_OPTION_MAXIMUM_SEGMENT_SIZE_LENGTH);
    writeUint16(bytes, 22, segment.options.mss);
  }
  bytes.set(segment.payload, headerLength);
  writeUint16(bytes, TCP_CHECKSUM_OFFSET, segmentChecksum(bytes, source, destination));
  return bytes;
}
