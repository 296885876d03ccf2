import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { TCP_FLAG_ACK, TCP_FLAG_SYN } from '../../../../src/kernel/net/wire/tcp';
import type { TcpConnection } from '../../../../src/kernel/net/tcp/tcp-connection';
import { TcpTable } from '../../../../src/kernel/net/tcp/tcp-table';
import { isnSource, SimulatedNetwork, type LinkOptions } from './network';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const CLIENT = parseIpv4Address('10.0.2.15')!;
const SERVER = parseIpv4Address('10.0.2.2')!;
const MIB = 1 << 20;

/** Byte equality without vitest's element-by-element diff, which takes minutes on a MiB. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(
    Buffer.from(b.buffer, b.byteOffset, b.length),
  );
}

function pattern(size: number, seed: number): Uint8Array {
  const random = uniformRandom(seed);
  return new Uint8Array(size).map(() => Math.floor(random() * 256));
}

/** Moves `data` into a connection as its send buffer takes it, and collects what it receives. */
class Endpoint {
  private sent = 0;
  private closed = false;
  private readonly chunks: Uint8Array[] = [];
  received = 0;

  constructor(
    readonly connection: TcpConnection,
    private readonly data: Uint8Array,
  ) {}

  step(): void {
    if (this.sent < this.data.length && this.connection.writable) {
      this.sent += this.connection.write(this.data.subarray(this.sent, this.sent + 8192));
    }
    if (this.sent === this.data.length && !this.closed) {
      this.connection.close();
      this.closed = true;
    }
    for (
      let chunk = this.connection.read(16384);
      chunk.length > 0;
      chunk = this.connection.read(16384)
    ) {
      this.chunks.push(chunk);
      this.received += chunk.length;
    }
  }

  receivedBytes(): Uint8Array {
    const all = new Uint8Array(this.received);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return all;
  }
}

/** Connect a client to a server over `link`, send `size` bytes each way, close both sides. */
function exchange(link: LinkOptions, size: number, seed: number) {
  const random = uniformRandom(seed);
  const net = new SimulatedNetwork({ random, ...link });
  const clientTable = new TcpTable({ nextIsn: isnSource(random) });
  const serverTable = new TcpTable({ nextIsn: isnSource(random) });
  net.addHost(CLIENT, clientTable);
  net.addHost(SERVER, serverTable);
  const listener = serverTable.listen(SERVER, 8080, 4);
  const clientData = pattern(size, seed + 1);
  const serverData = pattern(size, seed + 2);
  const client = new Endpoint(
    clientTable.connect(CLIENT, { address: SERVER, port: 8080 }),
    clientData,
  );
  // A holder, not a `let`: TypeScript cannot see the closures assign it.
  const accepted: { server: Endpoint | null } = { server: null };
  const application = () => {
    client.step();
    if (accepted.server === null) {
      const connection = serverTable.accept(listener);
      if (connection) accepted.server = new Endpoint(connection, serverData);
    }
    accepted.server?.step();
  };
  const done = () => {
    const server = accepted.server;
    return (
      server !== null &&
      client.connection.atEndOfStream &&
      server.connection.atEndOfStream &&
      client.connection.bytesUnacknowledged === 0 &&
      server.connection.bytesUnacknowledged === 0
    );
  };
  try {
    net.runUntil(done, 3_600_000, application);
  } catch (error) {
    // TCP_LINK_VERBOSE=1 shows where a failing run got stuck.
    if (process.env.TCP_LINK_VERBOSE) {
      console.log(client.connection.describe(), '\n', accepted.server?.connection.describe());
      console.log(net.trace(60));
    }
    throw error;
  }
  return { net, client, server: accepted.server!, clientData, serverData };
}

