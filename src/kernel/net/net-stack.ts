/**
 * The network stack: Ethernet in and out, ARP, IPv4, and the dispatch to
 * ICMP, UDP and TCP. This is where a received frame climbs the layers and a
 * socket's data climbs down them.
 *
 *   receive: frame ─▶ Ethernet (RFC 894) ─┬▶ ARP (RFC 826)
 *                                          └▶ IPv4 (RFC 791) ─┬▶ ICMP (RFC 792)
 *                                                             ├▶ UDP (RFC 768) ─▶ socket
 *                                                             └▶ TCP (RFC 9293) ─▶ TcpTable
 *   send:    socket ─▶ IPv4 ─▶ routing (routing.ts) ─▶ ARP cache ─▶ Ethernet ─▶ NIC
 *
 * Receiving follows RFC 1122's rules for a host: a datagram not addressed
 * to this host is dropped, not forwarded (§3.3.1.5 is for routers);
 * fragments are refused - this stack does not reassemble (§3.3.2 would ask
 * for it; the book's network never fragments) - and counted; an echo
 * request is answered (§3.2.2.6); a UDP datagram for a port nobody holds
 * gets ICMP port unreachable (§4.1.3.1), unless it was a broadcast.
 *
 * Bad input never crashes the kernel. Every parser (wire/) throws a
 * MalformedPacket for bytes that break its format; the stack catches it,
 * counts it under the layer that refused it (`netstats`), and drops the
 * frame, as a real stack's per-protocol error counters do.
 *
 * The state lives in the pieces - the interface (net-interface.ts), the
 * ARP cache, the UDP ports, the ping table, TCP's table - and this file
 * only moves packets between them. It never blocks: the network thread
 * (net-thread.ts) feeds it frames and calls poll() for the timers, and
 * sockets call it to send. Time is the kernel's virtual milliseconds.
 */
import { SyscallError } from '../lib/errno';
import { WaitQueue } from '../sched/wait-queue';
import { ArpCache } from './arp-cache';
import { Loopback } from './loopback';
import type { NetDevice } from './net-interface';
import { NetInterface } from './net-interface';
import { PingTable } from './ping';
import { nextHop } from './routing';
import { TcpTable, type OutgoingTcpSegment } from './tcp/tcp-table';
import { UdpPorts } from './udp-ports';
import { BROADCAST_MAC, IPV4_BROADCAST, type Ipv4Address, type MacAddress } from './wire/addresses';
import {
  ARP_OPERATION_REPLY,
  ARP_OPERATION_REQUEST,
  emitArpPacket,
  parseArpPacket,
  type ArpPacket,
} from './wire/arp';
import {
  emitEthernetFrame,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  parseEthernetFrame,
} from './wire/ethernet';
import {
  emitIcmpMessage,
  ICMP_CODE_PORT_UNREACHABLE,
  ICMP_TYPE_DESTINATION_UNREACHABLE,
  ICMP_TYPE_ECHO_REPLY,
  ICMP_TYPE_ECHO_REQUEST,
  parseIcmpMessage,
} from './wire/icmp';
import {
  emitIpv4Packet,
  IPV4_MIN_HEADER_LENGTH,
  IPV4_PROTOCOL_ICMP,
  IPV4_PROTOCOL_TCP,
  IPV4_PROTOCOL_UDP,
  isFragment,
  parseIpv4Packet,
  type Ipv4Packet,
} from './wire/ipv4';
import { MalformedPacket } from './wire/malformed';
import { emitTcpSegment, parseTcpSegment } from './wire/tcp';
import { emitUdpDatagram, parseUdpDatagram } from './wire/udp';

/** What `netstats` shows: frames and packets each way, and every reason one was dropped. */
export interface NetCounters {
  framesReceived: number;
  framesSent: number;
  bytesReceived: number;
  bytesSent: number;
  arpRequestsSent: number;
  arpRepliesSent: number;
  ipv4Received: number;
  ipv4Sent: number;
  /** Datagrams addressed to another host. */
  ipv4NotForUs: number;
  fragmentsDropped: number;
  unknownEtherTypes: number;
  unknownProtocols: number;
  icmpEchoRepliesSent: number;
  udpReceived: number;
  udpSent: number;
  /** Datagrams for a port nobody holds. */
  udpNoPort: number;
  tcpSegmentsReceived: number;
  tcpSegmentsSent: number;
  /** Datagrams that could not be routed when a timer, not a caller, sent them. */
  unroutable: number;
  /** Frames refused by a parser, by the layer that refused them ("ipv4", "tcp", ...). */
  malformed: Record<string, number>;
}

