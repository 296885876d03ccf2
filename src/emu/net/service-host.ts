/**
 * A simulated host that offers services, as a server machine does:
 *
 * - it answers pings on every address it serves (ICMP echo, RFC 1122
 *   §3.2.2.6: the reply carries the request's identifier, sequence number
 *   and data);
 * - a UDP datagram goes to the service bound to its destination address and
 *   port; one for a port nobody serves is answered with ICMP port
 *   unreachable (RFC 1122 §4.1.3.1), which is how a sender learns it;
 * - a TCP SYN to a listening port starts a connection (tcp-endpoint.ts),
 *   later segments find theirs by the four numbers that name it, and
 *   anything else is refused with a reset (RFC 9293 §3.10.7.1, "If the
 *   state is CLOSED").
 *
 * Binding a service to an address makes the host own that address: the
 * gateway serves the named hosts "behind" it this way, as QEMU's slirp does.
 */
import type { DeviceState } from '../device-state';
import type { EthernetFrame, MacAddress } from './ethernet';
import {
  buildIcmpDestinationUnreachable,
  buildIcmpEcho,
  ICMP_CODE_PORT_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  parseIcmpEcho,
} from './icmp';
import {
  formatIpv4,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  IPV4_LIMITED_BROADCAST,
  parseIpv4,
  sameIpv4,
  type Ipv4Address,
  type Ipv4Packet,
} from './ipv4';
import type { SeededRandom } from './seeded-random';
import { SimulatedHostBase } from './simulated-host';
import {
  buildTcp,
  parseTcp,
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from './tcp';
import { TcpEndpoint, type TcpService } from './tcp-endpoint';
import { buildUdp, parseUdp } from './udp';

/** A UDP datagram as a service sees it. */
export interface UdpRequest {
  readonly source: Ipv4Address;
  readonly sourcePort: number;
  readonly sourceMac: MacAddress;
  readonly destination: Ipv4Address;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/** A service's answer: to the request's source, from where it was sent, unless fields say otherwise. */
export interface UdpReply {
  readonly payload: Uint8Array;
  readonly source?: Ipv4Address;
  readonly destination?: Ipv4Address;
  readonly destinationMac?: MacAddress;
  readonly destinationPort?: number;
}

export interface UdpService {
  /** The answer to one datagram, or null for none. */
  receive(request: UdpRequest): UdpReply | null;
  saveState(): DeviceState;
}

const LIMITED_BROADCAST = parseIpv4(IPV4_LIMITED_BROADCAST);

function endpointKey(address: Ipv4Address, port: number): string {
  return `${formatIpv4(address)}:${port}`;
}

export class ServiceHost extends SimulatedHostBase {
  private readonly udpServices = new Map<string, UdpService>();
  private readonly tcpListeners = new Map<string, TcpService>();
  private readonly connections = new Map<string, TcpEndpoint>();
  echoRequestsAnswered = 0;
  portsUnreachable = 0;
  resetsSent = 0;

  constructor(
    name: string,
    mac: MacAddress,
    addresses: readonly Ipv4Address[],
    private readonly random: SeededRandom,
  ) {
    super(name, mac, addresses);
  }

  /** Serve UDP datagrams sent to `address`:`port`; bound to 255.255.255.255, the service hears broadcasts. */
  addUdpService(address: Ipv4Address, port: number, service: UdpService): void {
    this.udpServices.set(endpointKey(address, port), service);
    if (!sameIpv4(address, LIMITED_BROADCAST)) this.addAddress(address);
  }

  /** Accept TCP connections to `address`:`port`, each started with `service`. */
  addTcpService(address: Ipv4Address, port: number, service: TcpService): void {
    this.tcpListeners.set(endpointKey(address, port), service);
    this.addAddress(address);
  }

  override saveState(): DeviceState {
    const services = [...this.udpServices].sort(([a], [b]) => (a < b ? -1 : 1));
    const connections = [...this.connections].sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      ...super.saveState(),
      echoRequestsAnswered: this.echoRequestsAnswered,
      portsUnreachable: this.portsUnreachable,
      resetsSent: this.resetsSent,
      udp: services.map(([key, service]) => [key, service.saveState()]),
      tcp: connections.map(([key, connection]) => [key, connection.saveState()]),
    };
  }

  /** Datagrams for its addresses, and UDP broadcasts when a service listens for them. */
  protected override accepts(packet: Ipv4Packet): boolean {
    if (super.accepts(packet)) return true;
    if (packet.protocol !== IP_PROTOCOL_UDP || !sameIpv4(packet.destination, LIMITED_BROADCAST))
      return false;
    return [...this.udpServices.keys()].some((key) => key.startsWith(`${IPV4_LIMITED_BROADCAST}:`));
  }

  protected receiveIpv4(packet: Ipv4Packet, frame: EthernetFrame): void {
    if (packet.protocol === IP_PROTOCOL_ICMP) this.receiveIcmp(packet, frame);
    else if (packet.protocol === IP_PROTOCOL_UDP) this.receiveUdp(packet, frame);
    else if (packet.protocol === IP_PROTOCOL_TCP) this.receiveTcp(packet, frame);
  }

  private receiveIcmp(packet: Ipv4Packet, frame: EthernetFrame): void {
    const echo = parseIcmpEcho(packet.payload);
    if (!echo || echo.type !== ICMP_ECHO_REQUEST || !this.owns(packet.destination)) return;
    this.echoRequestsAnswered++;
    const reply = buildIcmpEcho({ ...echo, type: ICMP_ECHO_REPLY });
    this.sendIpv4(frame.source, packet.destination, packet.source, IP_PROTOCOL_ICMP, reply);
  }

  private receiveUdp(packet: Ipv4Packet, frame: EthernetFrame): void {
    const datagram = parseUdp(packet.payload, packet.source, packet.destination);
    if (!datagram) return;
    const service = this.udpServices.get(endpointKey(packet.destination, datagram.destinationPort));
    if (!service) return this.refuseUdp(packet, frame);
    const reply = service.receive({
      ...datagram,
      source: packet.source,
      sourceMac: frame.source,
      destination: packet.destination,
    });
    if (!reply) return;
    const source = reply.source ?? packet.destination;
    const destination = reply.destination ?? packet.source;
    const answer = {
      sourcePort: datagram.destinationPort,
      destinationPort: reply.destinationPort ?? datagram.sourcePort,
      payload: reply.payload,
    };
    this.sendIpv4(
      reply.destinationMac ?? frame.source,
      source,
      destination,
      IP_PROTOCOL_UDP,
      buildUdp(answer, source, destination),
    );
  }

  /** Port unreachable, unless the datagram was a broadcast (RFC 1122 §3.2.2: never answer those with ICMP errors). */
  private refuseUdp(packet: Ipv4Packet, frame: EthernetFrame): void {
    if (!this.owns(packet.destination)) return;
    this.portsUnreachable++;
    const message = buildIcmpDestinationUnreachable(ICMP_CODE_PORT_UNREACHABLE, frame.payload);
    this.sendIpv4(frame.source, packet.destination, packet.source, IP_PROTOCOL_ICMP, message);
  }

  private receiveTcp(packet: Ipv4Packet, frame: EthernetFrame): void {
    const segment = parseTcp(packet.payload, packet.source, packet.destination);
    if (!segment) return;
    const key = `${endpointKey(packet.destination, segment.destinationPort)}<${endpointKey(packet.source, segment.sourcePort)}`;
    const existing = this.connections.get(key);
    const isSyn = (segment.flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) === TCP_FLAG_SYN;
    if (existing && !(isSyn && existing.state === 'TIME-WAIT')) return existing.receive(segment);
    const listener = this.tcpListeners.get(
      endpointKey(packet.destination, segment.destinationPort),
    );
    const transmit = (reply: TcpSegment) =>
      this.sendIpv4(
        frame.source,
        packet.destination,
        packet.source,
        IP_PROTOCOL_TCP,
        buildTcp(reply, packet.destination, packet.source),
      );
    if (!listener || !isSyn) return this.refuseTcp(segment, transmit);
    const connection: TcpEndpoint = new TcpEndpoint({
      clock: this.clock!,
      id: {
        localAddress: packet.destination,
        localPort: segment.destinationPort,
        remoteAddress: packet.source,
        remotePort: segment.sourcePort,
      },
      syn: segment,
      initialSequence: this.random.nextUint32(),
      service: listener,
      transmit,
      forget: () => {
        if (this.connections.get(key) === connection) this.connections.delete(key);
      },
    });
    this.connections.set(key, connection);
  }

  /** The reset a closed port answers with (RFC 9293 §3.10.7.1); a reset is never answered. */
  private refuseTcp(segment: TcpSegment, transmit: (reply: TcpSegment) => void): void {
    if (segment.flags & TCP_FLAG_RST) return;
    this.resetsSent++;
    const length =
      segment.payload.length +
      (segment.flags & TCP_FLAG_SYN ? 1 : 0) +
      (segment.flags & TCP_FLAG_FIN ? 1 : 0);
    const base = {
      sourcePort: segment.destinationPort,
      destinationPort: segment.sourcePort,
      window: 0,
      maxSegmentSize: null,
      payload: new Uint8Array(0),
    };
    if (segment.flags & TCP_FLAG_ACK)
      transmit({
        ...base,
        sequence: segment.acknowledgment,
        acknowledgment: 0,
        flags: TCP_FLAG_RST,
      });
    else
      transmit({
        ...base,
        sequence: 0,
        acknowledgment: (segment.sequence + length) >>> 0,
        flags: TCP_FLAG_RST | TCP_FLAG_ACK,
      });
  }
}
