/**
 * The DHCP server of the virtual network (RFC 2131 §4.3, the server's
 * side), answering as QEMU's user networking does: addresses from
 * 10.0.2.15 up, the gateway 10.0.2.2 as router and server identifier, DNS
 * at 10.0.2.3, a one-hour lease with renewal (T1) at half and rebinding
 * (T2) at seven eighths of it (RFC 2131 §4.4.5).
 *
 * - DISCOVER → OFFER of the client's previous address if it is still free,
 *   else the address it asks for if free, else the first free one; the
 *   offer is held for OFFER_HOLD_SECONDS (§4.3.1).
 * - REQUEST (§4.3.2) in its three forms: after an offer (names our server
 *   identifier; ACK if it asks for what we offered, silence if it chose
 *   another server); INIT-REBOOT (asks for an address without a server
 *   identifier: ACK if the address is free or already its own, else NAK);
 *   RENEWING/REBINDING (ciaddr filled in: ACK and extend, or NAK if the
 *   address is someone else's).
 * - DECLINE marks an address as in use elsewhere; RELEASE frees a lease;
 *   INFORM gets the configuration options without an address (§4.3.5).
 *
 * Replies go where §4.1 says: NAKs broadcast; to ciaddr when the client
 * has one; broadcast when the client set the BROADCAST flag; otherwise
 * unicast to the offered address at the client's hardware address.
 * Clients are told apart by their client identifier (option 61) if they
 * send one, else by their hardware address (§4.2). Lease times come from
 * the virtual clock, so expiry replays exactly.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import {
  BOOTP_OP_REPLY,
  BOOTP_OP_REQUEST,
  buildDhcp,
  DHCP_CLIENT_PORT,
  DHCP_FLAG_BROADCAST,
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_DNS_SERVER,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_REQUESTED_ADDRESS,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_SUBNET_MASK,
  DHCPACK,
  DHCPDECLINE,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPNAK,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
  dhcpMessageType,
  parseDhcp,
  uint32Option,
  type DhcpMessage,
} from './dhcp';
import { BROADCAST_MAC, formatMac } from './ethernet';
import {
  formatIpv4,
  ipv4ToNumber,
  IPV4_LIMITED_BROADCAST,
  numberToIpv4,
  parseIpv4,
  type Ipv4Address,
} from './ipv4';
import type { UdpReply, UdpRequest, UdpService } from './service-host';

export const DHCP_DEFAULT_LEASE_SECONDS = 3600;
/** How long an offered address stays reserved for the client it was offered to. */
export const OFFER_HOLD_SECONDS = 60;
const NS_PER_SECOND = 1_000_000_000;

export interface DhcpServerConfig {
  /** The server identifier and router: 10.0.2.2. */
  readonly serverAddress: string;
  readonly router: string;
  readonly dnsServer: string;
  readonly subnetMask: string;
  /** First address handed out: 10.0.2.15. */
  readonly poolStart: string;
  readonly poolSize: number;
  readonly leaseSeconds: number;
}

interface Lease {
  readonly client: string;
  readonly address: number;
  bound: boolean;
  expiresNs: number;
}