/**
 * The receive window each TCP connection offers. Half the NIC's 64 KiB
 * receive ring: the virtual wire can deliver a whole window in one instant,
 * before the driver's interrupt runs, and the ring must hold all of it
 * (with each frame's header and padding) or frames are lost at the card.
 */
export const TCP_RECEIVE_BUFFER_SIZE = 32 * 1024;

export interface NetStackOptions {
  /** Virtual milliseconds (the scheduler's ticks). */
  readonly now: () => number;
  /** Virtual microseconds, for round-trip times finer than a tick. */
  readonly nowMicros: () => number;
  /** A fresh random 32-bit number (ISNs, ephemeral ports, DNS and DHCP IDs). */
  readonly random32: () => number;
}

export class NetStack {
  readonly interface: NetInterface;
  readonly arp = new ArpCache();
  readonly tcp: TcpTable;
  readonly udp: UdpPorts;
  readonly pings = new PingTable();
  /** Datagrams for our own address (loopback.ts): received by poll(), never put on the wire. */
  readonly loopback = new Loopback();
  readonly counters: NetCounters = {
    framesReceived: 0,
    framesSent: 0,
    bytesReceived: 0,
    bytesSent: 0,
    arpRequestsSent: 0,
    arpRepliesSent: 0,
    ipv4Received: 0,
    ipv4Sent: 0,
    ipv4NotForUs: 0,
    fragmentsDropped: 0,
    unknownEtherTypes: 0,
    unknownProtocols: 0,
    icmpEchoRepliesSent: 0,
    udpReceived: 0,
    udpSent: 0,
    udpNoPort: 0,
    tcpSegmentsReceived: 0,
    tcpSegmentsSent: 0,
    unroutable: 0,
    malformed: {},
  };
  /**
   * Woken whenever the network thread has handled frames or timers: every
   * blocked socket call waits here and then checks its own condition again
   * (one queue for all sockets keeps poll() over many sockets simple).
   */
  readonly activity = new WaitQueue();
  private readonly wakeups: number[] = [];
  private identification = 0;

  constructor(
    device: NetDevice,
    readonly options: NetStackOptions,
  ) {
    this.interface = new NetInterface(device);
    this.tcp = new TcpTable({
      nextIsn: options.random32,
      receiveBufferSize: TCP_RECEIVE_BUFFER_SIZE,
    });
    this.udp = new UdpPorts(options.random32());
  }

  now(): number {
    return this.options.now();
  }

  // ---- Receiving ----------------------------------------------------------

  /** A frame from the NIC: parse it layer by layer; whatever is malformed is counted and dropped. */
  receiveFrame(bytes: Uint8Array): void {
    this.counters.framesReceived++;
    this.counters.bytesReceived += bytes.length;
    try {
      const frame = parseEthernetFrame(bytes);
      if (frame.etherType === ETHERTYPE_ARP) this.receiveArp(parseArpPacket(frame.payload));
      else if (frame.etherType === ETHERTYPE_IPV4) this.receiveIpv4(frame.payload);
      else this.counters.unknownEtherTypes++;
    } catch (error) {
      if (!(error instanceof MalformedPacket)) throw error;
      this.counters.malformed[error.layer] = (this.counters.malformed[error.layer] ?? 0) + 1;
    }
  }

  /** RFC 826, "Packet Reception": merge the sender, answer a request for our address. */
  private receiveArp(packet: ArpPacket): void {
    const now = this.now();
    const forUs = this.interface.configured && packet.targetIp === this.interface.address;
    if (forUs || this.arp.knows(packet.senderIp)) {
      for (const datagram of this.arp.learn(packet.senderIp, packet.senderMac, now)) {
        this.sendFrame(packet.senderMac, ETHERTYPE_IPV4, datagram);
      }
    }
    if (forUs && packet.operation === ARP_OPERATION_REQUEST) {
      this.counters.arpRepliesSent++;
      this.sendArp(ARP_OPERATION_REPLY, packet.senderMac, packet.senderIp);
    }
  }

  private receiveIpv4(bytes: Uint8Array): void {
    const packet = parseIpv4Packet(bytes);
    this.counters.ipv4Received++;
    if (!this.isForUs(packet.destination)) {
      this.counters.ipv4NotForUs++;
      return;
    }
    if (isFragment(packet)) {
      this.counters.fragmentsDropped++;
      return;
    }
    if (packet.protocol === IPV4_PROTOCOL_ICMP) this.receiveIcmp(packet);
    else if (packet.protocol === IPV4_PROTOCOL_UDP) this.receiveUdp(packet, bytes);
    else if (packet.protocol === IPV4_PROTOCOL_TCP) this.receiveTcp(packet);
    else this.counters.unknownProtocols++;
  }

