import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  ARP_OPERATION_REPLY,
  ARP_OPERATION_REQUEST,
  emitArpPacket,
  parseArpPacket,
  type ArpPacket,
} from '../../../../src/kernel/net/wire/arp';
import { ETHERTYPE_ARP, parseEthernetFrame } from '../../../../src/kernel/net/wire/ethernet';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';

// A real ARP request as a QEMU guest sends it: "who has 10.0.2.2? tell 10.0.2.15",
// broadcast, padded to 60 bytes.
// biome-ignore format: laid out as the packet is
const ARP_REQUEST_FRAME = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
  0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
  0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x0a, 0x00, 0x02, 0x0f,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x02,
  ...new Array(18).fill(0),
]);

const reply: ArpPacket = {
  operation: ARP_OPERATION_REPLY,
  senderMac: '52:55:0a:00:02:02',
  senderIp: parseIpv4Address('10.0.2.2')!,
  targetMac: '52:54:00:12:34:56',
  targetIp: parseIpv4Address('10.0.2.15')!,
};

describe('ARP packets', () => {
  it('parses a real request carried in a padded Ethernet frame', () => {
    const frame = parseEthernetFrame(ARP_REQUEST_FRAME);
    expect(frame.etherType).toBe(ETHERTYPE_ARP);
    expect(parseArpPacket(frame.payload)).toEqual({
      operation: ARP_OPERATION_REQUEST,
      senderMac: '52:54:00:12:34:56',
      senderIp: parseIpv4Address('10.0.2.15'),
      targetMac: '00:00:00:00:00:00',
      targetIp: parseIpv4Address('10.0.2.2'),
    });
  });

  it('emits the same bytes as the real request', () => {
    const request = parseArpPacket(ARP_REQUEST_FRAME.subarray(14));
    expect([...emitArpPacket(request)]).toEqual([...ARP_REQUEST_FRAME.subarray(14, 42)]);
  });

  it('round-trips a reply', () => {
    const bytes = emitArpPacket(reply);
    expect(bytes.length).toBe(28);
    expect(parseArpPacket(bytes)).toEqual(reply);
  });

  it.each([
    ['hardware type 6 (IEEE 802)', 1, 6, /hardware type/],
    ['protocol IPv6', 2, 0x86, /protocol type/],
    ['hardware address length 8', 4, 8, /address lengths/],
    ['protocol address length 16', 5, 16, /address lengths/],
    ['operation 3 (RARP request)', 7, 3, /operation/],
  ])('refuses %s', (_name, offset, value, message) => {
    const bytes = emitArpPacket(reply);
    bytes[offset] = value;
    expect(() => parseArpPacket(bytes)).toThrow(message);
  });

  it('refuses a packet shorter than 28 bytes', () => {
    expect(() => parseArpPacket(emitArpPacket(reply).subarray(0, 27))).toThrow(MalformedPacket);
  });

  it('survives 10,000 mutated packets with nothing but MalformedPacket', () => {
    const result = fuzzParser(parseArpPacket, [
      emitArpPacket(reply),
      ARP_REQUEST_FRAME.subarray(14),
    ]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
