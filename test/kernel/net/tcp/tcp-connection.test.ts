import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../../../../src/kernel/net/wire/tcp';
import {
  DELAYED_ACK_MS,
  MAX_RETRANSMISSIONS,
  MAX_SYN_RETRANSMISSIONS,
  TcpConnection,
  TIME_WAIT_MS,
  type TcpState,
} from '../../../../src/kernel/net/tcp/tcp-connection';
import { TcpSocketError } from '../../../../src/kernel/net/tcp/tcp-error';
import { TcpTable, type TcpTableOptions } from '../../../../src/kernel/net/tcp/tcp-table';
import { RTO_MAX_MS } from '../../../../src/kernel/net/tcp/rto';
import { isnSource, SimulatedNetwork, type LinkOptions } from './network';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const CLIENT = parseIpv4Address('10.0.2.15')!;
const SERVER = parseIpv4Address('10.0.2.2')!;
const PORT = 80;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function setup(link: LinkOptions = {}, options: Partial<TcpTableOptions> = {}) {
  const random = uniformRandom(42);
  const net = new SimulatedNetwork({ random, ...link });
  const clientTable = new TcpTable({ nextIsn: isnSource(random), ...options });
  const serverTable = new TcpTable({ nextIsn: isnSource(random), ...options });
  net.addHost(CLIENT, clientTable);
  net.addHost(SERVER, serverTable);
  return { net, clientTable, serverTable };
}

/** A client and a server connection, established. */
function establish(link: LinkOptions = {}, options: Partial<TcpTableOptions> = {}) {
  const { net, clientTable, serverTable } = setup(link, options);
  const listener = serverTable.listen(SERVER, PORT, 8);
  const client = clientTable.connect(CLIENT, { address: SERVER, port: PORT });
  let server: TcpConnection | null = null;
  net.runUntil(() => (server ??= serverTable.accept(listener)) !== null && !client.connecting);
  return { net, clientTable, serverTable, listener, client, server: server!, link };
}

/** Record the states a connection goes through while the network runs. */
function stateRecorder(connection: TcpConnection): { states: TcpState[]; record: () => void } {
  const states: TcpState[] = [connection.state];
  return {
    states,
    record: () => {
      if (states[states.length - 1] !== connection.state) states.push(connection.state);
    },
  };
}

function readAll(connection: TcpConnection): string {
  return decode(connection.read(1 << 20));
}