  /** Ours: our address, a broadcast, or anything at all while we have no address (DHCP). */
  private isForUs(destination: Ipv4Address): boolean {
    const iface = this.interface;
    return (
      !iface.configured ||
      destination === iface.address ||
      destination === IPV4_BROADCAST ||
      destination === iface.subnetBroadcast
    );
  }

  private receiveIcmp(packet: Ipv4Packet): void {
    const message = parseIcmpMessage(packet.payload);
    if (message.type === ICMP_TYPE_ECHO_REQUEST && packet.destination === this.interface.address) {
      this.counters.icmpEchoRepliesSent++;
      const reply = emitIcmpMessage({ ...message, type: ICMP_TYPE_ECHO_REPLY });
      this.sendQuietly(IPV4_PROTOCOL_ICMP, packet.source, reply);
    } else if (message.type === ICMP_TYPE_ECHO_REPLY) {
      this.pings.received(packet.source, packet.ttl, message, this.options.nowMicros());
    }
  }

  private receiveUdp(packet: Ipv4Packet, original: Uint8Array): void {
    const datagram = parseUdpDatagram(packet.payload, packet.source, packet.destination);
    this.counters.udpReceived++;
    const receiver = this.udp.receiverFor(datagram.destinationPort);
    if (receiver) {
      receiver.deliver({
        data: datagram.payload.slice(),
        address: packet.source,
        port: datagram.sourcePort,
      });
      return;
    }
    this.counters.udpNoPort++;
    if (packet.destination === this.interface.address) this.sendPortUnreachable(packet, original);
  }

  /** RFC 792: the IP header and the first 8 bytes of the datagram that found no port. */
  private sendPortUnreachable(packet: Ipv4Packet, original: Uint8Array): void {
    const quoted = original.subarray(0, IPV4_MIN_HEADER_LENGTH + 8);
    const message = emitIcmpMessage({
      type: ICMP_TYPE_DESTINATION_UNREACHABLE,
      code: ICMP_CODE_PORT_UNREACHABLE,
      originalDatagram: quoted,
    });
    this.sendQuietly(IPV4_PROTOCOL_ICMP, packet.source, message);
  }

  private receiveTcp(packet: Ipv4Packet): void {
    const segment = parseTcpSegment(packet.payload, packet.source, packet.destination);
    this.counters.tcpSegmentsReceived++;
    this.sendTcpSegments(this.tcp.input(packet.source, packet.destination, segment, this.now()));
  }

  // ---- Sending ------------------------------------------------------------

  /**
   * Send an IPv4 datagram to `destination` from this interface. Throws
   * SyscallError (ENETUNREACH, EHOSTUNREACH) when there is no route; a
   * next hop not yet in the ARP cache is resolved first, the datagram held.
   */
  sendIpv4(protocol: number, destination: Ipv4Address, payload: Uint8Array): void {
    const hop = nextHop(this.interface, destination);
    const datagram = emitIpv4Packet({
      protocol,
      source: this.interface.address,
      destination,
      payload,
      identification: this.nextIdentification(),
    });
    this.counters.ipv4Sent++;
    if (destination === this.interface.address) {
      this.loopback.send(datagram);
      return this.wakeThreadIfEarlier();
    }
    if (hop === null) return this.sendFrame(BROADCAST_MAC, ETHERTYPE_IPV4, datagram);
    const now = this.now();
    const mac = this.arp.lookup(hop, now);
    if (mac) return this.sendFrame(mac, ETHERTYPE_IPV4, datagram);
    if (this.arp.hold(hop, datagram, now)) this.sendArpRequest(hop);
  }

  /** UDP from `sourcePort` of this host. */
  sendUdp(
    sourcePort: number,
    destination: Ipv4Address,
    destinationPort: number,
    payload: Uint8Array,
  ): void {
    const datagram = emitUdpDatagram(
      { sourcePort, destinationPort, payload },
      this.interface.address,
      destination,
    );
    this.sendIpv4(IPV4_PROTOCOL_UDP, destination, datagram);
    this.counters.udpSent++;
  }

