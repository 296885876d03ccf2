import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/emu/clock';
import { parseIpv4 } from '../../../src/emu/net/ipv4';
import type { TcpSegment } from '../../../src/emu/net/tcp';
import { TCP_INITIAL_RTO_NS, TcpEndpoint, type TcpSocket } from '../../../src/emu/net/tcp-endpoint';

const PEER_ISS = 5000;
const base = {
  sourcePort: 40000,
  destinationPort: 7,
  acknowledgment: 0,
  window: 1000,
  maxSegmentSize: 1460,
  payload: new Uint8Array(0),
};

/** An endpoint opened by a SYN, its service recording what it is given, and the segments it sends. */
function open(window: number) {
  const clock = new VirtualClock();
  const sent: TcpSegment[] = [];
  const delivered: number[][] = [];
  let socket: TcpSocket | null = null;
  const endpoint = new TcpEndpoint({
    clock,
    id: {
      localAddress: parseIpv4('203.0.113.7'),
      localPort: 7,
      remoteAddress: parseIpv4('10.0.2.15'),
      remotePort: 40000,
    },
    syn: { ...base, sequence: PEER_ISS, flags: 0x02, window },
    initialSequence: 1000,
    service: (s) => {
      socket = s;
      return {
        data: (bytes) => delivered.push([...bytes]),
        end() {},
        close() {},
        saveState: () => ({}),
      };
    },
    transmit: (segment) => sent.push(segment),
    forget() {},
  });
  expect(sent[0]).toMatchObject({ flags: 0x12, sequence: 1000, acknowledgment: PEER_ISS + 1 });
  const ack = (fields: Partial<TcpSegment>) =>
    endpoint.receive({
      ...base,
      sequence: PEER_ISS + 1,
      acknowledgment: 1001,
      flags: 0x10,
      window,
      maxSegmentSize: null,
      ...fields,
    });
  ack({});
  expect(endpoint.state).toBe('ESTABLISHED');
  return { clock, sent, delivered, endpoint, ack, socket: socket! };
}

describe('host-side TCP endpoint', () => {
  it('waits on a zero window and probes it with one byte when the timer fires', () => {
    const { clock, sent, ack, socket } = open(0);
    socket.send(Uint8Array.of(1, 2, 3, 4, 5));
    expect(sent).toHaveLength(1); // the SYN-ACK only
    clock.advanceTo(TCP_INITIAL_RTO_NS);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ sequence: 1001, payload: Uint8Array.of(1) });
    ack({ acknowledgment: 1002, window: 100 });
    expect(sent.at(-1)).toMatchObject({ sequence: 1002, payload: Uint8Array.of(2, 3, 4, 5) });
  });

  it('drops an out-of-order segment and acknowledges RCV.NXT again; takes the in-order one', () => {
    const { sent, delivered, ack } = open(1000);
    ack({ sequence: PEER_ISS + 11, payload: Uint8Array.of(9) });
    expect(delivered).toEqual([]);
    expect(sent.at(-1)).toMatchObject({ flags: 0x10, acknowledgment: PEER_ISS + 1 });
    ack({ payload: Uint8Array.of(7, 8) });
    expect(delivered).toEqual([[7, 8]]);
    expect(sent.at(-1)).toMatchObject({ acknowledgment: PEER_ISS + 3 });
    ack({ sequence: PEER_ISS + 2, payload: Uint8Array.of(8, 6) }); // overlaps: only the new byte counts
    expect(delivered).toEqual([[7, 8], [6]]);
  });

  it('retransmits the first unacknowledged segment on the third duplicate ACK', () => {
    const { sent, ack, socket } = open(60000);
    socket.send(new Uint8Array(1460 * 4));
    expect(sent).toHaveLength(5);
    for (let i = 0; i < 3; i++) ack({ window: 60000 });
    expect(sent).toHaveLength(6);
    expect(sent[5]).toMatchObject({ sequence: 1001 });
    expect(sent[5]!.payload.length).toBe(1460);
  });

  it('goes through FIN-WAIT and TIME-WAIT to CLOSED when it closes first', () => {
    const { clock, sent, ack, socket, endpoint } = open(1000);
    socket.end();
    expect(sent.at(-1)).toMatchObject({ flags: 0x11, sequence: 1001 });
    expect(endpoint.state).toBe('FIN-WAIT-1');
    ack({ acknowledgment: 1002 });
    expect(endpoint.state).toBe('FIN-WAIT-2');
    ack({ acknowledgment: 1002, flags: 0x11 });
    expect(endpoint.state).toBe('TIME-WAIT');
    expect(sent.at(-1)).toMatchObject({ flags: 0x10, acknowledgment: PEER_ISS + 2 });
    clock.advanceTo(clock.now + 2_000_000_000);
    expect(endpoint.state).toBe('CLOSED');
  });

  it('closes on a RST in the window and ignores one outside it', () => {
    const { ack, endpoint } = open(1000);
    ack({ sequence: PEER_ISS + 100_000, flags: 0x04 });
    expect(endpoint.state).toBe('ESTABLISHED');
    ack({ flags: 0x04 });
    expect(endpoint.state).toBe('CLOSED');
  });
});
