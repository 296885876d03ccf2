/**
 * Ethernet II frames (IEEE 802.3-2018 §3.1 with the "Type" interpretation of
 * the Length/Type field, §3.2.6; the DIX layout of RFC 894).
 *
 *   0      6      12     14
 *   | dst  | src  | type | payload (46-1500 bytes) |
 *
 * The NIC strips the preamble and the frame check sequence on receive and
 * adds them on transmit, so the kernel sees 14 header bytes and the payload.
 * The shortest frame on the wire is 64 bytes with the 4-byte FCS: 60 without
 * it, so emitEthernetFrame() pads short payloads (an ARP packet is 28 bytes)
 * with zeros. A receiver cannot tell padding from payload at this layer; the
 * next layer knows its own length (IPv4's total length, ARP's fixed size).
 *
 * Type values below 0x0600 are IEEE 802.3 length fields (an LLC frame, not
 * Ethernet II) and are refused.
 */
import { macFromBytes, macToBytes, type MacAddress } from './addresses';
import { readUint16, writeUint16 } from './bytes';
import { MalformedPacket } from './malformed';

export const ETHERNET_HEADER_LENGTH = 14;
/** The minimum frame length without the frame check sequence. */
export const ETHERNET_MIN_FRAME_LENGTH = 60;
/** The largest payload of an untagged frame (the MTU). */
export const ETHERNET_MAX_PAYLOAD_LENGTH = 1500;
/** Smallest value that is a type rather than an 802.3 length (IEEE 802.3 §3.2.6). */
export const ETHERTYPE_MIN = 0x0600;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export interface EthernetFrame {
  destination: MacAddress;
  source: MacAddress;
  etherType: number;
  /** Everything after the header, padding included. */
  payload: Uint8Array;
}

export function parseEthernetFrame(bytes: Uint8Array): EthernetFrame {
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    throw new MalformedPacket(
      'ethernet',
      `frame of ${bytes.length} bytes is shorter than a header`,
    );
  }
  const etherType = readUint16(bytes, 12);
  if (etherType < ETHERTYPE_MIN) {
    throw new MalformedPacket(
      'ethernet',
      `802.3 length field ${etherType}, not an Ethernet II type`,
    );
  }
  return {
    destination: macFromBytes(bytes, 0),
    source: macFromBytes(bytes, 6),
    etherType,
    payload: bytes.subarray(ETHERNET_HEADER_LENGTH),
  };
}

export function emitEthernetFrame(frame: EthernetFrame): Uint8Array {
  if (frame.payload.length > ETHERNET_MAX_PAYLOAD_LENGTH) {
    throw new RangeError(`Ethernet payload of ${frame.payload.length} bytes exceeds the MTU`);
  }
  const length = Math.max(ETHERNET_MIN_FRAME_LENGTH, ETHERNET_HEADER_LENGTH + frame.payload.length);
  const bytes = new Uint8Array(length); // zero-filled: the padding
  macToBytes(frame.destination, bytes, 0);
  macToBytes(frame.source, bytes, 6);
  writeUint16(bytes, 12, frame.etherType);
  bytes.set(frame.payload, ETHERNET_HEADER_LENGTH);
  return bytes;
}
