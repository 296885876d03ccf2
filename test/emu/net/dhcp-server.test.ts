import { describe, expect, it } from 'vitest';
import {
  buildDhcp,
  DHCP_FLAG_BROADCAST,
  DHCPACK,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPNAK,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
  dhcpMessageType,
  parseDhcp,
  type DhcpMessage,
} from '../../../src/emu/net/dhcp';
import { formatMac, parseMac } from '../../../src/emu/net/ethernet';
import { formatIpv4, parseIpv4 } from '../../../src/emu/net/ipv4';
import { GUEST_MAC, TestGuest } from './test-guest';

const ANY = parseIpv4('0.0.0.0');
const BROADCAST = parseIpv4('255.255.255.255');
const SERVER = parseIpv4('10.0.2.2');

interface ClientMessage {
  type: number;
  xid?: number;
  mac?: Uint8Array;
  flags?: number;
  ciaddr?: Uint8Array;
  requested?: string;
  serverId?: string;
}

function clientMessage(message: ClientMessage): Uint8Array {
  const options = new Map<number, Uint8Array>([[53, Uint8Array.of(message.type)]]);
  if (message.requested) options.set(50, parseIpv4(message.requested));
  if (message.serverId) options.set(54, parseIpv4(message.serverId));
  options.set(55, Uint8Array.of(1, 3, 6, 51));
  return buildDhcp({
    op: 1,
    xid: message.xid ?? 0x1234,
    flags: message.flags ?? 0,
    ciaddr: message.ciaddr,
    chaddr: message.mac ?? GUEST_MAC,
    options,
  });
}

/** Send a client message (broadcast unless `to` is given) and return the server's answer, if any. */
function exchange(guest: TestGuest, message: ClientMessage, to = BROADCAST) {
  const before = guest.udp.length;
  const source = message.ciaddr ?? ANY;
  guest.sendUdp(to, 68, 67, clientMessage(message), {
    source,
    mac: to === BROADCAST ? parseMac('ff:ff:ff:ff:ff:ff') : undefined,
  });
  guest.runFor(5);
  const answers = guest.udp.slice(before);
  expect(answers.length).toBeLessThanOrEqual(1);
  if (answers.length === 0) return null;
  const datagram = answers[0]!;
  expect(datagram.sourcePort).toBe(67);
  expect(datagram.destinationPort).toBe(68);
  expect(formatIpv4(datagram.source)).toBe('10.0.2.2');
  const reply = parseDhcp(datagram.payload)!;
  expect(reply.op).toBe(2);
  expect(reply.xid).toBe(message.xid ?? 0x1234);
  expect(datagram.payload.length).toBeGreaterThanOrEqual(300);
  return { datagram, reply };
}

function option(reply: DhcpMessage, code: number): string {
  return formatIpv4(reply.options.get(code)!);
}

function uint32(reply: DhcpMessage, code: number): number {
  return new DataView(reply.options.get(code)!.buffer).getUint32(0);
}

