/** The ring of recent TCP segments behind `tcptrace` and the networking chapter's sequence figure. */
import { describe, expect, it } from 'vitest';
import {
  formatConnectionTrace,
  SEGMENT_TRACE_LENGTH,
  SegmentTrace,
} from '../../../../src/kernel/net/tcp/segment-trace';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_PSH,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../../../../src/kernel/net/wire/tcp';

const MACHINE = parseIpv4Address('10.0.2.15')!;
const SERVER = parseIpv4Address('93.184.215.14')!;
const CLIENT_ISN = 0xfffffff0; // wraps past 2^32 during the connection
const SERVER_ISN = 1000;

function segment(
  sent: boolean,
  flags: number,
  sequence: number,
  acknowledgment: number,
  length = 0,
  port = 49152,
): TcpSegment {
  return {
    sourcePort: sent ? port : 80,
    destinationPort: sent ? 80 : port,
    sequence: sequence >>> 0,
    acknowledgment: acknowledgment >>> 0,
    flags,
    window: 32768,
    urgentPointer: 0,
    options: {},
    payload: new Uint8Array(length),
  };
}

/** A fetch: handshake, a 40-byte request sent twice, a 100-byte answer, the server's FIN. */
function recordFetch(trace: SegmentTrace, start: number, port = 49152): void {
  const out = (s: TcpSegment, at: number) => trace.record(true, MACHINE, SERVER, s, at);
  const into = (s: TcpSegment, at: number) => trace.record(false, SERVER, MACHINE, s, at);
  out(segment(true, TCP_FLAG_SYN, CLIENT_ISN, 0, 0, port), start);
  into(
    segment(false, TCP_FLAG_SYN | TCP_FLAG_ACK, SERVER_ISN, CLIENT_ISN + 1, 0, port),
    start + 10,
  );
  out(segment(true, TCP_FLAG_ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 0, port), start + 10);
  out(
    segment(true, TCP_FLAG_PSH | TCP_FLAG_ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 40, port),
    start + 10,
  );
  out(
    segment(true, TCP_FLAG_PSH | TCP_FLAG_ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 40, port),
    start + 210,
  );
  into(
    segment(
      false,
      TCP_FLAG_ACK | TCP_FLAG_PSH | TCP_FLAG_FIN,
      SERVER_ISN + 1,
      CLIENT_ISN + 41,
      100,
      port,
    ),
    start + 220,
  );
}

describe('SegmentTrace', () => {
  it('has no connection before a SYN', () => {
    const trace = new SegmentTrace();
    expect(trace.lastConnection()).toBeNull();
    trace.record(true, MACHINE, SERVER, segment(true, TCP_FLAG_ACK, 5, 6), 0);
    expect(trace.lastConnection()).toBeNull();
  });

  it('counts sequence numbers from each side ISN, across the 32-bit wrap, and marks the resend', () => {
    const trace = new SegmentTrace();
    recordFetch(trace, 500);
    const connection = trace.lastConnection()!;
    expect(connection.local).toBe('10.0.2.15:49152');
    expect(connection.peer).toBe('93.184.215.14:80');
    expect(
      connection.segments.map((s) => [s.sent, s.sequence, s.acknowledgment, s.length, s.again]),
    ).toEqual([
      [true, 0, null, 0, false],
      [false, 0, 1, 0, false],
      [true, 1, 1, 0, false],
      [true, 1, 1, 40, false],
      [true, 1, 1, 40, true],
      [false, 1, 41, 100, false],
    ]);
    expect(connection.segments[5]!.flags).toEqual(['FIN', 'PSH', 'ACK']);
  });

  it('follows the connection of the last SYN and leaves the earlier one out', () => {
    const trace = new SegmentTrace();
    recordFetch(trace, 0, 49152);
    recordFetch(trace, 1000, 49153);
    const connection = trace.lastConnection()!;
    expect(connection.local).toBe('10.0.2.15:49153');
    expect(connection.segments).toHaveLength(6);
    expect(connection.segments[0]!.at).toBe(1000);
  });

  it('keeps only the last SEGMENT_TRACE_LENGTH segments', () => {
    const trace = new SegmentTrace();
    for (let i = 0; i < SEGMENT_TRACE_LENGTH + 10; i++) {
      trace.record(true, MACHINE, SERVER, segment(true, TCP_FLAG_ACK, i, 0), i);
    }
    expect(trace.segments).toHaveLength(SEGMENT_TRACE_LENGTH);
    expect(trace.segments[0]!.at).toBe(10);
  });

  it('prints one line per segment, times from the SYN, the resend marked', () => {
    const trace = new SegmentTrace();
    recordFetch(trace, 500);
    const lines = formatConnectionTrace(trace.lastConnection()!);
    expect(lines[0]).toBe(
      '10.0.2.15:49152 <-> 93.184.215.14:80: 6 segments, numbers from each ISN',
    );
    expect(lines).toHaveLength(8);
    expect(lines[2]).toMatch(/^ +0 +-> SYN +0 +- +32768 +0$/);
    expect(lines[6]).toMatch(/^ +210 +-> PSH,ACK +1 +1 +32768 +40 again$/);
    expect(lines[7]).toMatch(/^ +220 +<- FIN,PSH,ACK +1 +41 +32768 +100$/);
  });
});
