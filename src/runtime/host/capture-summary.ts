/**
 * One captured Ethernet frame, taken apart for a figure: its layers (which
 * bytes are the Ethernet header, the IPv4 header, the UDP or TCP header, the
 * payload) and a one-line summary in the manner of tcpdump. Parsing is the
 * kernel's own (src/kernel/net/wire), so a figure shows what the stack reads.
 * Runs at build time, for the networking chapter's <PacketCapture> and
 * <TcpSequence>; a frame the parsers refuse is shown as such, never thrown.
 */
import { formatIpv4Address } from '../../kernel/net/wire/addresses';
import { parseArpPacket, ARP_OPERATION_REQUEST } from '../../kernel/net/wire/arp';
import { parseDhcpMessage, DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from '../../kernel/net/wire/dhcp';
import { DNS_PORT, parseDnsMessage } from '../../kernel/net/wire/dns';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernetFrame } from '../../kernel/net/wire/ethernet';
import { isIcmpEcho, parseIcmpMessage } from '../../kernel/net/wire/icmp';
import {
  IPV4_PROTOCOL_ICMP,
  IPV4_PROTOCOL_TCP,
  IPV4_PROTOCOL_UDP,
  parseIpv4Packet,
} from '../../kernel/net/wire/ipv4';
import {
  parseTcpSegment,
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_PSH,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
} from '../../kernel/net/wire/tcp';
import { parseUdpDatagram } from '../../kernel/net/wire/udp';

const ETHERNET_HEADER_LENGTH = 14;
const UDP_HEADER_LENGTH = 8;
const DHCP_MESSAGE_TYPE_NAMES = [
  '',
  'DISCOVER',
  'OFFER',
  'REQUEST',
  'DECLINE',
  'ACK',
  'NAK',
  'RELEASE',
  'INFORM',
];

/** A run of bytes that belongs to one layer. */
export interface FrameLayer {
  readonly name: 'ethernet' | 'arp' | 'ipv4' | 'icmp' | 'udp' | 'tcp' | 'payload' | 'padding';
  readonly start: number;
  readonly end: number;
}

/** What a sequence diagram needs of a TCP segment. */
export interface TcpFacts {
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly sequence: number;
  readonly acknowledgment: number;
  readonly flags: string;
  readonly window: number;
  readonly length: number;
}

export interface FrameSummary {
  readonly layers: readonly FrameLayer[];
  /** e.g. "10.0.2.15.49152 > 10.0.2.3.53: DNS query A www.example.com". */
  readonly summary: string;
  readonly protocol: string;
  readonly tcp: TcpFacts | null;
}

export function tcpFlagNames(flags: number): string {
  const names: [number, string][] = [
    [TCP_FLAG_SYN, 'SYN'],
    [TCP_FLAG_FIN, 'FIN'],
    [TCP_FLAG_RST, 'RST'],
    [TCP_FLAG_PSH, 'PSH'],
    [TCP_FLAG_ACK, 'ACK'],
  ];
  return names
    .filter(([bit]) => flags & bit)
    .map(([, name]) => name)
    .join(',');
}

function udpSummary(sourcePort: number, destinationPort: number, payload: Uint8Array): string {
  if (
    sourcePort === DHCP_CLIENT_PORT ||
    destinationPort === DHCP_SERVER_PORT ||
    sourcePort === DHCP_SERVER_PORT
  ) {
    const dhcp = parseDhcpMessage(payload);
    const type = DHCP_MESSAGE_TYPE_NAMES[dhcp.options.messageType ?? 0] ?? '?';
    const offered = dhcp.yourAddress ? ` your address ${formatIpv4Address(dhcp.yourAddress)}` : '';
    return `DHCP${type}${offered}`;
  }
  if (sourcePort === DNS_PORT || destinationPort === DNS_PORT) {
    const dns = parseDnsMessage(payload);
    const question = dns.questions[0]?.name ?? '';
    if (!dns.isResponse) return `DNS query ${question}`;
    const answers = dns.answers.map((answer) =>
      answer.data.kind === 'a'
        ? `A ${formatIpv4Address(answer.data.address)}`
        : answer.data.kind === 'cname'
          ? `CNAME ${answer.data.name}`
          : 'other',
    );
    return `DNS answer ${question}: ${answers.join(', ') || 'none'}`;
  }
  return `UDP ${payload.length} bytes`;
}

