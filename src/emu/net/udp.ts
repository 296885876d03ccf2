/**
 * UDP datagrams (RFC 768): source port, destination port, length, checksum,
 * data. The checksum covers an IPv4 pseudo-header too, so parsing and
 * building need the datagram's addresses. A checksum of zero means the
 * sender computed none (allowed over IPv4); a computed checksum of zero is
 * sent as 0xFFFF.
 */
import { IP_PROTOCOL_UDP, pseudoHeaderChecksum, type Ipv4Address } from './ipv4';

export const UDP_HEADER_LENGTH = 8;

export interface UdpDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/** A UDP datagram whose length and checksum are right, or null. */
export function parseUdp(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
): UdpDatagram | null {
  if (bytes.length < UDP_HEADER_LENGTH) return null;
  const length = (bytes[4]! << 8) | bytes[5]!;
  if (length < UDP_HEADER_LENGTH || length > bytes.length) return null;
  const datagram = bytes.subarray(0, length);
  const checksumSent = (bytes[6]! << 8) | bytes[7]!;
  if (
    checksumSent !== 0 &&
    pseudoHeaderChecksum(source, destination, IP_PROTOCOL_UDP, datagram) !== 0
  )
    return null;
  return {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    payload: datagram.subarray(UDP_HEADER_LENGTH),
  };
}

export function buildUdp(
  datagram: UdpDatagram,
  source: Ipv4Address,
  destination: Ipv4Address,
): Uint8Array {
  const bytes = new Uint8Array(UDP_HEADER_LENGTH + datagram.payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, datagram.sourcePort);
  view.setUint16(2, datagram.destinationPort);
  view.setUint16(4, bytes.length);
  bytes.set(datagram.payload, UDP_HEADER_LENGTH);
  view.setUint16(6, pseudoHeaderChecksum(source, destination, IP_PROTOCOL_UDP, bytes) || 0xffff);
  return bytes;
}
