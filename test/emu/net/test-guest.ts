/**
 * A stand-in for the guest in the virtual network's tests: frames built by
 * hand, and a minimal TCP client (go-back-N sending, in-order receiving,
 * retransmission every RETRANSMIT_MS), written independently of the host
 * side's TCP so that the tests check the two against each other.
 */
import { expect } from 'vitest';
import { VirtualClock } from '../../../src/emu/clock';
import {
  buildEthernetFrame,
  parseEthernetFrame,
  parseMac,
  sameMac,
} from '../../../src/emu/net/ethernet';
import type { EthernetLink } from '../../../src/emu/net/ethernet-switch';
import { parseIcmpEcho } from '../../../src/emu/net/icmp';
import {
  buildIpv4Packet,
  formatIpv4,
  parseIpv4,
  parseIpv4Packet,
  type Ipv4Address,
} from '../../../src/emu/net/ipv4';
import { buildTcp, parseTcp, type TcpSegment } from '../../../src/emu/net/tcp';
import { buildUdp, parseUdp } from '../../../src/emu/net/udp';
import { VirtualNetwork, type VirtualNetworkConfig } from '../../../src/emu/net/virtual-network';

export const GUEST_MAC = parseMac('52:54:00:12:34:56');
export const GATEWAY_MAC = parseMac('52:55:0a:00:02:02');
export const DNS_MAC = parseMac('52:55:0a:00:02:03');
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const FIN = 0x01;
const MSS = 1460;
const RETRANSMIT_MS = 300;
const CLIENT_WINDOW = 8 * MSS;

export interface ReceivedUdp {
  readonly destinationMac: Uint8Array;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

export interface ReceivedIcmp {
  readonly source: Ipv4Address;
  readonly bytes: Uint8Array;
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Byte-for-byte equality, fast for large buffers (vitest's deep equality walks them element by element). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, message = ''): void {
  expect(actual.length, message).toBe(expected.length);
  const first = actual.findIndex((byte, i) => byte !== expected[i]);
  expect(first, `${message} first differing byte`).toBe(-1);
}

export class TestGuest {
  readonly clock = new VirtualClock();
  readonly network: VirtualNetwork;
  readonly link: EthernetLink;
  ip = parseIpv4('10.0.2.15');
  readonly udp: ReceivedUdp[] = [];
  readonly icmp: ReceivedIcmp[] = [];
  readonly clients: TestTcpClient[] = [];
  /** TCP segments that matched no client. */
  readonly strayTcp: TcpSegment[] = [];
  private nextIdentification = 1;

  constructor(config: VirtualNetworkConfig = {}) {
    this.network = new VirtualNetwork(this.clock, config);
    this.link = this.network.connectNic({
      name: 'guest',
      receiveFrame: (frame) => this.receive(frame),
    });
  }

  /** The MAC a datagram for `destination` goes to: the DNS server's, or the gateway's. */
  macFor(destination: Ipv4Address): Uint8Array {
    return formatIpv4(destination) === '10.0.2.3' ? DNS_MAC : GATEWAY_MAC;
  }

  sendIpv4(
    destination: Ipv4Address,
    protocol: number,
    payload: Uint8Array,
    options: { source?: Ipv4Address; mac?: Uint8Array } = {},
  ): void {
    const source = options.source ?? this.ip;
    const packet = buildIpv4Packet({
      source,
      destination,
      protocol,
      identification: this.nextIdentification++,
      payload,
    });
    this.link.send(
      buildEthernetFrame(options.mac ?? this.macFor(destination), GUEST_MAC, 0x0800, packet),
    );
  }

  sendUdp(
    destination: Ipv4Address,
    sourcePort: number,
    destinationPort: number,
    payload: Uint8Array,
    options: { source?: Ipv4Address; mac?: Uint8Array } = {},
  ): void {
    const source = options.source ?? this.ip;
    this.sendIpv4(
      destination,
      17,
      buildUdp({ sourcePort, destinationPort, payload }, source, destination),
      options,
    );
  }

