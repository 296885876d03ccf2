/**
 * The last TCP segments the connection table sent and received, in a small
 * ring: what `tcptrace` prints and what the networking chapter draws as a
 * sequence diagram of the reader's own last connection.
 *
 * A packet capture (tcpdump, the book's pcap) keeps every frame on the
 * wire; this keeps only the TCP header fields of the last
 * SEGMENT_TRACE_LENGTH segments, at the table (tcp-table.ts), where both
 * directions pass with their addresses and the time. Recording a segment is
 * a few field copies, and the oldest entry falls out when the ring is full,
 * so tracing costs the same however long the machine runs.
 *
 * Sequence and acknowledgment numbers are shown as Wireshark shows them,
 * relative to each side's initial sequence number (RFC 9293 §3.4.1): the
 * ISN is a random 32-bit number, the offsets from it are what a reader can
 * follow (SYN is 0, the first data byte 1).
 */
import { formatIpv4Address, type Ipv4Address } from '../wire/addresses';
import {
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_PSH,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../wire/tcp';

/** How many segments the ring keeps: a short connection, handshake to TIME-WAIT. */
export const SEGMENT_TRACE_LENGTH = 64;

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [TCP_FLAG_SYN, 'SYN'],
  [TCP_FLAG_FIN, 'FIN'],
  [TCP_FLAG_RST, 'RST'],
  [TCP_FLAG_PSH, 'PSH'],
  [TCP_FLAG_ACK, 'ACK'],
];

/** One segment as the table saw it; `from` and `to` are "address:port". */
export interface TracedSegment {
  /** Virtual milliseconds since boot. */
  readonly at: number;
  readonly sent: boolean;
  readonly from: string;
  readonly to: string;
  /** Flag names, SYN FIN RST PSH ACK order. */
  readonly flags: readonly string[];
  readonly sequence: number;
  readonly acknowledgment: number;
  readonly window: number;
  /** Payload bytes. */
  readonly length: number;
}

/** A segment of the last connection, its numbers relative to each side's ISN. */
export interface ConnectionSegment {
  readonly at: number;
  readonly sent: boolean;
  readonly flags: readonly string[];
  readonly sequence: number;
  /** Null when the segment has no ACK flag. */
  readonly acknowledgment: number | null;
  readonly window: number;
  readonly length: number;
  /** It carries sequence space this side had sent before: a retransmission. */
  readonly again: boolean;
}

/** The segments of the connection the last SYN in the ring opened (or tried to). */
export interface ConnectionTrace {
  /** "address:port" of the kernel's end and of the peer. */
  readonly local: string;
  readonly peer: string;
  readonly segments: readonly ConnectionSegment[];
}

/** A SYN without ACK: the first segment of a connection. */
function isOpeningSyn(segment: TracedSegment): boolean {
  return segment.flags.includes('SYN') && !segment.flags.includes('ACK');
}

function flagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
}

export class SegmentTrace {
  private readonly ring: TracedSegment[] = [];

  /** Note a segment the table sent (`sent`) or received, at `now`. */
  record(
    sent: boolean,
    source: Ipv4Address,
    destination: Ipv4Address,
    segment: TcpSegment,
    now: number,
  ): void {
    this.ring.push({
      at: now,
      sent,
      from: `${formatIpv4Address(source)}:${segment.sourcePort}`,
      to: `${formatIpv4Address(destination)}:${segment.destinationPort}`,
      flags: flagNames(segment.flags),
      sequence: segment.sequence,
      acknowledgment: segment.acknowledgment,
      window: segment.window,
      length: segment.payload.length,
    });
    if (this.ring.length > SEGMENT_TRACE_LENGTH) this.ring.shift();
  }

  /** The segments kept, oldest first. */
  get segments(): readonly TracedSegment[] {
    return this.ring;
  }

  /** The last connection's segments with relative numbers, or null if no SYN is in the ring. */
  lastConnection(): ConnectionTrace | null {
    let start = this.ring.length - 1;
    while (start >= 0 && !isOpeningSyn(this.ring[start]!)) start--;
    const syn = this.ring[start];
    if (!syn) return null;
    const local = syn.sent ? syn.from : syn.to;
    const peer = syn.sent ? syn.to : syn.from;
    const own = this.ring
      .slice(start)
      .filter((s) => (s.from === local && s.to === peer) || (s.from === peer && s.to === local));
    return { local, peer, segments: relativeSegments(own, local) };
  }
}

/** Numbers relative to each side's ISN (the sequence number of its SYN), retransmissions marked. */
function relativeSegments(segments: readonly TracedSegment[], local: string): ConnectionSegment[] {
  const isn = new Map<string, number>();
  const sentEnd = new Map<string, number>();
  for (const s of segments)
    if (s.flags.includes('SYN') && !isn.has(s.from)) isn.set(s.from, s.sequence);
  return segments.map((s) => {
    const other = s.from === local ? s.to : local;
    const relative = (value: number, side: string) => (value - (isn.get(side) ?? value)) >>> 0;
    const sequence = relative(s.sequence, s.from);
    const spans = s.length + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
    const end = sentEnd.get(s.from) ?? 0;
    const again = spans > 0 && sequence + spans <= end;
    sentEnd.set(s.from, Math.max(end, sequence + spans));
    return {
      at: s.at,
      sent: s.sent,
      flags: s.flags,
      sequence,
      acknowledgment: s.flags.includes('ACK') ? relative(s.acknowledgment, other) : null,
      window: s.window,
      length: s.length,
      again,
    };
  });
}

/** `tcptrace`: the last connection, one line per segment, times from its first. */
export function formatConnectionTrace(trace: ConnectionTrace): string[] {
  const first = trace.segments[0]?.at ?? 0;
  const lines = [
    `${trace.local} <-> ${trace.peer}: ${trace.segments.length} segments, numbers from each ISN`,
    `${'ms'.padStart(8)}    ${'flags'.padEnd(12)} ${'seq'.padStart(8)} ${'ack'.padStart(8)} ${'win'.padStart(6)} ${'len'.padStart(5)}`,
  ];
  for (const s of trace.segments) {
    const ack = s.acknowledgment === null ? '-' : String(s.acknowledgment);
    lines.push(
      [
        (s.at - first).toFixed(0).padStart(8),
        s.sent ? '->' : '<-',
        s.flags.join(',').padEnd(12),
        String(s.sequence).padStart(8),
        ack.padStart(8),
        String(s.window).padStart(6),
        String(s.length).padStart(5),
        s.again ? 'again' : '',
      ]
        .join(' ')
        .trimEnd(),
    );
  }
  return lines;
}
