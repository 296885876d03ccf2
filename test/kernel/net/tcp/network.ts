/**
 * A simulated network for the TCP tests: hosts (each a TcpTable) joined by
 * links with a latency and, if asked, seeded loss, duplication and
 * reordering. Every segment goes through the real wire format (emit, then
 * parse with the checksum), and time is the virtual clock the tables see.
 */
import { formatIpv4Address, type Ipv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  emitTcpSegment,
  parseTcpSegment,
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../../../../src/kernel/net/wire/tcp';
import type { OutgoingTcpSegment, TcpTable } from '../../../../src/kernel/net/tcp/tcp-table';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

/** An ISN source for a table, from a seeded generator. */
export function isnSource(random: () => number): () => number {
  return () => Math.floor(random() * 2 ** 32);
}

export interface LinkOptions {
  latencyMs?: number;
  loss?: number;
  duplication?: number;
  /** Probability that a segment is held back by up to `reorderDelayMs` extra. */
  reordering?: number;
  reorderDelayMs?: number;
  random?: () => number;
  /** Drop this segment? Called before the random fates; for tests that lose one segment. */
  drop?: (sent: SentSegment) => boolean;
}

export interface SentSegment {
  time: number;
  source: Ipv4Address;
  destination: Ipv4Address;
  segment: TcpSegment;
}

interface InFlight {
  deliverAt: number;
  order: number;
  source: Ipv4Address;
  destination: Ipv4Address;
  bytes: Uint8Array;
}

export function flagNames(flags: number): string {
  const names: [number, string][] = [
    [TCP_FLAG_SYN, 'SYN'],
    [TCP_FLAG_FIN, 'FIN'],
    [TCP_FLAG_RST, 'RST'],
    [TCP_FLAG_ACK, 'ACK'],
  ];
  return names
    .filter(([bit]) => flags & bit)
    .map(([, name]) => name)
    .join(',');
}

export class SimulatedNetwork {
  now = 0;
  /** Every segment any host sent, in order (before loss). */
  readonly sent: SentSegment[] = [];
  private readonly hosts = new Map<Ipv4Address, TcpTable>();
  private inFlight: InFlight[] = [];
  private order = 0;
  private readonly random: () => number;

  constructor(private readonly link: LinkOptions = {}) {
    this.random = link.random ?? uniformRandom(1);
  }

  addHost(address: Ipv4Address, table: TcpTable): void {
    this.hosts.set(address, table);
  }

  /** Put segments on the wire. */
  transmit(segments: OutgoingTcpSegment[]): void {
    for (const { source, destination, segment } of segments) {
      const sent = { time: this.now, source, destination, segment };
      this.sent.push(sent);
      if (this.link.drop?.(sent)) continue;
      if (this.random() < (this.link.loss ?? 0)) continue;
      const bytes = emitTcpSegment(segment, source, destination);
      const copies = this.random() < (this.link.duplication ?? 0) ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        let delay = this.link.latencyMs ?? 5;
        if (this.random() < (this.link.reordering ?? 0)) {
          delay += 1 + Math.floor(this.random() * (this.link.reorderDelayMs ?? 20));
        }
        this.inFlight.push({
          deliverAt: this.now + delay,
          order: this.order++,
          source,
          destination,
          bytes,
        });
      }
    }
  }

  /** Poll every host at the current time and transmit what they produce. */
  pump(): void {
    for (const table of this.hosts.values()) this.transmit(table.poll(this.now));
  }

  /**
   * Advance time event by event (deliveries and timers) until `done()`,
   * calling `application()` after each event so a test can read and write.
   */
  runUntil(done: () => boolean, limitMs = 600_000, application: () => void = () => {}): void {
    for (;;) {
      application();
      this.pump();
      if (done()) return;
      const next = this.nextEvent();
      if (next === null)
        throw new Error(`network idle at ${this.now} ms before the condition held`);
      if (next > limitMs)
        throw new Error(`condition not met by ${limitMs} ms (next event ${next})`);
      this.now = Math.max(this.now, next);
      this.deliverDue();
    }
  }

  /** Run for `ms` of virtual time. */
  runFor(ms: number, application: () => void = () => {}): void {
    const end = this.now + ms;
    for (;;) {
      application();
      this.pump();
      const next = this.nextEvent();
      if (next === null || next > end) {
        this.now = end;
        this.pump();
        return;
      }
      this.now = Math.max(this.now, next);
      this.deliverDue();
    }
  }

  /** A readable log of the segments sent, for failure messages. */
  trace(last = 40): string {
    return this.sent
      .slice(-last)
      .map(
        (s) =>
          `${s.time} ${formatIpv4Address(s.source)}:${s.segment.sourcePort} > ` +
          `${formatIpv4Address(s.destination)}:${s.segment.destinationPort} ` +
          `[${flagNames(s.segment.flags)}] seq ${s.segment.sequence} ack ${s.segment.acknowledgment} ` +
          `win ${s.segment.window} len ${s.segment.payload.length}`,
      )
      .join('\n');
  }

  private nextEvent(): number | null {
    let next: number | null = null;
    const consider = (time: number | null) => {
      if (time !== null && (next === null || time < next)) next = time;
    };
    for (const packet of this.inFlight) consider(packet.deliverAt);
    for (const table of this.hosts.values()) consider(table.nextDeadline());
    return next;
  }

  private deliverDue(): void {
    const due = this.inFlight
      .filter((packet) => packet.deliverAt <= this.now)
      .sort((a, b) => a.deliverAt - b.deliverAt || a.order - b.order);
    this.inFlight = this.inFlight.filter((packet) => packet.deliverAt > this.now);
    for (const packet of due) {
      const table = this.hosts.get(packet.destination);
      if (!table) continue;
      const segment = parseTcpSegment(packet.bytes, packet.source, packet.destination);
      this.transmit(table.input(packet.source, packet.destination, segment, this.now));
    }
  }
}