function ipv4Layers(frame: Uint8Array, layers: FrameLayer[]): Omit<FrameSummary, 'layers'> {
  const packet = parseIpv4Packet(frame.subarray(ETHERNET_HEADER_LENGTH));
  const headerEnd = ETHERNET_HEADER_LENGTH + (frame[ETHERNET_HEADER_LENGTH]! & 0x0f) * 4;
  const packetEnd = headerEnd + packet.payload.length;
  layers.push({ name: 'ipv4', start: ETHERNET_HEADER_LENGTH, end: headerEnd });
  const from = formatIpv4Address(packet.source);
  const to = formatIpv4Address(packet.destination);
  let result: Omit<FrameSummary, 'layers'>;
  if (packet.protocol === IPV4_PROTOCOL_UDP) {
    const udp = parseUdpDatagram(packet.payload, packet.source, packet.destination);
    layers.push({ name: 'udp', start: headerEnd, end: headerEnd + UDP_HEADER_LENGTH });
    const text = udpSummary(udp.sourcePort, udp.destinationPort, udp.payload);
    result = {
      summary: `${from}.${udp.sourcePort} > ${to}.${udp.destinationPort}: ${text}`,
      protocol: text.split(' ')[0]!.replace(/(DHCP).*/, '$1'),
      tcp: null,
    };
    layers.push({ name: 'payload', start: headerEnd + UDP_HEADER_LENGTH, end: packetEnd });
  } else if (packet.protocol === IPV4_PROTOCOL_TCP) {
    const segment = parseTcpSegment(packet.payload, packet.source, packet.destination);
    const dataStart = packetEnd - segment.payload.length;
    layers.push({ name: 'tcp', start: headerEnd, end: dataStart });
    if (segment.payload.length > 0)
      layers.push({ name: 'payload', start: dataStart, end: packetEnd });
    const tcp: TcpFacts = {
      source: from,
      destination: to,
      sourcePort: segment.sourcePort,
      destinationPort: segment.destinationPort,
      sequence: segment.sequence,
      acknowledgment: segment.acknowledgment,
      flags: tcpFlagNames(segment.flags),
      window: segment.window,
      length: segment.payload.length,
    };
    result = {
      summary: `${from}.${tcp.sourcePort} > ${to}.${tcp.destinationPort}: TCP [${tcp.flags}] seq ${tcp.sequence} ack ${tcp.acknowledgment} win ${tcp.window} len ${tcp.length}`,
      protocol: 'TCP',
      tcp,
    };
  } else if (packet.protocol === IPV4_PROTOCOL_ICMP) {
    const icmp = parseIcmpMessage(packet.payload);
    layers.push({ name: 'icmp', start: headerEnd, end: packetEnd });
    const text = isIcmpEcho(icmp)
      ? `ICMP echo ${icmp.type === 8 ? 'request' : 'reply'} seq ${icmp.sequenceNumber}`
      : `ICMP type ${icmp.type}`;
    result = { summary: `${from} > ${to}: ${text}`, protocol: 'ICMP', tcp: null };
  } else {
    result = {
      summary: `${from} > ${to}: protocol ${packet.protocol}`,
      protocol: 'IPv4',
      tcp: null,
    };
  }
  if (packetEnd < frame.length)
    layers.push({ name: 'padding', start: packetEnd, end: frame.length });
  return result;
}

/** Take a captured frame apart; a frame the kernel's parsers refuse gets a summary that says why. */
export function summarizeFrame(frame: Uint8Array): FrameSummary {
  const layers: FrameLayer[] = [{ name: 'ethernet', start: 0, end: ETHERNET_HEADER_LENGTH }];
  try {
    const ethernet = parseEthernetFrame(frame);
    if (ethernet.etherType === ETHERTYPE_ARP) {
      const arp = parseArpPacket(ethernet.payload);
      layers.push({ name: 'arp', start: ETHERNET_HEADER_LENGTH, end: ETHERNET_HEADER_LENGTH + 28 });
      layers.push({ name: 'padding', start: ETHERNET_HEADER_LENGTH + 28, end: frame.length });
      const summary =
        arp.operation === ARP_OPERATION_REQUEST
          ? `ARP who has ${formatIpv4Address(arp.targetIp)}? tell ${formatIpv4Address(arp.senderIp)}`
          : `ARP ${formatIpv4Address(arp.senderIp)} is at ${arp.senderMac}`;
      return { layers, summary, protocol: 'ARP', tcp: null };
    }
    if (ethernet.etherType === ETHERTYPE_IPV4) return { layers, ...ipv4Layers(frame, layers) };
    return {
      layers,
      summary: `ethertype 0x${ethernet.etherType.toString(16)}`,
      protocol: 'Ethernet',
      tcp: null,
    };
  } catch (error) {
    return { layers, summary: `malformed: ${(error as Error).message}`, protocol: '?', tcp: null };
  }
}
