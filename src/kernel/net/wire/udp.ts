/**
 * UDP datagrams (RFC 768).
 *
 *   0               2                    4          6          8
 *   | source port   | destination port   | length   | checksum | data ... |
 *
 * The length counts header and data. The checksum is the Internet checksum
 * of a pseudo-header (source and destination IPv4 address, protocol 17, UDP
 * length), the UDP header and the data; the pseudo-header ties the datagram
 * to the addresses it was sent between, so a misdelivered one fails the check.
 *
 * Two special cases of RFC 768: a received checksum of 0 means the sender
 * computed none (allowed in IPv4), so it is not checked; and a computed
 * checksum that comes out as 0 is sent as 0xFFFF instead (the same value in
 * ones-complement arithmetic) so it cannot be mistaken for "none".
 */
import type { Ipv4Address } from './addresses';
import { readUint16, writeUint16 } from './bytes';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { IPV4_PROTOCOL_UDP } from './ipv4';
import { MalformedPacket } from './malformed';

export const UDP_HEADER_LENGTH = 8;
export const UDP_MAX_LENGTH = 0xffff;
/** The checksum field value that means "no checksum computed". */
export const UDP_CHECKSUM_NONE = 0;

export interface UdpDatagram {
  sourcePort: number;
  destinationPort: number;
  payload: Uint8Array;
}

function reject(reason: string): never {
  throw new MalformedPacket('udp', reason);
}

/** Parse a UDP datagram (an IPv4 payload) sent from `source` to `destination`. */
export function parseUdpDatagram(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
): UdpDatagram {
  if (bytes.length < UDP_HEADER_LENGTH) reject(`datagram of ${bytes.length} bytes`);
  const length = readUint16(bytes, 4);
  if (length < UDP_HEADER_LENGTH) reject(`length field ${length}`);
  if (length > bytes.length) reject(`length field ${length} past ${bytes.length} bytes`);
  if (readUint16(bytes, 6) !== UDP_CHECKSUM_NONE) {
    const pseudoHeader = pseudoHeaderSum(source, destination, IPV4_PROTOCOL_UDP, length);
    if (internetChecksum(bytes, 0, length, pseudoHeader) !== 0) reject('bad checksum');
  }
  return {
    sourcePort: readUint16(bytes, 0),
    destinationPort: readUint16(bytes, 2),
    payload: bytes.subarray(UDP_HEADER_LENGTH, length),
  };
}

/** Build a datagram with its checksum, for the IPv4 addresses it will travel between. */
export function emitUdpDatagram(
  datagram: UdpDatagram,
  source: Ipv4Address,
  destination: Ipv4Address,
): Uint8Array {
  const length = UDP_HEADER_LENGTH + datagram.payload.length;
  if (length > UDP_MAX_LENGTH) throw new RangeError(`UDP datagram of ${length} bytes`);
  const bytes = new Uint8Array(length);
  writeUint16(bytes, 0, datagram.sourcePort);
  writeUint16(bytes, 2, datagram.destinationPort);
  writeUint16(bytes, 4, length);
  bytes.set(datagram.payload, UDP_HEADER_LENGTH);
  const pseudoHeader = pseudoHeaderSum(source, destination, IPV4_PROTOCOL_UDP, length);
  const checksum = internetChecksum(bytes, 0, length, pseudoHeader);
  writeUint16(bytes, 6, checksum === 0 ? 0xffff : checksum);
  return bytes;
}
