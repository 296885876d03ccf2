/**
 * A network interface: the kernel's view of one NIC and its IPv4 settings.
 *
 * Models Linux's `struct net_device` plus the address the `ip addr` command
 * shows, reduced to what a host with one Ethernet card needs (RFC 1122
 * §3.3.1, "Routing Outbound Datagrams", assumes exactly this: an address, a
 * subnet mask and a default gateway). DHCP fills the settings in at boot
 * (dhcp-client.ts); the shell's setip, setmask, setgw and setdns change them
 * by hand. The device underneath is anything that can send a frame: the
 * RTL8139 driver, or a test's loopback.
 */
import {
  formatIpv4Address,
  IPV4_UNSPECIFIED,
  type Ipv4Address,
  type MacAddress,
} from './wire/addresses';

/** What the stack needs from a network card's driver. */
export interface NetDevice {
  /** "eth0". */
  readonly name: string;
  readonly mac: MacAddress;
  /** Queue one Ethernet frame (without FCS) for sending; never blocks. */
  transmit(frame: Uint8Array): void;
}

export class NetInterface {
  address: Ipv4Address = IPV4_UNSPECIFIED;
  mask: Ipv4Address = IPV4_UNSPECIFIED;
  gateway: Ipv4Address = IPV4_UNSPECIFIED;
  dnsServer: Ipv4Address = IPV4_UNSPECIFIED;

  constructor(readonly device: NetDevice) {}

  get name(): string {
    return this.device.name;
  }

  get mac(): MacAddress {
    return this.device.mac;
  }

  /** Has the interface an address yet (from DHCP or setip)? */
  get configured(): boolean {
    return this.address !== IPV4_UNSPECIFIED;
  }

  /** Is `destination` on the directly attached subnet (reachable without the gateway)? */
  onLink(destination: Ipv4Address): boolean {
    return this.configured && ((destination ^ this.address) & this.mask) >>> 0 === 0;
  }

  /** The subnet's directed broadcast address (10.0.2.255 for 10.0.2.15/24). */
  get subnetBroadcast(): Ipv4Address {
    return (this.address | ~this.mask) >>> 0;
  }

  /** Drop every setting (a DHCP lease that expired, or a new one about to come). */
  unconfigure(): void {
    this.address = IPV4_UNSPECIFIED;
    this.mask = IPV4_UNSPECIFIED;
    this.gateway = IPV4_UNSPECIFIED;
    this.dnsServer = IPV4_UNSPECIFIED;
  }

  /** "10.0.2.15/255.255.255.0 gw 10.0.2.2 dns 10.0.2.3", for the boot log and `net`. */
  describe(): string {
    const show = (address: Ipv4Address) => formatIpv4Address(address);
    return `${show(this.address)} mask ${show(this.mask)} gw ${show(this.gateway)} dns ${show(this.dnsServer)}`;
  }
}
