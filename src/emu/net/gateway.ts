/**
 * The virtual network's gateway, 10.0.2.2, as in QEMU's user networking:
 * the router a guest's default route points to, and the DHCP server that
 * tells the guest so (dhcp-server.ts, on UDP port 67 of 10.0.2.2 and of
 * the broadcast address, where clients without an address send).
 *
 * Like slirp, the gateway does not forward to a real Internet: the hosts
 * "behind" it (book-hosts.ts) are services bound to their addresses on the
 * gateway itself (service-host.ts). The guest reaches example.com exactly
 * as a routed host - an IPv4 datagram for 93.184.215.14 inside a frame for
 * the gateway's MAC - and the answer comes back from the gateway's MAC
 * with example.com's address as its source. A datagram for an address
 * nobody serves is dropped, as an unreachable Internet would.
 */
import { DHCP_SERVER_PORT } from './dhcp';
import type { DhcpServer } from './dhcp-server';
import { parseMac } from './ethernet';
import { IPV4_LIMITED_BROADCAST, parseIpv4 } from './ipv4';
import type { SeededRandom } from './seeded-random';
import { ServiceHost } from './service-host';

export const GATEWAY_IP = '10.0.2.2';
/** QEMU's MAC for its virtual router. */
export const GATEWAY_MAC = '52:55:0a:00:02:02';

export class Gateway extends ServiceHost {
  constructor(random: SeededRandom, dhcp: DhcpServer) {
    super('gateway', parseMac(GATEWAY_MAC), [parseIpv4(GATEWAY_IP)], random);
    this.addUdpService(parseIpv4(GATEWAY_IP), DHCP_SERVER_PORT, dhcp);
    this.addUdpService(parseIpv4(IPV4_LIMITED_BROADCAST), DHCP_SERVER_PORT, dhcp);
  }
}
