import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestState } from '../../../src/emu/device-state';
import { buildDhcp } from '../../../src/emu/net/dhcp';
import { parseMac } from '../../../src/emu/net/ethernet';
import { buildIcmpEcho } from '../../../src/emu/net/icmp';
import { parseIpv4 } from '../../../src/emu/net/ipv4';
import { concat, GUEST_MAC, TestGuest } from './test-guest';

const TSHARK = '/usr/bin/tshark';

/** A guest's session: DHCP, a DNS query, a ping and UDP echo, then an HTTP GET over a link losing 5%. */
function session(): { pcap: Uint8Array; state: Uint8Array } {
  const guest = new TestGuest({ seed: 99 });
  const chunks: Uint8Array[] = [];
  guest.network.capture((bytes) => chunks.push(bytes), 1767258000);
  const broadcast = { source: parseIpv4('0.0.0.0'), mac: parseMac('ff:ff:ff:ff:ff:ff') };
  const dhcp = (type: number, extra: [number, Uint8Array][]) =>
    buildDhcp({
      op: 1,
      xid: 7,
      chaddr: GUEST_MAC,
      options: new Map([[53, Uint8Array.of(type)], ...extra]),
    });
  guest.sendUdp(parseIpv4('255.255.255.255'), 68, 67, dhcp(1, []), broadcast);
  guest.runFor(20);
  guest.sendUdp(
    parseIpv4('255.255.255.255'),
    68,
    67,
    dhcp(3, [
      [50, parseIpv4('10.0.2.15')],
      [54, parseIpv4('10.0.2.2')],
    ]),
    broadcast,
  );
  guest.runFor(20);
  const query = Uint8Array.from([
    0,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    3,
    119,
    119,
    119,
    7,
    ...new TextEncoder().encode('example'),
    3,
    99,
    111,
    109,
    0,
    0,
    1,
    0,
    1,
  ]);
  guest.sendUdp(parseIpv4('10.0.2.3'), 40001, 53, query);
  guest.sendIpv4(
    parseIpv4('93.184.215.14'),
    1,
    buildIcmpEcho({ type: 8, identifier: 1, sequence: 1, data: new Uint8Array(32) }),
  );
  guest.sendUdp(parseIpv4('203.0.113.7'), 40002, 7, new TextEncoder().encode('echo me'));
  guest.runFor(20);
  guest.network.setLinkConditions({ lossPercent: 5, reorderPercent: 5 });
  const client = guest.connect('93.184.215.14', 80);
  client.send('GET /large HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
  expect(guest.runUntil(() => client.peerFin)).toBe(true);
  client.close();
  expect(guest.runUntil(() => client.allAcknowledged)).toBe(true);
  guest.runFor(3000);
  return { pcap: concat(chunks), state: digestState(guest.network.saveState()) };
}

describe('a captured session', () => {
  it('is the same capture and the same network state every run', () => {
    const a = session();
    const b = session();
    expect(Buffer.from(a.pcap).equals(Buffer.from(b.pcap))).toBe(true);
    expect(a.state).toEqual(b.state);
  });

  it('opens in tshark with every protocol recognised, no malformed packet and no bad checksum', (context) => {
    if (!existsSync(TSHARK)) return context.skip('tshark is not installed at /usr/bin/tshark');
    const path = join(mkdtempSync(join(tmpdir(), 'cotton-net-')), 'session.pcap');
    writeFileSync(path, session().pcap);
    const env = { ...process.env, HOME: tmpdir() };
    const checks = ['ip', 'udp', 'tcp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]);
    const run = (filter: string, fields: string[]) =>
      execFileSync(
        TSHARK,
        ['-r', path, ...checks, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
        { encoding: 'utf8', env },
      );
    const bad = run(
      '_ws.malformed || _ws.expert.severity == "error" || ip.checksum.status == "Bad" || udp.checksum.status == "Bad" || tcp.checksum.status == "Bad" || icmp.checksum.status == "Bad"',
      ['frame.number', '_ws.col.Info'],
    );
    expect(bad.trim()).toBe('');
    const protocols = new Set(run('frame', ['_ws.col.Protocol']).trim().split('\n'));
    for (const protocol of ['DHCP', 'DNS', 'ICMP', 'TCP', 'HTTP', 'ECHO'])
      expect(protocols, [...protocols].join(',')).toContain(protocol);
    const dns = run('dns.flags.response == 1', ['dns.a', 'dns.cname']).trim();
    expect(dns).toBe('93.184.215.14\texample.com');
    const http = run('http.response', ['http.response.code', 'http.content_length']).trim();
    expect(http).toBe('200\t102400');
  });
});