describe('TCP handshake', () => {
  it('opens with SYN, SYN-ACK, ACK, both sides announcing their MSS', () => {
    const { net, client, server } = establish();
    const [syn, synAck, ack] = net.sent.map((s) => s.segment);
    expect(syn!.flags).toBe(TCP_FLAG_SYN);
    expect(syn!.options.mss).toBe(1460);
    expect(synAck!.flags).toBe(TCP_FLAG_SYN | TCP_FLAG_ACK);
    expect(synAck!.options.mss).toBe(1460);
    expect(synAck!.acknowledgment).toBe((syn!.sequence + 1) >>> 0);
    expect(ack!.flags).toBe(TCP_FLAG_ACK);
    expect(ack!.sequence).toBe((syn!.sequence + 1) >>> 0);
    expect(ack!.acknowledgment).toBe((synAck!.sequence + 1) >>> 0);
    expect(client.state).toBe('ESTABLISHED');
    expect(server.state).toBe('ESTABLISHED');
    expect(client.local.port).toBeGreaterThanOrEqual(49152);
    expect(server.remote).toEqual(client.local);
    expect(client.writable && server.writable).toBe(true);
  });

  it('goes SYN-SENT -> ESTABLISHED on the client and SYN-RECEIVED -> ESTABLISHED on the server', () => {
    const { net, clientTable, serverTable } = setup();
    const listener = serverTable.listen(0, PORT, 4);
    expect(listener.state).toBe('LISTEN');
    const client = clientTable.connect(CLIENT, { address: SERVER, port: PORT });
    const clientStates = stateRecorder(client);
    net.runUntil(() => listener.halfOpenCount === 1);
    const [halfOpen] = serverTable.list().connections;
    expect(halfOpen!.state).toBe('SYN-RECEIVED');
    expect(serverTable.accept(listener)).toBeNull(); // not before the handshake completes
    net.runUntil(() => listener.readyCount === 1, 1000, clientStates.record);
    expect(clientStates.states).toEqual(['SYN-SENT', 'ESTABLISHED']);
    expect(serverTable.accept(listener)).toBe(halfOpen);
    expect(halfOpen!.state).toBe('ESTABLISHED');
  });

  it('completes a simultaneous open (SYN-SENT -> SYN-RECEIVED -> ESTABLISHED on both sides)', () => {
    const random = uniformRandom(7);
    const a = TcpConnection.connect({
      local: { address: CLIENT, port: 5000 },
      remote: { address: SERVER, port: 6000 },
      nextIsn: isnSource(random),
    });
    const b = TcpConnection.connect({
      local: { address: SERVER, port: 6000 },
      remote: { address: CLIENT, port: 5000 },
      nextIsn: isnSource(random),
    });
    const [synA] = a.poll(0);
    const [synB] = b.poll(0);
    a.receive(synB!, 1);
    b.receive(synA!, 1);
    expect([a.state, b.state]).toEqual(['SYN-RECEIVED', 'SYN-RECEIVED']);
    const [synAckA] = a.poll(1);
    const [synAckB] = b.poll(1);
    expect(synAckA!.flags).toBe(TCP_FLAG_SYN | TCP_FLAG_ACK);
    a.receive(synAckB!, 2);
    b.receive(synAckA!, 2);
    expect([a.state, b.state]).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    a.write(encode('ping'));
    for (const segment of a.poll(3)) b.receive(segment, 4);
    expect(decode(b.read(10))).toBe('ping');
  });

  it('is refused with ECONNREFUSED by a reset from a closed port', () => {
    const { net, clientTable } = setup();
    const client = clientTable.connect(CLIENT, { address: SERVER, port: 81 });
    net.runUntil(() => client.closed);
    expect(client.error).toBe('ECONNREFUSED');
    const reset = net.sent[1]!.segment;
    expect(reset.flags).toBe(TCP_FLAG_RST | TCP_FLAG_ACK);
    expect(reset.acknowledgment).toBe((net.sent[0]!.segment.sequence + 1) >>> 0);
    expect(() => client.write(encode('x'))).toThrow(TcpSocketError);
    expect(clientTable.list().connections).toHaveLength(0);
  });

  it('retransmits an unanswered SYN with exponential backoff, then fails with ETIMEDOUT', () => {
    const { net, clientTable } = setup();
    const nowhere = parseIpv4Address('10.0.2.99')!;
    const client = clientTable.connect(CLIENT, { address: nowhere, port: 80 });
    net.runUntil(() => client.closed);
    const times = net.sent.map((s) => s.time);
    expect(net.sent.every((s) => s.segment.flags === TCP_FLAG_SYN)).toBe(true);
    expect(times).toEqual([0, 1000, 3000, 7000, 15000, 31000]);
    expect(times).toHaveLength(1 + MAX_SYN_RETRANSMISSIONS);
    expect(net.now).toBe(63_000);
    expect(client.error).toBe('ETIMEDOUT');
    expect(client.counters.retransmits).toBe(MAX_SYN_RETRANSMISSIONS);
  });

  it('sends the SYN-ACK again when the handshake ACK is lost', () => {
    let dropped = false;
    const drop = (sent: { segment: TcpSegment }) => {
      const isHandshakeAck =
        sent.segment.flags === TCP_FLAG_ACK && sent.segment.payload.length === 0;
      if (!dropped && isHandshakeAck) return (dropped = true);
      return false;
    };
    const { serverTable, server, net } = establish({ drop });
    expect(dropped).toBe(true);
    expect(server.state).toBe('ESTABLISHED');
    expect(server.counters.retransmits).toBe(1);
    expect(serverTable.list().listeners[0]!.readyCount).toBe(0);
    expect(net.sent.filter((s) => s.segment.flags === (TCP_FLAG_SYN | TCP_FLAG_ACK))).toHaveLength(
      2,
    );
  });
});

