import { describe, expect, it } from 'vitest';
import { buildIcmpEcho } from '../../../src/emu/net/icmp';
import { parseIpv4 } from '../../../src/emu/net/ipv4';
import { buildTcp } from '../../../src/emu/net/tcp';
import { TestGuest } from './test-guest';

const ECHO_HOST = parseIpv4('203.0.113.7');

describe('services behind the gateway', () => {
  it('answers pings to example.com, the TLS hosts and the DNS server, not to unknown addresses', () => {
    const guest = new TestGuest();
    const targets = ['93.184.215.14', '203.0.113.21', '10.0.2.3', '10.0.2.2', '8.8.8.8'];
    targets.forEach((target, i) => {
      guest.sendIpv4(
        parseIpv4(target),
        1,
        buildIcmpEcho({ type: 8, identifier: 1, sequence: i, data: new Uint8Array(8) }),
      );
    });
    guest.runFor(5);
    expect(guest.echoReplies().sort()).toEqual([0, 1, 2, 3]);
  });

  it('echoes TCP on echo.cotton.test:7 and closes when the client does', () => {
    const guest = new TestGuest();
    const client = guest.connect('203.0.113.7', 7);
    client.send('hello, ');
    client.send('echo\n');
    guest.runFor(10);
    expect(client.text).toBe('hello, echo\n');
    client.close();
    expect(guest.runUntil(() => client.peerFin && client.allAcknowledged)).toBe(true);
  });

  it('echoes 200 KiB through TCP echo over a link that loses and reorders frames', () => {
    const guest = new TestGuest({ seed: 11, link: { lossPercent: 10, reorderPercent: 10 } });
    const client = guest.connect('203.0.113.7', 7);
    const data = Uint8Array.from({ length: 200 * 1024 }, (_, i) => (i * 31) & 0xff);
    client.send(data);
    expect(guest.runUntil(() => client.bytesReceived >= data.length)).toBe(true);
    expect(Buffer.from(client.data).equals(Buffer.from(data))).toBe(true);
  });

  it('echoes UDP on port 7', () => {
    const guest = new TestGuest();
    guest.sendUdp(ECHO_HOST, 3000, 7, new TextEncoder().encode('ping?'));
    guest.runFor(5);
    expect(guest.udp).toHaveLength(1);
    expect(new TextDecoder().decode(guest.udp[0]!.payload)).toBe('ping?');
    expect(guest.udp[0]!.destinationPort).toBe(3000);
  });

  it('counts what the discard service receives, with the first and last byte times', () => {
    const guest = new TestGuest();
    const client = guest.connect('203.0.113.7', 9);
    client.send(new Uint8Array(50_000));
    client.close();
    expect(guest.runUntil(() => client.allAcknowledged && client.peerFin)).toBe(true);
    const stats = guest.network.discard.statistics();
    expect(stats.connections).toBe(1);
    expect(stats.bytes).toBe(50_000);
    expect(stats.lastByteNs!).toBeGreaterThan(stats.firstByteNs!);
    expect(client.data.length).toBe(0);
  });

  it('refuses a closed TCP port with RST|ACK acknowledging the SYN', () => {
    const guest = new TestGuest();
    const client = guest.connect('93.184.215.14', 8443);
    guest.runFor(5);
    expect(client.reset).toBe(true);
    expect(guest.network.gateway.resetsSent).toBe(1);
  });

  it('answers a segment for no connection with RST at its acknowledgment number, and never a RST', () => {
    const guest = new TestGuest();
    const destination = parseIpv4('93.184.215.14');
    const segment = {
      sourcePort: 5000,
      destinationPort: 80,
      sequence: 1,
      acknowledgment: 777,
      window: 100,
      maxSegmentSize: null,
      payload: new Uint8Array(0),
    };
    guest.sendIpv4(destination, 6, buildTcp({ ...segment, flags: 0x10 }, guest.ip, destination));
    guest.sendIpv4(destination, 6, buildTcp({ ...segment, flags: 0x04 }, guest.ip, destination));
    guest.runFor(5);
    expect(guest.strayTcp).toHaveLength(1);
    expect(guest.strayTcp[0]).toMatchObject({ flags: 0x04, sequence: 777 });
  });

  it('answers UDP to a closed port with ICMP port unreachable quoting the datagram', () => {
    const guest = new TestGuest();
    guest.sendUdp(ECHO_HOST, 3000, 4444, new Uint8Array(4));
    guest.runFor(5);
    expect(guest.icmp).toHaveLength(1);
    const message = guest.icmp[0]!.bytes;
    expect([message[0], message[1]]).toEqual([3, 3]);
    expect(message[8]! >> 4).toBe(4); // the quoted IPv4 header
    expect((message[8 + 22]! << 8) | message[8 + 23]!).toBe(4444); // the quoted UDP destination port
  });

  it('resends the SYN-ACK until the handshake completes, then gives up with a reset', () => {
    const guest = new TestGuest();
    const destination = parseIpv4('93.184.215.14');
    const syn = {
      sourcePort: 5001,
      destinationPort: 80,
      sequence: 100,
      acknowledgment: 0,
      flags: 0x02,
      window: 1000,
      maxSegmentSize: 1460,
      payload: new Uint8Array(0),
    };
    guest.sendIpv4(destination, 6, buildTcp(syn, guest.ip, destination));
    guest.runFor(600_000);
    const synAcks = guest.strayTcp.filter((s) => s.flags === 0x12);
    expect(synAcks.length).toBe(11); // the first and 10 retransmissions
    expect(new Set(synAcks.map((s) => s.sequence)).size).toBe(1);
    expect(guest.strayTcp.at(-1)!.flags & 0x04).toBe(0x04);
    expect(guest.network.gateway.saveState().tcp).toEqual([]);
  });
});
