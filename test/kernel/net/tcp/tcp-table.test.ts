import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { TCP_FLAG_ACK, TCP_FLAG_RST, TCP_FLAG_SYN } from '../../../../src/kernel/net/wire/tcp';
import { TcpSocketError } from '../../../../src/kernel/net/tcp/tcp-error';
import {
  EPHEMERAL_PORT_FIRST,
  EPHEMERAL_PORT_LAST,
  TcpTable,
} from '../../../../src/kernel/net/tcp/tcp-table';
import { TCP_MAX_BACKLOG } from '../../../../src/kernel/net/tcp/tcp-listener';
import { isnSource, SimulatedNetwork } from './network';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const CLIENT = parseIpv4Address('10.0.2.15')!;
const SERVER = parseIpv4Address('10.0.2.2')!;
const OTHER = parseIpv4Address('10.0.2.3')!;

function table(seed = 1): TcpTable {
  return new TcpTable({ nextIsn: isnSource(uniformRandom(seed)) });
}

describe('TcpTable', () => {
  it('gives each outgoing connection a different port in the dynamic range', () => {
    const tcp = table();
    const ports = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const connection = tcp.connect(CLIENT, { address: SERVER, port: 80 });
      expect(connection.local.port).toBeGreaterThanOrEqual(EPHEMERAL_PORT_FIRST);
      expect(connection.local.port).toBeLessThanOrEqual(EPHEMERAL_PORT_LAST);
      ports.add(connection.local.port);
    }
    expect(ports.size).toBe(200);
  });

  it('starts the port search at a point drawn from the random source', () => {
    const first = table(1).connect(CLIENT, { address: SERVER, port: 80 }).local.port;
    const second = table(2).connect(CLIENT, { address: SERVER, port: 80 }).local.port;
    expect(first).not.toBe(second);
  });

  it('refuses a second listener on a port, and bad ports', () => {
    const tcp = table();
    tcp.listen(0, 80, 4);
    expect(() => tcp.listen(SERVER, 80, 4)).toThrow(/EADDRINUSE/);
    expect(() => tcp.listen(SERVER, 0, 4)).toThrow(TcpSocketError);
    expect(() => tcp.listen(SERVER, 65536, 4)).toThrow(/EINVAL/);
    expect(() => tcp.connect(CLIENT, { address: SERVER, port: 0 })).toThrow(/EINVAL/);
  });

  it('caps the backlog at SOMAXCONN and raises a zero backlog to one', () => {
    const tcp = table();
    expect(tcp.listen(0, 80, 100_000).backlog).toBe(TCP_MAX_BACKLOG);
    expect(tcp.listen(0, 81, 0).backlog).toBe(1);
    expect(tcp.listen(SERVER, 82, 5).describe()).toMatch(
      /^LISTEN +0 +5 10\.0\.2\.2:82 +\*:\* +synq:0 dropped:0$/,
    );
  });

  it('sends a SYN for a port listened on at another address to the closed-port reset', () => {
    const tcp = table();
    tcp.listen(OTHER, 80, 4);
    const syn = {
      sourcePort: 50000,
      destinationPort: 80,
      sequence: 5,
      acknowledgment: 0,
      flags: TCP_FLAG_SYN,
      window: 100,
      urgentPointer: 0,
      options: {},
      payload: new Uint8Array(0),
    };
    const [answer] = tcp.input(CLIENT, SERVER, syn, 0);
    expect(answer!.segment.flags & TCP_FLAG_RST).toBeTruthy();
    expect(tcp.input(CLIENT, OTHER, syn, 0)[0]!.segment.flags).toBe(TCP_FLAG_SYN | TCP_FLAG_ACK);
  });

  it('demultiplexes by the full 4-tuple: two clients on one server port', () => {
    const random = uniformRandom(5);
    const net = new SimulatedNetwork({ random });
    const server = new TcpTable({ nextIsn: isnSource(random) });
    const clientA = new TcpTable({ nextIsn: isnSource(random) });
    const clientB = new TcpTable({ nextIsn: isnSource(random) });
    net.addHost(SERVER, server);
    net.addHost(CLIENT, clientA);
    net.addHost(OTHER, clientB);
    const listener = server.listen(0, 7, 4);
    const a = clientA.connect(CLIENT, { address: SERVER, port: 7 });
    const b = clientB.connect(OTHER, { address: SERVER, port: 7 });
    net.runUntil(() => listener.readyCount === 2);
    const accepted = [server.accept(listener)!, server.accept(listener)!];
    a.write(new TextEncoder().encode('from a'));
    b.write(new TextEncoder().encode('from b'));
    net.runUntil(() => accepted.every((c) => c.bytesToRead === 6));
    const byRemote = new Map(
      accepted.map((c) => [c.remote.address, new TextDecoder().decode(c.read(10))]),
    );
    expect(byRemote.get(CLIENT)).toBe('from a');
    expect(byRemote.get(OTHER)).toBe('from b');
    expect(server.list().connections).toHaveLength(2);
    expect(server.list().listeners).toEqual([listener]);
  });

  it('resets the connections nobody accepted when the listener closes', () => {
    const random = uniformRandom(8);
    const net = new SimulatedNetwork({ random });
    const server = new TcpTable({ nextIsn: isnSource(random) });
    const client = new TcpTable({ nextIsn: isnSource(random) });
    net.addHost(SERVER, server);
    net.addHost(CLIENT, client);
    const listener = server.listen(0, 7, 4);
    const connection = client.connect(CLIENT, { address: SERVER, port: 7 });
    net.runUntil(() => listener.readyCount === 1);
    server.unlisten(listener);
    net.runUntil(() => connection.closed);
    expect(connection.error).toBe('ECONNRESET');
    expect(server.list()).toEqual({ connections: [], listeners: [] });
    // The port is free again.
    expect(server.listen(0, 7, 4).port).toBe(7);
  });

  it('reports the earliest timer of all its connections', () => {
    const tcp = table();
    expect(tcp.nextDeadline()).toBeNull();
    tcp.connect(CLIENT, { address: SERVER, port: 80 });
    tcp.poll(100);
    expect(tcp.nextDeadline()).toBe(1100); // the SYN's retransmission timer: 1 s
  });
});
