/**
 * The DHCP client: how the interface gets its address, mask, gateway and
 * DNS server at boot (RFC 2131; options from RFC 2132).
 *
 * Acquiring a lease is the four-message exchange of RFC 2131 §3.1:
 *
 *   client                                   server (10.0.2.2 here)
 *   DHCPDISCOVER  0.0.0.0 -> 255.255.255.255  ─▶
 *                                            ◀─  DHCPOFFER   (an address, and the options)
 *   DHCPREQUEST   0.0.0.0 -> 255.255.255.255  ─▶ (names the offer's server: "I take this one")
 *                                            ◀─  DHCPACK     (the lease is ours)
 *
 * Until the ACK the client has no address, so it sends from 0.0.0.0 to the
 * limited broadcast and sets the BROADCAST flag so the server answers by
 * broadcast too (§4.1). A reply is matched to its request by the
 * transaction ID (xid). Unanswered messages are sent again after 1, 2, 4
 * and 8 seconds (§4.1 asks for exponential backoff), then the client gives
 * up. A DHCPNAK starts over.
 *
 * Renewal (§4.4.5): at T1 (half the lease unless the server said otherwise)
 * the client asks its server directly, by unicast, to extend the lease;
 * the renewal thread does this for as long as the kernel runs. If the
 * server cannot be reached before the lease ends, the interface loses its
 * address and the client starts over with DISCOVER. (The rebinding state
 * at T2, asking any server by broadcast, is folded into that restart: the
 * book's network has one server.)
 */
import type { KernelLog } from '../lib/klog';
import { sleepUntil, ticksNow } from '../sched/scheduler';
import type { NetStack } from './net-stack';
import { createSocket, type UdpSocket } from './sockets';
import {
  formatIpv4Address,
  IPV4_BROADCAST,
  IPV4_UNSPECIFIED,
  maskToPrefix,
  type Ipv4Address,
} from './wire/addresses';
import {
  BOOTP_OPERATION_REPLY,
  BOOTP_OPERATION_REQUEST,
  DHCP_CLIENT_PORT,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SUBNET_MASK,
  DHCP_SERVER_PORT,
  DHCPACK,
  DHCPDISCOVER,
  DHCPNAK,
  DHCPOFFER,
  DHCPREQUEST,
  emitDhcpMessage,
  parseDhcpMessage,
  type DhcpMessage,
  type DhcpOptions,
} from './wire/dhcp';
import { MalformedPacket } from './wire/malformed';

/** Waits for an answer before each retransmission (RFC 2131 §4.1: 4 s, 8 s, ... ; shorter here). */
export const DHCP_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
/** How long to wait before retrying a renewal that got no answer. */
const DHCP_RENEW_RETRY_MS = 60_000;
const DHCP_PARAMETERS = [
  DHCP_OPTION_SUBNET_MASK,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_REBINDING_TIME,
];

export interface DhcpLease {
  readonly address: Ipv4Address;
  readonly mask: Ipv4Address;
  readonly gateway: Ipv4Address;
  readonly dnsServer: Ipv4Address;
  readonly server: Ipv4Address;
  readonly leaseSeconds: number;
  /** Virtual ms at which to renew (T1) and at which the lease ends. */
  readonly renewAt: number;
  readonly expiresAt: number;
}

/** No server answered, or it refused (DHCPNAK). */
export class DhcpError extends Error {
  override name = 'DhcpError';
}

export class DhcpClient {
  lease: DhcpLease | null = null;

  constructor(
    private readonly net: NetStack,
    private readonly log: KernelLog,
  ) {}

  /** DISCOVER, OFFER, REQUEST, ACK: get a lease and configure the interface with it. */
  *acquire(): Generator<void, DhcpLease, void> {
    const socket = this.openSocket();
    try {
      const xid = this.net.options.random32();
      const offer = yield* this.exchange(socket, this.discover(xid), xid, [DHCPOFFER]);
      const answer = yield* this.exchange(socket, this.select(xid, offer), xid, [DHCPACK, DHCPNAK]);
      if (answer.options.messageType === DHCPNAK) throw new DhcpError('the server refused (NAK)');
      return this.bind(answer);
    } finally {
      socket.release();
    }
  }

  /** RENEWING: ask the lease's server to extend it (unicast from our address). */
  *renew(lease: DhcpLease): Generator<void, DhcpLease, void> {
    const socket = this.openSocket();
    try {
      const xid = this.net.options.random32();
      const request = this.message(xid, DHCPREQUEST, { parameterRequestList: DHCP_PARAMETERS });
      request.clientAddress = lease.address;
      request.broadcast = false;
      const answer = yield* this.exchange(socket, request, xid, [DHCPACK, DHCPNAK], lease.server);
      if (answer.options.messageType === DHCPNAK) throw new DhcpError('the server refused (NAK)');
      return this.bind(answer);
    } finally {
      socket.release();
    }
  }

  /** Renew at T1 for as long as the kernel runs; start over when the lease is lost. */
  *renewalThread(): Generator<void, void, void> {
    for (;;) {
      const lease = this.lease;
      if (!lease) {
        yield* this.acquireOrWait();
        continue;
      }
      yield* sleepUntil(Math.ceil(lease.renewAt));
      if (this.lease !== lease) continue; // someone ran `dhcp` meanwhile
      try {
        yield* this.renew(lease);
      } catch (error) {
        if (!(error instanceof DhcpError)) throw error;
        yield* this.handleRenewalFailure(lease, error);
      }
    }
  }