describe('TCP data transfer', () => {
  it('carries data both ways', () => {
    const { net, client, server } = establish();
    expect(client.write(encode('GET / HTTP/1.0\r\n\r\n'))).toBe(18);
    net.runUntil(() => server.bytesToRead === 18);
    expect(readAll(server)).toBe('GET / HTTP/1.0\r\n\r\n');
    server.write(encode('HTTP/1.0 200 OK\r\n'));
    net.runUntil(() => client.readable);
    expect(readAll(client)).toBe('HTTP/1.0 200 OK\r\n');
    net.runUntil(() => client.bytesUnacknowledged === 0 && server.bytesUnacknowledged === 0);
  });

  it('delays the ACK of a lone segment by 40 ms, and acknowledges every second full segment at once', () => {
    const { net, client, server } = establish();
    const start = net.now;
    client.write(encode('x'));
    net.runUntil(() => client.bytesUnacknowledged === 0);
    const ack = net.sent.findLast((s) => s.source === SERVER)!;
    expect(ack.time - start).toBe(5 + DELAYED_ACK_MS);

    const before = net.sent.length;
    client.write(new Uint8Array(2 * 1460));
    net.runUntil(() => client.bytesUnacknowledged === 0);
    const acks = net.sent.slice(before).filter((s) => s.source === SERVER);
    expect(acks).toHaveLength(1);
    expect(acks[0]!.time - net.sent[before]!.time).toBe(5); // no delay
    expect(server.bytesToRead).toBe(2 * 1460 + 1);
  });

  it("holds a small segment while data is unacknowledged (Nagle's algorithm)", () => {
    const { net, client } = establish();
    client.write(encode('a'));
    net.pump();
    client.write(encode('b'));
    net.pump();
    const fromClient = () =>
      net.sent.filter((s) => s.source === CLIENT && s.segment.payload.length > 0);
    expect(fromClient()).toHaveLength(1);
    net.runUntil(() => client.bytesUnacknowledged === 0);
    expect(fromClient().map((s) => decode(s.segment.payload))).toEqual(['a', 'b']);
    expect(fromClient()[1]!.time).toBeGreaterThanOrEqual(fromClient()[0]!.time + 2 * 5);
  });

  it('sends small segments at once with Nagle off', () => {
    const { net, client } = establish({}, { nagle: false });
    client.write(encode('a'));
    net.pump();
    client.write(encode('b'));
    net.pump();
    expect(
      net.sent.filter((s) => s.source === CLIENT && s.segment.payload.length > 0),
    ).toHaveLength(2);
  });

  it('never sends beyond the window the peer offers, and probes a zero window until it opens', () => {
    const { net, client, server } = establish({}, { receiveBufferSize: 4096 });
    const data = new Uint8Array(20_000).map((_, i) => i * 7);
    expect(client.write(data)).toBe(20_000);
    net.runUntil(() => client.counters.zeroWindowProbes >= 3);
    expect(server.bytesToRead).toBe(4096);
    const sentData = net.sent.filter((s) => s.source === CLIENT && s.segment.payload.length > 0);
    expect(sentData.reduce((total, s) => total + s.segment.payload.length, 0)).toBe(4096);
    // Probes: empty segments one below SND.UNA, spaced by a backed-off interval.
    const probes = net.sent.filter(
      (s) =>
        s.source === CLIENT && s.segment.payload.length === 0 && s.time > sentData.at(-1)!.time,
    );
    const gaps = probes.slice(1).map((p, i) => p.time - probes[i]!.time);
    expect(gaps[1]).toBe(2 * gaps[0]!);
    const zeroWindowAcks = net.sent.filter((s) => s.source === SERVER && s.segment.window === 0);
    expect(zeroWindowAcks.length).toBeGreaterThanOrEqual(3);

    const received: number[] = [];
    net.runUntil(
      () => received.length === 20_000,
      net.now + 60_000,
      () => received.push(...server.read(1000)),
    );
    expect(received).toEqual([...data]);
    expect(client.counters.timeouts).toBe(0);
  });

  it('retransmits on timeout with a doubling RTO, then gives up with ETIMEDOUT', () => {
    let cut = false;
    const { net, client, server } = establish({ drop: () => cut });
    const rto = client.rto;
    cut = true;
    client.write(encode('lost'));
    net.runUntil(() => client.closed);
    const copies = net.sent.filter((s) => s.source === CLIENT && s.segment.payload.length === 4);
    expect(copies).toHaveLength(1 + MAX_RETRANSMISSIONS);
    const gaps = copies.slice(1).map((c, i) => c.time - copies[i]!.time);
    expect(gaps[0]).toBe(rto);
    for (let i = 1; i < gaps.length; i++) {
      expect(gaps[i]).toBe(Math.min(2 * gaps[i - 1]!, RTO_MAX_MS));
    }
    // The connection fails one backed-off RTO after the last retransmission.
    expect(net.now - copies.at(-1)!.time).toBe(Math.min(2 * gaps.at(-1)!, RTO_MAX_MS));
    expect(client.error).toBe('ETIMEDOUT');
    expect(client.counters.timeouts).toBe(MAX_RETRANSMISSIONS);
    expect(client.counters.retransmits).toBe(MAX_RETRANSMISSIONS);
    expect(server.state).toBe('ESTABLISHED');
  });
});

