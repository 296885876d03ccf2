/**
 * ARP for IPv4 over Ethernet (RFC 826): the 28-byte packet that asks "who has
 * this IP address?" and the reply that names the MAC address.
 */
import type { MacAddress } from './ethernet';
import type { Ipv4Address } from './ipv4';

export const ARP_HTYPE_ETHERNET = 1;
export const ARP_PTYPE_IPV4 = 0x0800;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
export const ARP_PACKET_LENGTH = 28;

export interface ArpPacket {
  readonly operation: number;
  readonly senderMac: MacAddress;
  readonly senderIp: Ipv4Address;
  readonly targetMac: MacAddress;
  readonly targetIp: Ipv4Address;
}

/** An Ethernet/IPv4 ARP packet, or null for anything else. */
export function parseArp(bytes: Uint8Array): ArpPacket | null {
  if (bytes.length < ARP_PACKET_LENGTH) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    view.getUint16(0) !== ARP_HTYPE_ETHERNET ||
    view.getUint16(2) !== ARP_PTYPE_IPV4 ||
    bytes[4] !== 6 ||
    bytes[5] !== 4
  )
    return null;
  return {
    operation: view.getUint16(6),
    senderMac: bytes.slice(8, 14),
    senderIp: bytes.slice(14, 18),
    targetMac: bytes.slice(18, 24),
    targetIp: bytes.slice(24, 28),
  };
}

export function buildArp(packet: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(ARP_PACKET_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, ARP_HTYPE_ETHERNET);
  view.setUint16(2, ARP_PTYPE_IPV4);
  bytes[4] = 6;
  bytes[5] = 4;
  view.setUint16(6, packet.operation);
  bytes.set(packet.senderMac, 8);
  bytes.set(packet.senderIp, 14);
  bytes.set(packet.targetMac, 18);
  bytes.set(packet.targetIp, 24);
  return bytes;
}
