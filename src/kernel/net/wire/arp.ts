/**
 * The Address Resolution Protocol (RFC 826), for the one pairing the kernel
 * speaks: Ethernet hardware addresses for IPv4 protocol addresses.
 *
 *   0     2     4    5    6     8          14        18         24        28
 *   | htype | ptype | hlen | plen | oper | sender MAC | sender IP | target MAC | target IP |
 *
 * RFC 826 is generic (any hardware type, any protocol, address lengths given
 * in the packet). With htype 1 (Ethernet), ptype 0x0800 (IPv4), hlen 6 and
 * plen 4 the packet is always 28 bytes, so it is parsed as a fixed layout and
 * anything else is refused. A request asks "who has target IP?" (its target
 * MAC is ignored, usually zero); the reply fills in the sender fields with the
 * answer.
 */
import {
  ipv4FromBytes,
  ipv4ToBytes,
  macFromBytes,
  macToBytes,
  type Ipv4Address,
  type MacAddress,
} from './addresses';
import { readUint16, readUint8, writeUint16, writeUint8 } from './bytes';
import { ETHERTYPE_IPV4 } from './ethernet';
import { MalformedPacket } from './malformed';

export const ARP_HARDWARE_ETHERNET = 1;
export const ARP_PROTOCOL_IPV4 = ETHERTYPE_IPV4;
export const ARP_OPERATION_REQUEST = 1;
export const ARP_OPERATION_REPLY = 2;
export const ARP_PACKET_LENGTH = 28;

export type ArpOperation = typeof ARP_OPERATION_REQUEST | typeof ARP_OPERATION_REPLY;

export interface ArpPacket {
  operation: ArpOperation;
  senderMac: MacAddress;
  senderIp: Ipv4Address;
  targetMac: MacAddress;
  targetIp: Ipv4Address;
}

function reject(reason: string): never {
  throw new MalformedPacket('arp', reason);
}

/** Parse an ARP packet (an Ethernet payload: trailing padding is ignored). */
export function parseArpPacket(bytes: Uint8Array): ArpPacket {
  if (bytes.length < ARP_PACKET_LENGTH) reject(`packet of ${bytes.length} bytes, need 28`);
  const hardwareType = readUint16(bytes, 0);
  const protocolType = readUint16(bytes, 2);
  if (hardwareType !== ARP_HARDWARE_ETHERNET) {
    reject(`hardware type ${hardwareType} is not Ethernet`);
  }
  if (protocolType !== ARP_PROTOCOL_IPV4) {
    reject(`protocol type 0x${protocolType.toString(16)} is not IPv4`);
  }
  if (readUint8(bytes, 4) !== 6 || readUint8(bytes, 5) !== 4) {
    reject('address lengths are not 6 and 4');
  }
  const operation = readUint16(bytes, 6);
  if (operation !== ARP_OPERATION_REQUEST && operation !== ARP_OPERATION_REPLY) {
    reject(`unknown operation ${operation}`);
  }
  return {
    operation,
    senderMac: macFromBytes(bytes, 8),
    senderIp: ipv4FromBytes(bytes, 14),
    targetMac: macFromBytes(bytes, 18),
    targetIp: ipv4FromBytes(bytes, 24),
  };
}

export function emitArpPacket(packet: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(ARP_PACKET_LENGTH);
  writeUint16(bytes, 0, ARP_HARDWARE_ETHERNET);
  writeUint16(bytes, 2, ARP_PROTOCOL_IPV4);
  writeUint8(bytes, 4, 6);
  writeUint8(bytes, 5, 4);
  writeUint16(bytes, 6, packet.operation);
  macToBytes(packet.senderMac, bytes, 8);
  ipv4ToBytes(packet.senderIp, bytes, 14);
  macToBytes(packet.targetMac, bytes, 18);
  ipv4ToBytes(packet.targetIp, bytes, 24);
  return bytes;
}