describe('TCP bulk transfer', () => {
  it('carries 1 MiB each way over a clean link with no retransmission', () => {
    const { client, server, clientData, serverData } = exchange({ latencyMs: 5 }, MIB, 11);
    expect(sameBytes(server.receivedBytes(), clientData)).toBe(true);
    expect(sameBytes(client.receivedBytes(), serverData)).toBe(true);
    expect(client.connection.counters.retransmits).toBe(0);
    expect(server.connection.counters.retransmits).toBe(0);
  });

  const seed = Number(process.env.TCP_LINK_SEED ?? 2024);
  it(`carries 1 MiB each way byte-identical over a link with 5% loss, duplication and reordering (seed ${seed})`, () => {
    const link = {
      latencyMs: 5,
      loss: 0.05,
      duplication: 0.05,
      reordering: 0.05,
      reorderDelayMs: 20,
    };
    const { net, client, server, clientData, serverData } = exchange(link, MIB, seed);
    const context = `seed ${seed}\n${client.connection.describe()}\n${server.connection.describe()}`;
    expect(server.received, context).toBe(MIB);
    expect(client.received, context).toBe(MIB);
    expect(sameBytes(server.receivedBytes(), clientData), context).toBe(true);
    expect(sameBytes(client.receivedBytes(), serverData), context).toBe(true);
    for (const { connection } of [client, server]) {
      expect(connection.counters.retransmits, context).toBeGreaterThan(0);
      expect(connection.counters.fastRetransmits, context).toBeGreaterThan(0);
      expect(connection.counters.outOfOrderKept, context).toBeGreaterThan(0);
      expect(connection.counters.duplicateAcks, context).toBeGreaterThan(0);
    }
    // Both ends finish the close: one in TIME-WAIT or CLOSED, the other CLOSED.
    net.runFor(10_000);
    expect(client.connection.state, context).toBe('CLOSED');
    expect(server.connection.state, context).toBe('CLOSED');
  });

  it('repairs one lost segment with a fast retransmit, not a timeout', () => {
    let dataSegments = 0;
    const drop: LinkOptions['drop'] = (sent) => {
      if (sent.source !== CLIENT || sent.segment.payload.length === 0) return false;
      dataSegments++;
      return dataSegments === 20;
    };
    const { client, server, clientData } = exchange({ latencyMs: 5, drop }, 200_000, 5);
    expect(sameBytes(server.receivedBytes(), clientData)).toBe(true);
    const counters = client.connection.counters;
    expect(counters.fastRetransmits).toBe(1);
    expect(counters.retransmits).toBe(1);
    expect(counters.timeouts).toBe(0);
    expect(counters.duplicateAcks).toBeGreaterThanOrEqual(3);
    expect(server.connection.counters.outOfOrderKept).toBeGreaterThanOrEqual(3);
  });
});

describe('TCP listener under a SYN flood', () => {
  it('keeps at most `backlog` half-open connections, and serves clients again once they expire', () => {
    const random = uniformRandom(99);
    const net = new SimulatedNetwork({ random });
    const serverTable = new TcpTable({ nextIsn: isnSource(random) });
    net.addHost(SERVER, serverTable);
    const listener = serverTable.listen(SERVER, 80, 16);
    let answers = 0;
    for (let i = 0; i < 10_000; i++) {
      // Forged sources: nobody will ever answer the SYN,ACK.
      const source = (parseIpv4Address('172.16.0.0')! + i) >>> 0;
      const syn = {
        sourcePort: 1024 + (i % 60000),
        destinationPort: 80,
        sequence: Math.floor(random() * 2 ** 32),
        acknowledgment: 0,
        flags: TCP_FLAG_SYN,
        window: 65535,
        urgentPointer: 0,
        options: { mss: 1460 },
        payload: new Uint8Array(0),
      };
      answers += serverTable.input(source, SERVER, syn, i).length;
    }
    net.now = 10_000;
    expect(listener.halfOpenCount).toBe(16);
    expect(serverTable.list().connections).toHaveLength(16);
    expect(answers).toBe(16);
    expect(listener.droppedSyns).toBe(10_000 - 16);

    // The half-open connections retransmit their SYN,ACKs, then give up.
    net.runFor(70_000);
    expect(listener.halfOpenCount).toBe(0);
    expect(serverTable.list().connections).toHaveLength(0);

    const clientTable = new TcpTable({ nextIsn: isnSource(random) });
    net.addHost(CLIENT, clientTable);
    const client = clientTable.connect(CLIENT, { address: SERVER, port: 80 });
    net.runUntil(() => listener.readyCount === 1, net.now + 1000);
    expect(client.state).toBe('ESTABLISHED');
    expect(net.sent.at(-1)!.segment.flags).toBe(TCP_FLAG_ACK);
  });
});