  /** An echo request for `ping`; the reply shows up in `pings`. */
  sendEchoRequest(
    destination: Ipv4Address,
    identifier: number,
    sequence: number,
    data: Uint8Array,
  ) {
    const request = emitIcmpMessage({
      type: ICMP_TYPE_ECHO_REQUEST,
      identifier,
      sequenceNumber: sequence,
      data,
    });
    this.pings.sent(identifier, sequence, this.options.nowMicros());
    this.sendIpv4(IPV4_PROTOCOL_ICMP, destination, request);
  }

  /** Send what TCP's connections have to send now (after any socket call). */
  flushTcp(): void {
    this.sendTcpSegments(this.tcp.poll(this.now()));
    this.wakeThreadIfEarlier();
  }

  private sendTcpSegments(segments: OutgoingTcpSegment[]): void {
    for (const { source, destination, segment } of segments) {
      this.counters.tcpSegmentsSent++;
      this.sendQuietly(
        IPV4_PROTOCOL_TCP,
        destination,
        emitTcpSegment(segment, source, destination),
      );
    }
  }

  /** Send what the stack itself decided to send: an unroutable destination is only counted. */
  private sendQuietly(protocol: number, destination: Ipv4Address, payload: Uint8Array): void {
    try {
      this.sendIpv4(protocol, destination, payload);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      this.counters.unroutable++;
    }
  }

  sendArpRequest(address: Ipv4Address): void {
    this.counters.arpRequestsSent++;
    this.sendArp(ARP_OPERATION_REQUEST, BROADCAST_MAC, address);
  }

  private sendArp(operation: number, targetMac: MacAddress, targetIp: Ipv4Address): void {
    const packet = emitArpPacket({
      operation: operation as ArpPacket['operation'],
      senderMac: this.interface.mac,
      senderIp: this.interface.address,
      targetMac: operation === ARP_OPERATION_REQUEST ? '00:00:00:00:00:00' : targetMac,
      targetIp,
    });
    this.sendFrame(targetMac, ETHERTYPE_ARP, packet);
  }

  private sendFrame(destination: MacAddress, etherType: number, payload: Uint8Array): void {
    const frame = emitEthernetFrame({
      destination,
      source: this.interface.mac,
      etherType,
      payload,
    });
    this.counters.framesSent++;
    this.counters.bytesSent += frame.length;
    this.interface.device.transmit(frame);
  }

  private nextIdentification(): number {
    this.identification = (this.identification + 1) & 0xffff;
    return this.identification;
  }

  // ---- Time ---------------------------------------------------------------

  /** Run what is due now: looped-back datagrams, ARP retries, TCP's timers, sockets' wake-ups. */
  poll(): void {
    const now = this.now();
    for (const datagram of this.loopback.take()) this.receiveIpv4(datagram);
    for (const address of this.arp.poll(now).requests) this.sendArpRequest(address);
    this.flushTcp();
    while (this.wakeups.length > 0 && this.wakeups[0]! <= now) this.wakeups.shift();
  }

  /** When poll() next has work to do, or null. */
  nextDeadline(): number | null {
    const deadlines = [
      this.loopback.nextDeadline(this.now()),
      this.arp.nextDeadline(),
      this.tcp.nextDeadline(),
      this.wakeups[0] ?? null,
    ];
    const pending = deadlines.filter((deadline): deadline is number => deadline !== null);
    return pending.length === 0 ? null : Math.min(...pending);
  }

  /**
   * Block until the network thread next reports activity, or until
   * `deadline` (virtual ms) passes: the one way socket calls and the
   * kernel's clients wait. Interrupted by a signal (EINTR) like any wait.
   */
  *waitForActivity(deadline: number | null = null): Generator<void, void, void> {
    if (deadline !== null) {
      if (deadline <= this.now()) return;
      const index = this.wakeups.findIndex((wakeup) => wakeup >= deadline);
      if (this.wakeups[index] !== deadline) {
        this.wakeups.splice(index < 0 ? this.wakeups.length : index, 0, deadline);
      }
      this.wakeThreadIfEarlier();
    }
    yield* this.activity.wait();
  }

  /**
   * The network thread sleeps until `threadSleepsUntil` (virtual ms; -Infinity
   * while it runs). A socket call that starts an earlier timer wakes it
   * through `wakeThread`, so that it sleeps again for the right time.
   */
  threadSleepsUntil = Number.NEGATIVE_INFINITY;
  wakeThread: (() => void) | null = null;

  private wakeThreadIfEarlier(): void {
    const deadline = this.nextDeadline();
    if (deadline !== null && deadline < this.threadSleepsUntil) this.wakeThread?.();
  }
}
