/**
 * IPv4 packets (RFC 791 §3.1, "Internet Header Format").
 *
 *   0       4       8              16   19            24            32
 *   | version | IHL | type of service | total length                   |
 *   | identification                  | flags | fragment offset        |
 *   | time to live  | protocol        | header checksum                |
 *   | source address                                                   |
 *   | destination address                                              |
 *   | options (IHL > 5) ...                                            |
 *
 * What a parser must check before trusting anything: the version is 4, the
 * header length (IHL, in 32-bit words) is at least 5 and fits in the buffer,
 * the total length covers the header and fits in the buffer (bytes beyond it
 * are link-layer padding and are dropped), and the header checksum (the
 * Internet checksum of the header alone, RFC 791 §3.1) verifies.
 *
 * Options are skipped, not interpreted. The fragmentation fields are exposed
 * as they are so the caller can refuse fragments: this kernel does not
 * reassemble (isFragment()). On emit the checksum is computed and written.
 */
import { ipv4FromBytes, ipv4ToBytes, type Ipv4Address } from './addresses';
import { readUint16, readUint8, writeUint16, writeUint8 } from './bytes';
import { internetChecksum } from './checksum';
import { MalformedPacket } from './malformed';

export const IPV4_VERSION = 4;
export const IPV4_MIN_HEADER_LENGTH = 20;
export const IPV4_MAX_TOTAL_LENGTH = 0xffff;
export const IPV4_DEFAULT_TTL = 64;
/** Assigned Internet protocol numbers (RFC 790; IANA "Protocol Numbers"). */
export const IPV4_PROTOCOL_ICMP = 1;
export const IPV4_PROTOCOL_TCP = 6;
export const IPV4_PROTOCOL_UDP = 17;
/** The flag bits in the top 3 bits of the word at offset 6 (bit 0 is reserved). */
export const IPV4_FLAG_DONT_FRAGMENT = 0x4000;
export const IPV4_FLAG_MORE_FRAGMENTS = 0x2000;
/** The fragment offset is the low 13 bits, in units of 8 bytes. */
export const IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;
export const IPV4_FRAGMENT_OFFSET_UNIT = 8;

export interface Ipv4Packet {
  typeOfService: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Where this fragment's data goes in the original datagram, in bytes. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  source: Ipv4Address;
  destination: Ipv4Address;
  /** The data after the header (and its options), up to the total length. */
  payload: Uint8Array;
}

/** What emitIpv4Packet() needs; the rest has the usual defaults. */
export type Ipv4PacketFields = Pick<Ipv4Packet, 'protocol' | 'source' | 'destination' | 'payload'> &
  Partial<Ipv4Packet>;

function reject(reason: string): never {
  throw new MalformedPacket('ipv4', reason);
}

/** Parse and verify an IPv4 packet (an Ethernet payload, possibly padded). */
export function parseIpv4Packet(bytes: Uint8Array): Ipv4Packet {
  if (bytes.length < IPV4_MIN_HEADER_LENGTH) reject(`packet of ${bytes.length} bytes`);
  const versionAndIhl = readUint8(bytes, 0);
  const version = versionAndIhl >>> 4;
  const headerLength = (versionAndIhl & 0x0f) * 4;
  if (version !== IPV4_VERSION) reject(`version ${version}`);
  if (headerLength < IPV4_MIN_HEADER_LENGTH) reject(`header length ${headerLength}`);
  if (headerLength > bytes.length) reject(`header length ${headerLength} past the end`);
  const totalLength = readUint16(bytes, 2);
  if (totalLength < headerLength) reject(`total length ${totalLength} < header ${headerLength}`);
  if (totalLength > bytes.length) reject(`total length ${totalLength} past ${bytes.length} bytes`);
  if (internetChecksum(bytes, 0, headerLength) !== 0) reject('bad header checksum');
  const flagsAndOffset = readUint16(bytes, 6);
  return {
    typeOfService: readUint8(bytes, 1),
    identification: readUint16(bytes, 4),
    dontFragment: (flagsAndOffset & IPV4_FLAG_DONT_FRAGMENT) !== 0,
    moreFragments: (flagsAndOffset & IPV4_FLAG_MORE_FRAGMENTS) !== 0,
    fragmentOffset: (flagsAndOffset & IPV4_FRAGMENT_OFFSET_MASK) * IPV4_FRAGMENT_OFFSET_UNIT,
    ttl: readUint8(bytes, 8),
    protocol: readUint8(bytes, 9),
    source: ipv4FromBytes(bytes, 12),
    destination: ipv4FromBytes(bytes, 16),
    payload: bytes.subarray(headerLength, totalLength),
  };
}

/** A piece of a larger datagram (more to come, or not the first piece)? */
export function isFragment(packet: Ipv4Packet): boolean {
  return packet.moreFragments || packet.fragmentOffset !== 0;
}

/** Build a packet with a 20-byte header (no options) and its checksum. */
export function emitIpv4Packet(fields: Ipv4PacketFields): Uint8Array {
  const totalLength = IPV4_MIN_HEADER_LENGTH + fields.payload.length;
  if (totalLength > IPV4_MAX_TOTAL_LENGTH) {
    throw new RangeError(`IPv4 packet of ${totalLength} bytes`);
  }
  const fragmentOffset = fields.fragmentOffset ?? 0;
  const offsetUnits = fragmentOffset / IPV4_FRAGMENT_OFFSET_UNIT;
  if (
    !Number.isInteger(offsetUnits) ||
    offsetUnits < 0 ||
    offsetUnits > IPV4_FRAGMENT_OFFSET_MASK
  ) {
    throw new RangeError(`fragment offset ${fragmentOffset} is not a multiple of 8 below 65536`);
  }
  const bytes = new Uint8Array(totalLength);
  writeUint8(bytes, 0, (IPV4_VERSION << 4) | (IPV4_MIN_HEADER_LENGTH / 4));
  writeUint8(bytes, 1, fields.typeOfService ?? 0);
  writeUint16(bytes, 2, totalLength);
  writeUint16(bytes, 4, fields.identification ?? 0);
  writeUint16(
    bytes,
    6,
    (fields.dontFragment ? IPV4_FLAG_DONT_FRAGMENT : 0) |
      (fields.moreFragments ? IPV4_FLAG_MORE_FRAGMENTS : 0) |
      offsetUnits,
  );
  writeUint8(bytes, 8, fields.ttl ?? IPV4_DEFAULT_TTL);
  writeUint8(bytes, 9, fields.protocol);
  ipv4ToBytes(fields.source, bytes, 12);
  ipv4ToBytes(fields.destination, bytes, 16);
  writeUint16(bytes, 10, internetChecksum(bytes, 0, IPV4_MIN_HEADER_LENGTH));
  bytes.set(fields.payload, IPV4_MIN_HEADER_LENGTH);
  return bytes;
}
