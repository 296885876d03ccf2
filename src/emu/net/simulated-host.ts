/**
 * Simulated hosts: the machines on the virtual network that are not the
 * Cotton PC (docs/architecture.md §2), in the style of QEMU's user-mode
 * networking: the gateway 10.0.2.2 with its DHCP server and the named hosts
 * behind it (gateway.ts), and the DNS server 10.0.2.3 (dns-server.ts). A
 * host plugs in this way:
 *
 *   1. implement `SimulatedHost`: a name, a MAC, the IPv4 addresses it owns,
 *      and `receiveFrame`, which sees every frame the switch delivers to it
 *      (broadcasts, floods, and frames for its MAC);
 *   2. `attach(link, clock)` hands it its link and the virtual clock, for
 *      replies and timers (never wall time, never Math.random: the network
 *      must be as deterministic as the rest of the machine; randomness comes
 *      from the network's seeded generator, seeded-random.ts);
 *   3. `saveState()` returns what it remembers between frames (counters,
 *      connections), so machine snapshots cover the network too;
 *   4. add it in `VirtualNetwork` (virtual-network.ts) with `addHost`.
 *
 * A host answers by building frames with the wire-format modules beside it
 * (ethernet.ts, arp.ts, ipv4.ts, icmp.ts, udp.ts, tcp.ts) and sending them
 * on its link; `SimulatedHostBase` answers ARP for its addresses so that
 * each new host only handles its own protocols, and `ServiceHost`
 * (service-host.ts) adds ping, UDP services and TCP listeners on top.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import { ARP_OP_REPLY, ARP_OP_REQUEST, buildArp, parseArp } from './arp';
import {
  buildEthernetFrame,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  parseEthernetFrame,
  sameMac,
  isMulticast,
  type EthernetFrame,
  type MacAddress,
} from './ethernet';
import type { EthernetEndpoint, EthernetLink } from './ethernet-switch';
import {
  buildIpv4Packet,
  parseIpv4Packet,
  sameIpv4,
  type Ipv4Address,
  type Ipv4Packet,
} from './ipv4';

export interface SimulatedHost extends EthernetEndpoint {
  readonly mac: MacAddress;
  /** The IPv4 addresses this host answers for. */
  readonly addresses: readonly Ipv4Address[];
  /** Called once, when the host is plugged into the switch. */
  attach(link: EthernetLink, clock: VirtualClock): void;
  /** What the host remembers that could change what it sends next (for machine snapshots). */
  saveState(): DeviceState;
}

/** A host with an Ethernet interface and IPv4: answers ARP, hands its IPv4 datagrams to `receiveIpv4`. */
export abstract class SimulatedHostBase implements SimulatedHost {
  protected link: EthernetLink | null = null;
  protected clock: VirtualClock | null = null;
  private nextIdentification = 1;
  private readonly ownAddresses: Ipv4Address[];

  constructor(
    readonly name: string,
    readonly mac: MacAddress,
    addresses: readonly Ipv4Address[],
  ) {
    this.ownAddresses = [...addresses];
  }

  get addresses(): readonly Ipv4Address[] {
    return this.ownAddresses;
  }

  /** Answer ARP and accept datagrams for one more address. */
  addAddress(address: Ipv4Address): void {
    if (!this.owns(address)) this.ownAddresses.push(address);
  }

  attach(link: EthernetLink, clock: VirtualClock): void {
    this.link = link;
    this.clock = clock;
  }

  saveState(): DeviceState {
    return { name: this.name, nextIdentification: this.nextIdentification };
  }

  receiveFrame(bytes: Uint8Array): void {
    const frame = parseEthernetFrame(bytes);
    if (!frame || !(sameMac(frame.destination, this.mac) || isMulticast(frame.destination))) return;
    if (frame.etherType === ETHERTYPE_ARP) this.answerArp(frame);
    else if (frame.etherType === ETHERTYPE_IPV4) {
      const packet = parseIpv4Packet(frame.payload);
      if (packet && this.accepts(packet)) this.receiveIpv4(packet, frame);
    }
  }

  /** An IPv4 datagram for one of this host's addresses. */
  protected abstract receiveIpv4(packet: Ipv4Packet, frame: EthernetFrame): void;

  protected owns(address: Ipv4Address): boolean {
    return this.ownAddresses.some((own) => sameIpv4(own, address));
  }

  /** Whether a datagram is for this host: sent to one of its addresses unless a subclass says more. */
  protected accepts(packet: Ipv4Packet): boolean {
    return this.owns(packet.destination);
  }

  /** Send an IPv4 datagram to `destinationMac` from `source` (one of this host's addresses). */
  protected sendIpv4(
    destinationMac: MacAddress,
    source: Ipv4Address,
    destination: Ipv4Address,
    protocol: number,
    payload: Uint8Array,
  ): void {
    const datagram = buildIpv4Packet({
      source,
      destination,
      protocol,
      identification: this.nextIdentification++ & 0xffff,
      payload,
    });
    this.link?.send(buildEthernetFrame(destinationMac, this.mac, ETHERTYPE_IPV4, datagram));
  }

  private answerArp(frame: EthernetFrame): void {
    const arp = parseArp(frame.payload);
    if (!arp || arp.operation !== ARP_OP_REQUEST || !this.owns(arp.targetIp)) return;
    const reply = buildArp({
      operation: ARP_OP_REPLY,
      senderMac: this.mac,
      senderIp: arp.targetIp,
      targetMac: arp.senderMac,
      targetIp: arp.senderIp,
    });
    this.link?.send(buildEthernetFrame(arp.senderMac, this.mac, ETHERTYPE_ARP, reply));
  }
}
