/**
 * IPv4 datagrams (RFC 791 §3.1): the header fields a simulated host needs to
 * answer, and the Internet checksum (RFC 1071) that IPv4, ICMP, UDP and TCP
 * share. Options are skipped on parsing and never sent; fragments are not
 * reassembled (the simulated hosts never need them).
 */

export type Ipv4Address = Uint8Array;

export const IPV4_HEADER_LENGTH = 20;
export const IP_PROTOCOL_ICMP = 1;
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;
const IPV4_VERSION_IHL = 0x45;
const DEFAULT_TTL = 64;
/** The limited broadcast address (RFC 919), where DHCP clients without an address send. */
export const IPV4_LIMITED_BROADCAST = '255.255.255.255';

export interface Ipv4Packet {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly protocol: number;
  readonly ttl: number;
  readonly identification: number;
  readonly payload: Uint8Array;
}

/** "10.0.2.2" → bytes. */
export function parseIpv4(text: string): Ipv4Address {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255))
    throw new Error(`not an IPv4 address: ${text}`);
  return Uint8Array.from(parts);
}

export function formatIpv4(address: Ipv4Address): string {
  return Array.from(address).join('.');
}

export function sameIpv4(a: Ipv4Address, b: Ipv4Address): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** The one's-complement sum of 16-bit big-endian words (RFC 1071 §1), folded to 16 bits. */
function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length & 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum: one's complement of the one's-complement sum of 16-bit big-endian words. */
export function internetChecksum(bytes: Uint8Array): number {
  return ~onesComplementSum(bytes) & 0xffff;
}

/**
 * The checksum UDP and TCP carry (RFC 768; RFC 9293 §3.1): the Internet
 * checksum over a pseudo-header (source, destination, zero, protocol,
 * length) followed by the segment. Over a segment that holds its own
 * checksum, the result is 0 when the checksum is right.
 */
export function pseudoHeaderChecksum(
  source: Ipv4Address,
  destination: Ipv4Address,
  protocol: number,
  segment: Uint8Array,
): number {
  const pseudoHeader = new Uint8Array(12);
  pseudoHeader.set(source, 0);
  pseudoHeader.set(destination, 4);
  pseudoHeader[9] = protocol;
  pseudoHeader[10] = segment.length >> 8;
  pseudoHeader[11] = segment.length & 0xff;
  return ~onesComplementSum(segment, onesComplementSum(pseudoHeader)) & 0xffff;
}

/** A well-formed IPv4 datagram with a correct header checksum, or null. */
export function parseIpv4Packet(bytes: Uint8Array): Ipv4Packet | null {
  if (bytes.length < IPV4_HEADER_LENGTH || bytes[0]! >> 4 !== 4) return null;
  const headerLength = (bytes[0]! & 0x0f) * 4;
  const totalLength = (bytes[2]! << 8) | bytes[3]!;
  if (headerLength < IPV4_HEADER_LENGTH || totalLength < headerLength || totalLength > bytes.length)
    return null;
  if (internetChecksum(bytes.subarray(0, headerLength)) !== 0) return null;
  return {
    identification: (bytes[4]! << 8) | bytes[5]!,
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    source: bytes.slice(12, 16),
    destination: bytes.slice(16, 20),
    payload: bytes.subarray(headerLength, totalLength),
  };
}

export function buildIpv4Packet(packet: Omit<Ipv4Packet, 'ttl'> & { ttl?: number }): Uint8Array {
  const bytes = new Uint8Array(IPV4_HEADER_LENGTH + packet.payload.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = IPV4_VERSION_IHL;
  view.setUint16(2, bytes.length);
  view.setUint16(4, packet.identification);
  bytes[8] = packet.ttl ?? DEFAULT_TTL;
  bytes[9] = packet.protocol;
  bytes.set(packet.source, 12);
  bytes.set(packet.destination, 16);
  view.setUint16(10, internetChecksum(bytes.subarray(0, IPV4_HEADER_LENGTH)));
  bytes.set(packet.payload, IPV4_HEADER_LENGTH);
  return bytes;
}

/** An address as a 32-bit number (for address arithmetic: pools, masks). */
export function ipv4ToNumber(address: Ipv4Address): number {
  return ((address[0]! << 24) | (address[1]! << 16) | (address[2]! << 8) | address[3]!) >>> 0;
}

export function numberToIpv4(value: number): Ipv4Address {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