  /** Advance virtual time by `ms`, in 10 ms steps, letting clients retransmit. */
  runFor(ms: number): void {
    const end = this.clock.now + ms * 1_000_000;
    while (this.clock.now < end) {
      this.clock.advanceTo(Math.min(end, this.clock.now + 10_000_000));
      for (const client of this.clients) client.tick();
    }
  }

  /** Run until `done()` or `limitMs` of virtual time passed; returns whether done. */
  runUntil(done: () => boolean, limitMs = 600_000): boolean {
    const end = this.clock.now + limitMs * 1_000_000;
    while (!done() && this.clock.now < end) this.runFor(10);
    return done();
  }

  connect(
    destination: string,
    port: number,
    localPort = 40000 + this.clients.length,
  ): TestTcpClient {
    const client = new TestTcpClient(this, parseIpv4(destination), port, localPort);
    this.clients.push(client);
    client.open();
    return client;
  }

  private receive(bytes: Uint8Array): void {
    const frame = parseEthernetFrame(bytes);
    if (!frame || frame.etherType !== 0x0800) return;
    if (!sameMac(frame.destination, GUEST_MAC) && frame.destination[0] !== 0xff) return;
    const packet = parseIpv4Packet(frame.payload);
    if (!packet) throw new Error('the network sent a bad IPv4 datagram');
    if (packet.protocol === 1) {
      this.icmp.push({ source: packet.source, bytes: packet.payload.slice() });
    } else if (packet.protocol === 17) {
      const datagram = parseUdp(packet.payload, packet.source, packet.destination);
      if (!datagram) throw new Error('the network sent a UDP datagram with a bad checksum');
      this.udp.push({
        ...datagram,
        destinationMac: frame.destination,
        source: packet.source,
        destination: packet.destination,
        payload: datagram.payload.slice(),
      });
    } else if (packet.protocol === 6) {
      const segment = parseTcp(packet.payload, packet.source, packet.destination);
      if (!segment) throw new Error('the network sent a TCP segment with a bad checksum');
      const client = this.clients.find(
        (c) =>
          c.localPort === segment.destinationPort &&
          formatIpv4(c.remote) === formatIpv4(packet.source),
      );
      if (client) client.receive({ ...segment, payload: segment.payload.slice() });
      else this.strayTcp.push(segment);
    }
  }

  echoReplies(): number[] {
    return this.icmp.flatMap((m) => {
      const echo = parseIcmpEcho(m.bytes);
      return echo && echo.type === 0 ? [echo.sequence] : [];
    });
  }
}

export class TestTcpClient {
  state: 'SYN-SENT' | 'ESTABLISHED' | 'CLOSED' = 'SYN-SENT';
  reset = false;
  peerFin = false;
  readonly received: Uint8Array[] = [];
  bytesReceived = 0;
  private readonly iss = 0x10000000;
  private sndUna = this.iss;
  private sndNxt = this.iss;
  private sndMax = this.iss;
  private rcvNxt = 0;
  private peerWindow = 0;
  private outgoing: Uint8Array = new Uint8Array(0);
  private finQueued = false;
  private lastProgressNs = 0;
  segmentsSent = 0;

  constructor(
    private readonly guest: TestGuest,
    readonly remote: Ipv4Address,
    readonly remotePort: number,
    readonly localPort: number,
  ) {}

  get data(): Uint8Array {
    return concat(this.received);
  }

  get text(): string {
    return new TextDecoder().decode(this.data);
  }

  /** Everything sent (and the FIN, if closing) has been acknowledged. */
  get allAcknowledged(): boolean {
    return this.sndUna === this.iss + 1 + this.outgoing.length + (this.finQueued ? 1 : 0);
  }

