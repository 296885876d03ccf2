/**
 * TCP segments (RFC 9293 §3.1): ports, sequence and acknowledgment numbers,
 * data offset, flags, window, checksum (over the IPv4 pseudo-header, as
 * UDP's), urgent pointer, options, data.
 *
 * Of the options only the maximum segment size (RFC 9293 §3.2, kind 2) is
 * read and written: the simulated hosts neither scale windows nor use
 * timestamps or SACK, and a peer that offers them sees them ignored,
 * which TCP allows (RFC 7323 §1.3, RFC 2018 §2). The connection
 * state machine that uses these segments is tcp-endpoint.ts.
 */
import { IP_PROTOCOL_TCP, pseudoHeaderChecksum, type Ipv4Address } from './ipv4';

export const TCP_HEADER_LENGTH = 20;
export const TCP_FLAG_FIN = 0x01;
export const TCP_FLAG_SYN = 0x02;
export const TCP_FLAG_RST = 0x04;
export const TCP_FLAG_PSH = 0x08;
export const TCP_FLAG_ACK = 0x10;
export const TCP_OPTION_END = 0;
export const TCP_OPTION_NOP = 1;
export const TCP_OPTION_MSS = 2;
const TCP_OPTION_MSS_LENGTH = 4;

export interface TcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment: number;
  readonly flags: number;
  readonly window: number;
  /** The MSS option's value, or null when the segment has none. */
  readonly maxSegmentSize: number | null;
  readonly payload: Uint8Array;
}

/** A TCP segment with a sound header, options and checksum, or null. */
export function parseTcp(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
): TcpSegment | null {
  if (bytes.length < TCP_HEADER_LENGTH) return null;
  const headerLength = (bytes[12]! >> 4) * 4;
  if (headerLength < TCP_HEADER_LENGTH || headerLength > bytes.length) return null;
  if (pseudoHeaderChecksum(source, destination, IP_PROTOCOL_TCP, bytes) !== 0) return null;
  const maxSegmentSize = parseMssOption(bytes.subarray(TCP_HEADER_LENGTH, headerLength));
  if (maxSegmentSize === undefined) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    sourcePort: view.getUint16(0),
    destinationPort: view.getUint16(2),
    sequence: view.getUint32(4),
    acknowledgment: view.getUint32(8),
    flags: bytes[13]! & 0x3f,
    window: view.getUint16(14),
    maxSegmentSize,
    payload: bytes.subarray(headerLength),
  };
}

/** The MSS option's value, null without one, undefined when the options are malformed. */
function parseMssOption(options: Uint8Array): number | null | undefined {
  let mss: number | null = null;
  let at = 0;
  while (at < options.length) {
    const kind = options[at]!;
    if (kind === TCP_OPTION_END) break;
    if (kind === TCP_OPTION_NOP) {
      at++;
      continue;
    }
    const length = options[at + 1];
    if (length === undefined || length < 2 || at + length > options.length) return undefined;
    if (kind === TCP_OPTION_MSS) {
      if (length !== TCP_OPTION_MSS_LENGTH) return undefined;
      mss = (options[at + 2]! << 8) | options[at + 3]!;
    }
    at += length;
  }
  return mss;
}

export function buildTcp(
  segment: TcpSegment,
  source: Ipv4Address,
  destination: Ipv4Address,
): Uint8Array {
  const optionsLength = segment.maxSegmentSize === null ? 0 : TCP_OPTION_MSS_LENGTH;
  const headerLength = TCP_HEADER_LENGTH + optionsLength;
  const bytes = new Uint8Array(headerLength + segment.payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, segment.sourcePort);
  view.setUint16(2, segment.destinationPort);
  view.setUint32(4, segment.sequence >>> 0);
  view.setUint32(8, segment.acknowledgment >>> 0);
  bytes[12] = (headerLength / 4) << 4;
  bytes[13] = segment.flags;
  view.setUint16(14, segment.window);
  if (segment.maxSegmentSize !== null) {
    bytes[20] = TCP_OPTION_MSS;
    bytes[21] = TCP_OPTION_MSS_LENGTH;
    view.setUint16(22, segment.maxSegmentSize);
  }
  bytes.set(segment.payload, headerLength);
  view.setUint16(16, pseudoHeaderChecksum(source, destination, IP_PROTOCOL_TCP, bytes));
  return bytes;
}