describe('DHCP server at 10.0.2.2', () => {
  it('completes DISCOVER, OFFER, REQUEST, ACK with the slirp configuration', () => {
    const guest = new TestGuest();
    const offer = exchange(guest, { type: DHCPDISCOVER })!;
    expect(dhcpMessageType(offer.reply)).toBe(DHCPOFFER);
    expect(formatIpv4(offer.reply.yiaddr)).toBe('10.0.2.15');
    expect(formatMac(offer.datagram.destinationMac)).toBe(formatMac(GUEST_MAC)); // unicast: no BROADCAST flag
    expect(formatIpv4(offer.datagram.destination)).toBe('10.0.2.15');
    expect(option(offer.reply, 54)).toBe('10.0.2.2');
    const ack = exchange(guest, {
      type: DHCPREQUEST,
      requested: '10.0.2.15',
      serverId: '10.0.2.2',
    })!;
    expect(dhcpMessageType(ack.reply)).toBe(DHCPACK);
    expect(formatIpv4(ack.reply.yiaddr)).toBe('10.0.2.15');
    expect(option(ack.reply, 1)).toBe('255.255.255.0');
    expect(option(ack.reply, 3)).toBe('10.0.2.2');
    expect(option(ack.reply, 6)).toBe('10.0.2.3');
    expect(uint32(ack.reply, 51)).toBe(3600);
    expect(uint32(ack.reply, 58)).toBe(1800);
    expect(uint32(ack.reply, 59)).toBe(3150);
    expect(guest.network.dhcp.leaseOf(formatMac(GUEST_MAC))).toMatchObject({
      address: '10.0.2.15',
      bound: true,
    });
  });

  it('broadcasts the reply when the client sets the BROADCAST flag', () => {
    const guest = new TestGuest();
    const offer = exchange(guest, { type: DHCPDISCOVER, flags: DHCP_FLAG_BROADCAST })!;
    expect(formatMac(offer.datagram.destinationMac)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatIpv4(offer.datagram.destination)).toBe('255.255.255.255');
    expect(offer.reply.flags).toBe(DHCP_FLAG_BROADCAST);
  });

  it('renews a bound lease by unicast to the client, extending it', () => {
    const guest = new TestGuest();
    exchange(guest, { type: DHCPDISCOVER });
    exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15', serverId: '10.0.2.2' });
    const first = guest.network.dhcp.leaseOf(formatMac(GUEST_MAC))!.expiresNs;
    guest.runFor(1_800_000); // T1
    const renewal = exchange(guest, { type: DHCPREQUEST, ciaddr: parseIpv4('10.0.2.15') }, SERVER)!;
    expect(dhcpMessageType(renewal.reply)).toBe(DHCPACK);
    expect(formatIpv4(renewal.datagram.destination)).toBe('10.0.2.15');
    expect(guest.network.dhcp.leaseOf(formatMac(GUEST_MAC))!.expiresNs).toBe(
      first + 1_800_000 * 1_000_000 + 5_000_000,
    );
  });

  it("gives a second client the next address and NAKs a request for the first client's", () => {
    const guest = new TestGuest();
    exchange(guest, { type: DHCPDISCOVER });
    exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15', serverId: '10.0.2.2' });
    const other = parseMac('52:54:00:00:00:02');
    const offer = exchange(guest, {
      type: DHCPDISCOVER,
      mac: other,
      xid: 9,
      flags: DHCP_FLAG_BROADCAST,
    })!;
    expect(formatIpv4(offer.reply.yiaddr)).toBe('10.0.2.16');
    const nak = exchange(guest, { type: DHCPREQUEST, mac: other, xid: 9, requested: '10.0.2.15' })!; // INIT-REBOOT
    expect(dhcpMessageType(nak.reply)).toBe(DHCPNAK);
    expect(formatMac(nak.datagram.destinationMac)).toBe('ff:ff:ff:ff:ff:ff');
    expect(nak.reply.options.has(51)).toBe(false);
  });

  it('NAKs a request for an address other than the one offered, and ignores one naming another server', () => {
    const guest = new TestGuest();
    exchange(guest, { type: DHCPDISCOVER });
    expect(
      dhcpMessageType(
        exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.20', serverId: '10.0.2.2' })!.reply,
      ),
    ).toBe(DHCPNAK);
    expect(
      exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15', serverId: '10.0.2.99' }),
    ).toBeNull();
  });

  it('acknowledges INIT-REBOOT for a free address in the pool, and NAKs one outside it', () => {
    const guest = new TestGuest();
    expect(
      dhcpMessageType(exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15' })!.reply),
    ).toBe(DHCPACK);
    expect(
      dhcpMessageType(exchange(guest, { type: DHCPREQUEST, requested: '192.168.1.5' })!.reply),
    ).toBe(DHCPNAK);
  });

  it('offers the same address again after a lease expires, and another client gets it after RELEASE', () => {
    const guest = new TestGuest({ dhcpLeaseSeconds: 60 });
    exchange(guest, { type: DHCPDISCOVER });
    exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15', serverId: '10.0.2.2' });
    guest.runFor(61_000);
    expect(formatIpv4(exchange(guest, { type: DHCPDISCOVER })!.reply.yiaddr)).toBe('10.0.2.15');
    exchange(guest, { type: DHCPREQUEST, requested: '10.0.2.15', serverId: '10.0.2.2' });
    expect(
      exchange(
        guest,
        { type: DHCPRELEASE, ciaddr: parseIpv4('10.0.2.15'), serverId: '10.0.2.2' },
        SERVER,
      ),
    ).toBeNull();
    const other = parseMac('52:54:00:00:00:03');
    expect(
      formatIpv4(
        exchange(guest, { type: DHCPDISCOVER, mac: other, flags: DHCP_FLAG_BROADCAST })!.reply
          .yiaddr,
      ),
    ).toBe('10.0.2.15');
  });

  it('answers INFORM with the options and no lease', () => {
    const guest = new TestGuest();
    const ack = exchange(guest, { type: DHCPINFORM, ciaddr: parseIpv4('10.0.2.40') }, SERVER)!;
    expect(dhcpMessageType(ack.reply)).toBe(DHCPACK);
    expect(formatIpv4(ack.reply.yiaddr)).toBe('0.0.0.0');
    expect(ack.reply.options.has(51)).toBe(false);
    expect(option(ack.reply, 6)).toBe('10.0.2.3');
  });

  it('ignores malformed messages and BOOTP replies', () => {
    const guest = new TestGuest();
    const truncated = clientMessage({ type: DHCPDISCOVER }).slice(0, 200);
    guest.sendUdp(BROADCAST, 68, 67, truncated, {
      source: ANY,
      mac: parseMac('ff:ff:ff:ff:ff:ff'),
    });
    const badOption = clientMessage({ type: DHCPDISCOVER });
    badOption[244] = 200; // option 55's length runs past the end
    guest.sendUdp(BROADCAST, 68, 67, badOption, {
      source: ANY,
      mac: parseMac('ff:ff:ff:ff:ff:ff'),
    });
    const reply = clientMessage({ type: DHCPDISCOVER });
    reply[0] = 2;
    guest.sendUdp(BROADCAST, 68, 67, reply, { source: ANY, mac: parseMac('ff:ff:ff:ff:ff:ff') });
    guest.runFor(10);
    expect(guest.udp).toHaveLength(0);
    expect(guest.icmp).toHaveLength(0); // no port-unreachable for broadcasts
  });
});
