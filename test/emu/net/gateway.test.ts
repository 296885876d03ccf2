import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/emu/clock';
import { ARP_OP_REPLY, buildArp, parseArp } from '../../../src/emu/net/arp';
import {
  BROADCAST_MAC,
  buildEthernetFrame,
  parseEthernetFrame,
  parseMac,
} from '../../../src/emu/net/ethernet';
import { SWITCH_LATENCY_NS, type EthernetEndpoint } from '../../../src/emu/net/ethernet-switch';
import { buildIcmpEcho, parseIcmpEcho } from '../../../src/emu/net/icmp';
import {
  buildIpv4Packet,
  internetChecksum,
  parseIpv4,
  parseIpv4Packet,
} from '../../../src/emu/net/ipv4';
import { VirtualNetwork } from '../../../src/emu/net/virtual-network';

const GUEST_MAC = parseMac('52:54:00:12:34:56');
const GUEST_IP = parseIpv4('10.0.2.15');
const GATEWAY_IP = parseIpv4('10.0.2.2');

function setup() {
  const clock = new VirtualClock();
  const network = new VirtualNetwork(clock);
  const received: { frame: Uint8Array; at: number }[] = [];
  const guest: EthernetEndpoint = {
    name: 'guest',
    receiveFrame: (frame) => received.push({ frame, at: clock.now }),
  };
  const link = network.connectNic(guest);
  return { clock, network, received, link };
}

describe('virtual network: switch and gateway', () => {
  it('answers an ARP request for 10.0.2.2 after the switch latency each way', () => {
    const { clock, received, link } = setup();
    const request = buildArp({
      operation: 1,
      senderMac: GUEST_MAC,
      senderIp: GUEST_IP,
      targetMac: new Uint8Array(6),
      targetIp: GATEWAY_IP,
    });
    link.send(buildEthernetFrame(BROADCAST_MAC, GUEST_MAC, 0x0806, request));
    expect(received).toHaveLength(0);
    clock.advanceTo(1_000_000);
    expect(received).toHaveLength(1);
    expect(received[0]!.at).toBe(2 * SWITCH_LATENCY_NS);
    const frame = parseEthernetFrame(received[0]!.frame)!;
    expect(frame.destination).toEqual(GUEST_MAC);
    const reply = parseArp(frame.payload)!;
    expect(reply.operation).toBe(ARP_OP_REPLY);
    expect(reply.senderIp).toEqual(GATEWAY_IP);
    expect(reply.senderMac).toEqual(parseMac('52:55:0a:00:02:02'));
    expect(reply.targetIp).toEqual(GUEST_IP);
    expect(received[0]!.frame.length).toBe(60); // padded to the Ethernet minimum
  });

  it('ignores ARP requests for other addresses', () => {
    const { clock, received, link } = setup();
    const request = buildArp({
      operation: 1,
      senderMac: GUEST_MAC,
      senderIp: GUEST_IP,
      targetMac: new Uint8Array(6),
      targetIp: parseIpv4('10.0.2.99'),
    });
    link.send(buildEthernetFrame(BROADCAST_MAC, GUEST_MAC, 0x0806, request));
    clock.advanceTo(1_000_000);
    expect(received).toHaveLength(0);
  });

  it('answers ICMP echo with the identifier, sequence and data, and correct checksums', () => {
    const { clock, network, received, link } = setup();
    const data = Uint8Array.from({ length: 56 }, (_, i) => i);
    const echo = buildIcmpEcho({ type: 8, identifier: 0xbeef, sequence: 3, data });
    const ip = buildIpv4Packet({
      source: GUEST_IP,
      destination: GATEWAY_IP,
      protocol: 1,
      identification: 9,
      payload: echo,
    });
    link.send(buildEthernetFrame(network.gateway.mac, GUEST_MAC, 0x0800, ip));
    clock.advanceTo(1_000_000);
    const frame = parseEthernetFrame(received[0]!.frame)!;
    expect(internetChecksum(frame.payload.subarray(0, 20))).toBe(0);
    const packet = parseIpv4Packet(frame.payload)!;
    expect(packet.source).toEqual(GATEWAY_IP);
    expect(packet.destination).toEqual(GUEST_IP);
    expect(internetChecksum(packet.payload)).toBe(0);
    const reply = parseIcmpEcho(packet.payload)!;
    expect(reply).toMatchObject({ type: 0, identifier: 0xbeef, sequence: 3 });
    expect(reply.data).toEqual(data);
  });

  it('drops echo requests with a bad checksum', () => {
    const { clock, network, received, link } = setup();
    const echo = buildIcmpEcho({ type: 8, identifier: 1, sequence: 1, data: new Uint8Array(8) });
    echo[2]! ^= 0xff;
    const ip = buildIpv4Packet({
      source: GUEST_IP,
      destination: GATEWAY_IP,
      protocol: 1,
      identification: 1,
      payload: echo,
    });
    link.send(buildEthernetFrame(network.gateway.mac, GUEST_MAC, 0x0800, ip));
    clock.advanceTo(1_000_000);
    expect(received).toHaveLength(0);
  });

  it('learns where a MAC lives and stops flooding frames for it', () => {
    const { clock, network, link } = setup();
    const seen: string[] = [];
    const other = { name: 'other', receiveFrame: () => seen.push('other') };
    network.switch.connect(other);
    const toGateway = buildEthernetFrame(network.gateway.mac, GUEST_MAC, 0x88b5, new Uint8Array(4));
    link.send(toGateway); // gateway's MAC not yet learned: flooded
    clock.advanceTo(1_000_000);
    expect(seen).toEqual(['other']);
    const request = buildArp({
      operation: 1,
      senderMac: GUEST_MAC,
      senderIp: GUEST_IP,
      targetMac: new Uint8Array(6),
      targetIp: GATEWAY_IP,
    });
    link.send(buildEthernetFrame(BROADCAST_MAC, GUEST_MAC, 0x0806, request)); // the gateway replies: now learned
    clock.advanceTo(2_000_000);
    seen.length = 0;
    link.send(toGateway);
    clock.advanceTo(3_000_000);
    expect(seen).toEqual([]);
  });
});
