import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/emu/clock';
import { buildArp } from '../../../src/emu/net/arp';
import { BROADCAST_MAC, buildEthernetFrame, parseMac } from '../../../src/emu/net/ethernet';
import { buildIcmpEcho } from '../../../src/emu/net/icmp';
import { buildIpv4Packet, parseIpv4 } from '../../../src/emu/net/ipv4';
import { PcapWriter } from '../../../src/emu/net/pcap-writer';
import { VirtualNetwork } from '../../../src/emu/net/virtual-network';

const START = 1767258000;

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A capture of a guest's ARP and ping exchange with the gateway. */
function captureExchange(): Uint8Array {
  const clock = new VirtualClock();
  const network = new VirtualNetwork(clock);
  const chunks: Uint8Array[] = [];
  network.capture((bytes) => chunks.push(bytes), START);
  const guestMac = parseMac('52:54:00:12:34:56');
  const link = network.connectNic({ name: 'guest', receiveFrame: () => {} });
  const guest = parseIpv4('10.0.2.15');
  const gateway = parseIpv4('10.0.2.2');
  link.send(
    buildEthernetFrame(
      BROADCAST_MAC,
      guestMac,
      0x0806,
      buildArp({
        operation: 1,
        senderMac: guestMac,
        senderIp: guest,
        targetMac: new Uint8Array(6),
        targetIp: gateway,
      }),
    ),
  );
  clock.advanceTo(1_500_000);
  const echo = buildIcmpEcho({
    type: 8,
    identifier: 1,
    sequence: 1,
    data: new TextEncoder().encode('hello'),
  });
  link.send(
    buildEthernetFrame(
      network.gateway.mac,
      guestMac,
      0x0800,
      buildIpv4Packet({
        source: guest,
        destination: gateway,
        protocol: 1,
        identification: 1,
        payload: echo,
      }),
    ),
  );
  clock.advanceTo(3_000_000);
  return concat(chunks);
}

describe('pcap writer', () => {
  it('writes the libpcap global header: magic, version 2.4, snap length, Ethernet link type', () => {
    const chunks: Uint8Array[] = [];
    new PcapWriter((bytes) => chunks.push(bytes));
    expect(Array.from(chunks[0]!)).toEqual([
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
    ]);
  });

  it('writes a record header with the virtual time after the start time, and the lengths', () => {
    const chunks: Uint8Array[] = [];
    const writer = new PcapWriter((bytes) => chunks.push(bytes), START);
    writer.writeFrame(new Uint8Array(60).fill(0xab), 2_500_123_456);
    const record = new DataView(chunks[1]!.buffer);
    expect(record.getUint32(0, true)).toBe(START + 2);
    expect(record.getUint32(4, true)).toBe(500_123);
    expect(record.getUint32(8, true)).toBe(60);
    expect(record.getUint32(12, true)).toBe(60);
    expect(chunks[1]!.length).toBe(16 + 60);
  });

  it('captures every frame crossing the switch, requests and replies', () => {
    const file = captureExchange();
    const frames: number[] = [];
    for (let at = 24; at < file.length; ) {
      const length = new DataView(file.buffer, at).getUint32(8, true);
      frames.push(length);
      at += 16 + length;
    }
    expect(frames.length).toBe(4);
  });

  it('is readable by tshark, when it is installed', (context) => {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    } catch {
      return context.skip();
    }
    const path = join(mkdtempSync(join(tmpdir(), 'cotton-pcap-')), 'exchange.pcap');
    writeFileSync(path, captureExchange());
    const text = execFileSync(
      'tshark',
      ['-r', path, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'],
      { encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } },
    );
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ARP\tWho has 10\.0\.2\.2\? Tell 10\.0\.2\.15/);
    expect(lines[1]).toMatch(/^ARP\t10\.0\.2\.2 is at 52:55:0a:00:02:02/);
    expect(lines[2]).toMatch(/^ICMP\tEcho \(ping\) request/);
    expect(lines[3]).toMatch(/^ICMP\tEcho \(ping\) reply/);
  });
});
