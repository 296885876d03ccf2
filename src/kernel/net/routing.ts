/**
 * Routing: where an outgoing IPv4 datagram goes next (RFC 1122 §3.3.1.1,
 * "Local/Remote Decision", and §3.3.1.2, "Gateway Selection").
 *
 * A host with one interface needs no routing table: a destination on the
 * directly attached subnet is sent straight to its owner; anything else goes
 * to the default gateway, which must itself be on the subnet. The limited
 * broadcast 255.255.255.255 (and the subnet's broadcast) go to every host on
 * the wire. The answer is the next hop's IPv4 address, which ARP then turns
 * into a MAC address (arp-cache.ts), or null for a broadcast.
 */
import { SyscallError } from '../lib/errno';
import type { NetInterface } from './net-interface';
import { formatIpv4Address, IPV4_BROADCAST, type Ipv4Address } from './wire/addresses';

/** The next hop for `destination`: itself, the gateway, or null (broadcast on the wire). */
export function nextHop(iface: NetInterface, destination: Ipv4Address): Ipv4Address | null {
  if (destination === IPV4_BROADCAST) return null;
  if (!iface.configured) {
    throw new SyscallError('ENETUNREACH', `${iface.name} has no address (run dhcp or setip)`);
  }
  if (destination === iface.subnetBroadcast) return null;
  if (iface.onLink(destination)) return destination;
  if (iface.gateway === 0 || !iface.onLink(iface.gateway)) {
    throw new SyscallError(
      'EHOSTUNREACH',
      `no route to ${formatIpv4Address(destination)}: no gateway on the subnet`,
    );
  }
  return iface.gateway;
}
