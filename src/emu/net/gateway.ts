/**
 * The virtual network's gateway, 10.0.2.2, as in QEMU's user networking: the
 * router a guest's default route points to. For now it answers ARP for its
 * address and ICMP echo requests sent to it (RFC 1122 §3.2.2.6: the reply
 * carries the request's identifier, sequence number and data); routing
 * beyond it (NAT, the Node TCP bridge) comes with the networking issue.
 */
import type { DeviceState } from '../device-state';
import { parseMac, type EthernetFrame } from './ethernet';
import { buildIcmpEcho, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmpEcho } from './icmp';
import { IP_PROTOCOL_ICMP, parseIpv4, type Ipv4Packet } from './ipv4';
import { SimulatedHostBase } from './simulated-host';

export const GATEWAY_IP = '10.0.2.2';
/** QEMU's MAC for its virtual router. */
export const GATEWAY_MAC = '52:55:0a:00:02:02';

export class Gateway extends SimulatedHostBase {
  echoRequestsAnswered = 0;

  constructor(mac = parseMac(GATEWAY_MAC), ip = parseIpv4(GATEWAY_IP)) {
    super('gateway', mac, [ip]);
  }

  override saveState(): DeviceState {
    return { ...super.saveState(), echoRequestsAnswered: this.echoRequestsAnswered };
  }

  protected receiveIpv4(packet: Ipv4Packet, frame: EthernetFrame): void {
    if (packet.protocol !== IP_PROTOCOL_ICMP) return;
    const echo = parseIcmpEcho(packet.payload);
    if (!echo || echo.type !== ICMP_ECHO_REQUEST) return;
    this.echoRequestsAnswered++;
    const reply = buildIcmpEcho({ ...echo, type: ICMP_ECHO_REPLY });
    this.sendIpv4(frame.source, packet.destination, packet.source, IP_PROTOCOL_ICMP, reply);
  }
}