export class DhcpServer implements UdpService {
  private readonly leases = new Map<string, Lease>();
  private readonly declined = new Set<number>();
  private readonly serverAddress: Ipv4Address;
  private readonly poolStart: number;
  repliesSent = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly config: DhcpServerConfig,
  ) {
    this.serverAddress = parseIpv4(config.serverAddress);
    this.poolStart = ipv4ToNumber(parseIpv4(config.poolStart));
  }

  receive(request: UdpRequest): UdpReply | null {
    const message = parseDhcp(request.payload);
    if (!message || message.op !== BOOTP_OP_REQUEST) return null;
    const reply = this.answer(message);
    if (reply) this.repliesSent++;
    return reply;
  }

  /** The lease a client holds or was offered (for tests and the book's figures). */
  leaseOf(client: string): { address: string; bound: boolean; expiresNs: number } | null {
    const lease = this.leases.get(client);
    return lease
      ? {
          address: formatIpv4(numberToIpv4(lease.address)),
          bound: lease.bound,
          expiresNs: lease.expiresNs,
        }
      : null;
  }

  saveState(): DeviceState {
    const leases = [...this.leases.values()].sort((a, b) => a.address - b.address);
    return {
      repliesSent: this.repliesSent,
      declined: [...this.declined].sort((a, b) => a - b),
      leases: leases.map((lease) => [lease.client, lease.address, lease.bound, lease.expiresNs]),
    };
  }

  private answer(message: DhcpMessage): UdpReply | null {
    switch (dhcpMessageType(message)) {
      case DHCPDISCOVER:
        return this.offer(message);
      case DHCPREQUEST:
        return this.request(message);
      case DHCPDECLINE:
        return this.decline(message);
      case DHCPRELEASE:
        return this.release(message);
      case DHCPINFORM:
        return this.reply(message, DHCPACK, null);
      default:
        return null;
    }
  }

  private offer(message: DhcpMessage): UdpReply | null {
    const client = clientIdentity(message);
    const address = this.chooseAddress(client, message.options.get(DHCP_OPTION_REQUESTED_ADDRESS));
    if (address === null) return null;
    this.leases.set(client, {
      client,
      address,
      bound: false,
      expiresNs: this.clock.now + OFFER_HOLD_SECONDS * NS_PER_SECOND,
    });
    return this.reply(message, DHCPOFFER, address);
  }

  private request(message: DhcpMessage): UdpReply | null {
    const client = clientIdentity(message);
    const serverId = message.options.get(DHCP_OPTION_SERVER_ID);
    const requested = message.options.get(DHCP_OPTION_REQUESTED_ADDRESS);
    if (serverId) {
      if (serverId.length !== 4 || ipv4ToNumber(serverId) !== ipv4ToNumber(this.serverAddress)) {
        this.forgetOffer(client); // the client chose another server
        return null;
      }
      const offered = this.leases.get(client);
      const asked = requested?.length === 4 ? ipv4ToNumber(requested) : null;
      return offered && offered.address === asked
        ? this.bind(message, offered)
        : this.reply(message, DHCPNAK, null);
    }
    const wanted = requested?.length === 4 ? requested : message.ciaddr;
    const address = ipv4ToNumber(wanted);
    if (!this.inPool(address) || !this.isFreeFor(client, address))
      return this.reply(message, DHCPNAK, null);
    return this.bind(message, { client, address, bound: false, expiresNs: 0 });
  }

  private bind(message: DhcpMessage, lease: Lease): UdpReply {
    lease.bound = true;
    lease.expiresNs = this.clock.now + this.config.leaseSeconds * NS_PER_SECOND;
    this.leases.set(lease.client, lease);
    return this.reply(message, DHCPACK, lease.address);
  }

  private decline(message: DhcpMessage): null {
    const requested = message.options.get(DHCP_OPTION_REQUESTED_ADDRESS);
    if (requested?.length === 4) this.declined.add(ipv4ToNumber(requested));
    this.leases.delete(clientIdentity(message));
    return null;
  }

  private release(message: DhcpMessage): null {
    const client = clientIdentity(message);
    if (this.leases.get(client)?.address === ipv4ToNumber(message.ciaddr))
      this.leases.delete(client);
    return null;
  }

  private forgetOffer(client: string): void {
    if (this.leases.get(client)?.bound === false) this.leases.delete(client);
  }

  /** The client's previous address, the one it asks for, or the first free one; null when the pool is full. */
  private chooseAddress(client: string, requested: Uint8Array | undefined): number | null {
    const previous = this.leases.get(client)?.address;
    const asked = requested?.length === 4 ? ipv4ToNumber(requested) : undefined;
    for (const candidate of [previous, asked]) {
      if (candidate !== undefined && this.inPool(candidate) && this.isFreeFor(client, candidate))
        return candidate;
    }
    for (let address = this.poolStart; address < this.poolStart + this.config.poolSize; address++) {
      if (this.isFreeFor(client, address)) return address;
    }
    return null;
  }

  private inPool(address: number): boolean {
    return address >= this.poolStart && address < this.poolStart + this.config.poolSize;
  }

  /** Not declined, and not held by another client's unexpired lease or offer. */
  private isFreeFor(client: string, address: number): boolean {
    if (this.declined.has(address)) return false;
    for (const lease of this.leases.values()) {
      if (lease.address === address && lease.client !== client && lease.expiresNs > this.clock.now)
        return false;
    }
    return true;
  }

  /** An OFFER, ACK or NAK addressed as RFC 2131 §4.1 says; `address` is yiaddr (null for NAK and INFORM). */
  private reply(message: DhcpMessage, type: number, address: number | null): UdpReply {
    const yiaddr = address === null ? undefined : numberToIpv4(address);
    const payload = buildDhcp({
      op: BOOTP_OP_REPLY,
      xid: message.xid,
      flags: message.flags & DHCP_FLAG_BROADCAST,
      ciaddr: type === DHCPNAK ? undefined : message.ciaddr,
      yiaddr,
      chaddr: message.chaddr,
      options: this.options(type, address !== null),
    });
    const reply = { payload, source: this.serverAddress, destinationPort: DHCP_CLIENT_PORT };
    const clientHasAddress = ipv4ToNumber(message.ciaddr) !== 0;
    if (type !== DHCPNAK && clientHasAddress)
      return { ...reply, destination: message.ciaddr, destinationMac: message.chaddr };
    if (type === DHCPNAK || message.flags & DHCP_FLAG_BROADCAST || !yiaddr) {
      return {
        ...reply,
        destination: parseIpv4(IPV4_LIMITED_BROADCAST),
        destinationMac: BROADCAST_MAC,
      };
    }
    return { ...reply, destination: yiaddr, destinationMac: message.chaddr };
  }

  private options(type: number, withLease: boolean): Map<number, Uint8Array> {
    const options = new Map<number, Uint8Array>([
      [DHCP_OPTION_MESSAGE_TYPE, Uint8Array.of(type)],
      [DHCP_OPTION_SERVER_ID, this.serverAddress],
    ]);
    if (type === DHCPNAK) return options;
    const lease = this.config.leaseSeconds;
    if (withLease) {
      options.set(DHCP_OPTION_LEASE_TIME, uint32Option(lease));
      options.set(DHCP_OPTION_RENEWAL_TIME, uint32Option(Math.floor(lease / 2)));
      options.set(DHCP_OPTION_REBINDING_TIME, uint32Option(Math.floor((lease * 7) / 8)));
    }
    options.set(DHCP_OPTION_SUBNET_MASK, parseIpv4(this.config.subnetMask));
    options.set(DHCP_OPTION_ROUTER, parseIpv4(this.config.router));
    options.set(DHCP_OPTION_DNS_SERVER, parseIpv4(this.config.dnsServer));
    return options;
  }
}

/** Client identifier (option 61) if present, else the hardware address. */
function clientIdentity(message: DhcpMessage): string {
  const id = message.options.get(DHCP_OPTION_CLIENT_ID);
  return id
    ? `id:${Array.from(id, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
    : formatMac(message.chaddr);
}