describe('TCP close', () => {
  it('closes from the client: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT / CLOSE-WAIT, LAST-ACK, CLOSED', () => {
    const { net, client, server, clientTable, serverTable } = establish();
    const clientStates = stateRecorder(client);
    const serverStates = stateRecorder(server);
    const record = () => {
      clientStates.record();
      serverStates.record();
    };
    client.write(encode('bye'));
    client.close();
    record();
    net.runUntil(() => server.state === 'CLOSE-WAIT', 10_000, record);
    expect(readAll(server)).toBe('bye');
    expect(server.atEndOfStream).toBe(true);
    net.runUntil(() => client.state === 'FIN-WAIT-2', 10_000, record);
    server.write(encode('last words'));
    server.close();
    net.runUntil(() => server.closed, 10_000, record);
    expect(readAll(client)).toBe('last words');
    expect(client.atEndOfStream).toBe(true);
    expect(clientStates.states).toEqual(['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT']);
    expect(serverStates.states).toEqual(['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    expect(server.error).toBeNull();
    expect(serverTable.list().connections).toHaveLength(0);
    expect(clientTable.list().connections).toEqual([client]);
    expect(() => client.write(encode('x'))).toThrow(/EPIPE/);
  });

  it('closes from the server side the same way', () => {
    const { net, client, server } = establish();
    server.close();
    net.runUntil(() => client.state === 'CLOSE-WAIT' && server.state === 'FIN-WAIT-2');
    expect(client.readable && client.atEndOfStream).toBe(true);
    client.close();
    expect(client.state).toBe('LAST-ACK');
    net.runUntil(() => client.closed);
    expect(server.state).toBe('TIME-WAIT');
  });

  it('leaves TIME-WAIT after 2 MSL, and not before', () => {
    const { net, client, server, clientTable } = establish();
    client.close();
    net.runUntil(() => server.state === 'CLOSE-WAIT');
    server.close();
    net.runUntil(() => client.state === 'TIME-WAIT');
    const entered = net.now;
    net.runFor(TIME_WAIT_MS - 1);
    expect(client.state).toBe('TIME-WAIT');
    expect(clientTable.list().connections).toHaveLength(1);
    net.runFor(1);
    expect(client.state).toBe('CLOSED');
    expect(net.now - entered).toBe(TIME_WAIT_MS);
    expect(clientTable.list().connections).toHaveLength(0);
    expect(client.error).toBeNull();
  });

  it('acknowledges a retransmitted FIN in TIME-WAIT and restarts the timer', () => {
    let dropLastAck = false;
    const { net, client, server } = establish({
      drop: (s) => dropLastAck && s.source === CLIENT && s.segment.flags === TCP_FLAG_ACK,
    });
    client.close();
    net.runUntil(() => server.state === 'CLOSE-WAIT');
    dropLastAck = true;
    server.close();
    net.runUntil(() => client.state === 'TIME-WAIT');
    dropLastAck = false;
    net.runUntil(() => server.closed);
    expect(server.counters.retransmits).toBe(1);
    expect(server.error).toBeNull();
    expect(client.state).toBe('TIME-WAIT');
  });

  it('handles a simultaneous close: FIN-WAIT-1, CLOSING, TIME-WAIT on both sides', () => {
    const { net, client, server } = establish();
    const clientStates = stateRecorder(client);
    const serverStates = stateRecorder(server);
    client.close();
    server.close();
    const record = () => {
      clientStates.record();
      serverStates.record();
    };
    record();
    net.runUntil(() => client.closed && server.closed, 60_000, record);
    record();
    const expected = ['ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED'];
    expect(clientStates.states).toEqual(expected);
    expect(serverStates.states).toEqual(expected);
  });

  it('reports ECONNRESET to the peer of an abort()', () => {
    const { net, client, server } = establish();
    server.abort();
    expect(server.closed).toBe(true);
    net.runUntil(() => client.closed);
    expect(client.error).toBe('ECONNRESET');
    expect(client.readable).toBe(true);
    expect(() => client.write(encode('x'))).toThrow(/ECONNRESET/);
  });

  it('closing while SYN-SENT drops the connection at once', () => {
    const { net, clientTable } = setup();
    const client = clientTable.connect(CLIENT, { address: SERVER, port: PORT });
    client.close();
    expect(client.closed).toBe(true);
    net.pump();
    expect(net.sent).toHaveLength(0);
    expect(clientTable.list().connections).toHaveLength(0);
  });
});

describe('TCP segment acceptability and resets (RFC 9293 §3.10.7.4, RFC 5961)', () => {
  /** The segment the client would send next, with changes; delivered to the server directly. */
  function forge(
    env: ReturnType<typeof establish>,
    changes: (template: TcpSegment) => Partial<TcpSegment>,
  ): void {
    const template = env.net.sent.findLast((s) => s.source === CLIENT)!.segment;
    const segment = { ...template, payload: new Uint8Array(0), ...changes(template) };
    env.net.transmit(env.serverTable.input(CLIENT, SERVER, segment, env.net.now));
  }

  function lastFromServer(env: ReturnType<typeof establish>): TcpSegment {
    return env.net.sent.findLast((s) => s.source === SERVER)!.segment;
  }

  it('answers a segment outside the window with an ACK and drops its data', () => {
    const env = establish();
    forge(env, (t) => ({ sequence: (t.sequence + 100_000) >>> 0, payload: encode('junk') }));
    expect(lastFromServer(env).flags).toBe(TCP_FLAG_ACK);
    forge(env, (t) => ({ sequence: (t.sequence - 10) >>> 0, payload: encode('old') }));
    expect(env.server.bytesToRead).toBe(0);
    env.net.runFor(100);
    expect(env.server.state).toBe('ESTABLISHED');
  });

  it('keeps data that overlaps the left edge of the window, trimmed', () => {
    const env = establish();
    env.client.write(encode('abc'));
    env.net.runUntil(() => env.server.bytesToRead === 3);
    // The last client segment carried 'abc': this one repeats it and adds 'def'.
    forge(env, () => ({ payload: encode('abcdef') }));
    expect(readAll(env.server)).toBe('abcdef');
  });

  it('keeps out-of-order data inside the window and delivers it once the gap fills', () => {
    const env = establish();
    forge(env, (t) => ({ sequence: (t.sequence + 3) >>> 0, payload: encode('def') }));
    forge(env, (t) => ({ sequence: (t.sequence + 9) >>> 0, payload: encode('jkl') }));
    forge(env, (t) => ({ sequence: (t.sequence + 6) >>> 0, payload: encode('ghi') }));
    // Beyond the 65535-byte window: not kept, whatever a peer sends.
    forge(env, (t) => ({ sequence: (t.sequence + 70_000) >>> 0, payload: encode('far') }));
    expect(env.server.counters.outOfOrderKept).toBe(3);
    expect(env.server.bytesToRead).toBe(0);
    const acks = env.net.sent.filter((s) => s.source === SERVER).slice(-4);
    expect(new Set(acks.map((s) => s.segment.acknowledgment)).size).toBe(1); // duplicate ACKs at once
    forge(env, () => ({ payload: encode('abc') }));
    expect(readAll(env.server)).toBe('abcdefghijkl');
  });

  it('answers a reset in the window but not at RCV.NXT with a challenge ACK', () => {
    const env = establish();
    forge(env, (t) => ({ sequence: (t.sequence + 100) >>> 0, flags: TCP_FLAG_RST }));
    expect(env.server.state).toBe('ESTABLISHED');
    expect(lastFromServer(env).flags).toBe(TCP_FLAG_ACK);
    forge(env, (t) => ({ flags: TCP_FLAG_RST }));
    expect(env.server.closed).toBe(true);
    expect(env.server.error).toBe('ECONNRESET');
  });

  it('answers a SYN on an established connection with a challenge ACK', () => {
    const env = establish();
    forge(env, (t) => ({ flags: TCP_FLAG_SYN, sequence: (t.sequence + 5) >>> 0 }));
    expect(env.server.state).toBe('ESTABLISHED');
    expect(lastFromServer(env).flags).toBe(TCP_FLAG_ACK);
  });

  it('answers an ACK of data never sent with an ACK, not a state change', () => {
    const env = establish();
    forge(env, (t) => ({ acknowledgment: (t.acknowledgment + 5000) >>> 0, payload: encode('zz') }));
    expect(env.server.bytesToRead).toBe(0);
    expect(lastFromServer(env).flags).toBe(TCP_FLAG_ACK);
  });

  it('resets segments to closed ports: <SEQ=SEG.ACK><CTL=RST> for an ACK', () => {
    const { serverTable } = setup();
    const stray: TcpSegment = {
      sourcePort: 50000,
      destinationPort: 22,
      sequence: 1000,
      acknowledgment: 777,
      flags: TCP_FLAG_ACK,
      window: 1000,
      urgentPointer: 0,
      options: {},
      payload: encode('hello'),
    };
    const [answer] = serverTable.input(CLIENT, SERVER, stray, 0);
    expect(answer!.source).toBe(SERVER);
    expect(answer!.destination).toBe(CLIENT);
    expect(answer!.segment).toMatchObject({
      sourcePort: 22,
      destinationPort: 50000,
      sequence: 777,
      flags: TCP_FLAG_RST,
    });
    const [finAnswer] = serverTable.input(CLIENT, SERVER, { ...stray, flags: TCP_FLAG_FIN }, 0);
    expect(finAnswer!.segment).toMatchObject({
      sequence: 0,
      acknowledgment: 1006,
      flags: TCP_FLAG_RST | TCP_FLAG_ACK,
    });
    expect(serverTable.input(CLIENT, SERVER, { ...stray, flags: TCP_FLAG_RST }, 0)).toEqual([]);
  });

  it('a listener resets an ACK that belongs to no connection', () => {
    const { serverTable } = setup();
    serverTable.listen(SERVER, PORT, 4);
    const [answer] = serverTable.input(
      CLIENT,
      SERVER,
      {
        sourcePort: 50000,
        destinationPort: PORT,
        sequence: 1,
        acknowledgment: 99,
        flags: TCP_FLAG_ACK,
        window: 1000,
        urgentPointer: 0,
        options: {},
        payload: new Uint8Array(0),
      },
      0,
    );
    expect(answer!.segment).toMatchObject({ sequence: 99, flags: TCP_FLAG_RST });
    expect(serverTable.list().connections).toHaveLength(0);
  });
});

describe('TCP describe()', () => {
  it('prints an ss-like line', () => {
    const { client } = establish();
    expect(client.describe()).toMatch(
      /^ESTABLISHED +0 +0 10\.0\.2\.15:\d+ +10\.0\.2\.2:80 +rto:\d+ cwnd:4380 ssthresh:65535 retrans:0 timeouts:0 fastretrans:0 dupacks:0 ooo:0 probes:0$/,
    );
  });
});