  private *acquireOrWait(): Generator<void, void, void> {
    try {
      yield* this.acquire();
    } catch (error) {
      if (!(error instanceof DhcpError)) throw error;
      this.log.log('dhcp', `${error.message}; trying again in 60 s`);
      yield* sleepUntil(ticksNow() + DHCP_RENEW_RETRY_MS);
    }
  }

  private *handleRenewalFailure(lease: DhcpLease, error: DhcpError): Generator<void, void, void> {
    const now = this.net.now();
    if (now + DHCP_RENEW_RETRY_MS < lease.expiresAt) {
      this.log.log('dhcp', `renewal failed (${error.message}); retrying`);
      this.lease = { ...lease, renewAt: now + DHCP_RENEW_RETRY_MS };
      return;
    }
    this.log.log('dhcp', `lease ${formatIpv4Address(lease.address)} lost`);
    this.net.interface.unconfigure();
    this.lease = null;
  }

  private openSocket(): UdpSocket {
    const socket = createSocket(this.net, 'datagram');
    socket.bind(IPV4_UNSPECIFIED, DHCP_CLIENT_PORT);
    return socket;
  }

  /** Send `request` and wait for an answer of one of `types` with our xid, retrying with backoff. */
  private *exchange(
    socket: UdpSocket,
    request: DhcpMessage,
    xid: number,
    types: number[],
    server: Ipv4Address = IPV4_BROADCAST,
  ): Generator<void, DhcpMessage, void> {
    const bytes = emitDhcpMessage(request);
    for (const delay of DHCP_RETRY_DELAYS_MS) {
      yield* socket.sendTo(bytes, server, DHCP_SERVER_PORT);
      const deadline = this.net.now() + delay;
      for (;;) {
        const datagram = yield* socket.recvFromBefore(1500, deadline);
        if (!datagram) break;
        const answer = parseReply(datagram.data);
        if (answer?.transactionId === xid && types.includes(answer.options.messageType ?? 0)) {
          return answer;
        }
      }
    }
    throw new DhcpError('no answer from a DHCP server');
  }

  private discover(xid: number): DhcpMessage {
    return this.message(xid, DHCPDISCOVER, { parameterRequestList: DHCP_PARAMETERS });
  }

  /** REQUEST in the SELECTING state (§4.3.2): name the offered address and its server. */
  private select(xid: number, offer: DhcpMessage): DhcpMessage {
    return this.message(xid, DHCPREQUEST, {
      requestedAddress: offer.yourAddress,
      serverIdentifier: offer.options.serverIdentifier ?? offer.serverAddress,
      parameterRequestList: DHCP_PARAMETERS,
    });
  }

  private message(xid: number, type: number, options: DhcpOptions): DhcpMessage {
    return {
      operation: BOOTP_OPERATION_REQUEST,
      transactionId: xid,
      secondsElapsed: 0,
      broadcast: true,
      clientAddress: IPV4_UNSPECIFIED,
      yourAddress: IPV4_UNSPECIFIED,
      serverAddress: IPV4_UNSPECIFIED,
      relayAgentAddress: IPV4_UNSPECIFIED,
      clientMac: this.net.interface.mac,
      options: { messageType: type, ...options },
    };
  }

  /** BOUND: take the ACK's settings (§4.4.1) and compute T1 and the lease's end. */
  private bind(ack: DhcpMessage): DhcpLease {
    const now = this.net.now();
    const options = ack.options;
    const leaseSeconds = options.leaseTimeSeconds ?? 3600;
    const t1 = options.renewalTimeSeconds ?? leaseSeconds / 2;
    const lease: DhcpLease = {
      address: ack.yourAddress,
      mask: options.subnetMask ?? 0xffffff00,
      gateway: options.routers?.[0] ?? IPV4_UNSPECIFIED,
      dnsServer: options.dnsServers?.[0] ?? IPV4_UNSPECIFIED,
      server: options.serverIdentifier ?? ack.serverAddress,
      leaseSeconds,
      renewAt: now + t1 * 1000,
      expiresAt: now + leaseSeconds * 1000,
    };
    const iface = this.net.interface;
    iface.address = lease.address;
    iface.mask = lease.mask;
    iface.gateway = lease.gateway;
    iface.dnsServer = lease.dnsServer;
    this.lease = lease;
    this.log.log('dhcp', describeLease(lease));
    return lease;
  }
}

/** "lease 10.0.2.15/24 from 10.0.2.2 for 3600 s, gateway 10.0.2.2, dns 10.0.2.3" */
export function describeLease(lease: DhcpLease): string {
  const show = formatIpv4Address;
  return `lease ${show(lease.address)}/${maskToPrefix(lease.mask) ?? show(lease.mask)} from ${show(lease.server)} for ${lease.leaseSeconds} s, gateway ${show(lease.gateway)}, dns ${show(lease.dnsServer)}`;
}

/** A server's reply, or null for anything else (a malformed message is just not an answer). */
function parseReply(bytes: Uint8Array): DhcpMessage | null {
  try {
    const message = parseDhcpMessage(bytes);
    return message.operation === BOOTP_OPERATION_REPLY ? message : null;
  } catch (error) {
    if (error instanceof MalformedPacket) return null;
    throw error;
  }
}