  open(): void {
    this.lastProgressNs = this.guest.clock.now;
    this.emit(SYN, this.iss, new Uint8Array(0), MSS);
    this.sndNxt = this.sndMax = this.iss + 1;
  }

  send(text: string | Uint8Array): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    this.outgoing = concat([this.outgoing, bytes]);
    this.pump();
  }

  close(): void {
    this.finQueued = true;
    this.pump();
  }

  tick(): void {
    if (
      this.state === 'CLOSED' ||
      this.guest.clock.now - this.lastProgressNs < RETRANSMIT_MS * 1_000_000
    )
      return;
    if (this.sndUna === this.sndMax) return;
    this.lastProgressNs = this.guest.clock.now;
    if (this.state === 'SYN-SENT') return this.open();
    this.sndNxt = this.sndUna;
    this.pump();
  }

  receive(segment: TcpSegment): void {
    if (this.state === 'CLOSED') return;
    if (segment.flags & RST) {
      this.reset = true;
      this.state = 'CLOSED';
      return;
    }
    if (this.state === 'SYN-SENT') {
      if ((segment.flags & (SYN | ACK)) !== (SYN | ACK) || segment.acknowledgment !== this.iss + 1)
        return;
      this.state = 'ESTABLISHED';
      this.rcvNxt = (segment.sequence + 1) >>> 0;
      this.sndUna = this.iss + 1;
      this.peerWindow = segment.window;
      this.lastProgressNs = this.guest.clock.now;
      this.emit(ACK, this.sndNxt);
      return this.pump();
    }
    if (
      segment.flags & ACK &&
      segment.acknowledgment > this.sndUna &&
      segment.acknowledgment <= this.sndMax
    ) {
      this.sndUna = segment.acknowledgment;
      if (this.sndNxt < this.sndUna) this.sndNxt = this.sndUna;
      this.lastProgressNs = this.guest.clock.now;
    }
    this.peerWindow = segment.window;
    const length = segment.payload.length + (segment.flags & FIN ? 1 : 0);
    if (segment.sequence === this.rcvNxt && length > 0) {
      if (segment.payload.length > 0) this.received.push(segment.payload);
      this.bytesReceived += segment.payload.length;
      this.rcvNxt = (this.rcvNxt + length) >>> 0;
      if (segment.flags & FIN) this.peerFin = true;
      this.emit(ACK, this.sndNxt);
    } else if (length > 0 || segment.flags & SYN) {
      this.emit(ACK, this.sndNxt);
    }
    this.pump();
  }

  private pump(): void {
    if (this.state !== 'ESTABLISHED') return;
    const dataEnd = this.iss + 1 + this.outgoing.length;
    while (
      this.sndNxt < dataEnd &&
      this.sndNxt < this.sndUna + Math.min(this.peerWindow, CLIENT_WINDOW)
    ) {
      const from = this.sndNxt - this.iss - 1;
      const count = Math.min(
        MSS,
        dataEnd - this.sndNxt,
        this.sndUna + this.peerWindow - this.sndNxt,
      );
      this.emit(ACK, this.sndNxt, this.outgoing.subarray(from, from + count));
      this.sndNxt += count;
    }
    if (this.finQueued && this.sndNxt === dataEnd) {
      this.emit(FIN | ACK, this.sndNxt);
      this.sndNxt++;
    }
    if (this.sndNxt > this.sndMax) this.sndMax = this.sndNxt;
  }

  private emit(
    flags: number,
    sequence: number,
    payload: Uint8Array = new Uint8Array(0),
    mss: number | null = null,
  ): void {
    this.segmentsSent++;
    const segment = {
      sourcePort: this.localPort,
      destinationPort: this.remotePort,
      sequence: sequence >>> 0,
      acknowledgment: flags & ACK ? this.rcvNxt : 0,
      flags,
      window: 65535,
      maxSegmentSize: mss,
      payload,
    };
    this.guest.sendIpv4(this.remote, 6, buildTcp(segment, this.guest.ip, this.remote));
  }
}
