/**
 * Cross-check the emitters against an independent dissector: frames built
 * with the wire formats are written to a pcap file (with the emulator's
 * PcapWriter) and read back by tshark, which must decode the expected
 * protocols, verify every checksum and find nothing malformed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../../../src/emu/net/pcap-writer';
import {
  BROADCAST_MAC,
  IPV4_BROADCAST,
  IPV4_UNSPECIFIED,
  parseIpv4Address,
  type Ipv4Address,
} from '../../../../src/kernel/net/wire/addresses';
import {
  ARP_OPERATION_REPLY,
  ARP_OPERATION_REQUEST,
  emitArpPacket,
} from '../../../../src/kernel/net/wire/arp';
import {
  BOOTP_OPERATION_REPLY,
  BOOTP_OPERATION_REQUEST,
  DHCP_CLIENT_PORT,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SUBNET_MASK,
  DHCP_SERVER_PORT,
  DHCPACK,
  DHCPDISCOVER,
  emitDhcpMessage,
} from '../../../../src/kernel/net/wire/dhcp';
import {
  buildDnsQuery,
  DNS_CLASS_IN,
  DNS_PORT,
  DNS_TYPE_A,
  DNS_TYPE_CNAME,
  emitDnsMessage,
} from '../../../../src/kernel/net/wire/dns';
import {
  emitEthernetFrame,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
} from '../../../../src/kernel/net/wire/ethernet';
import {
  emitIcmpMessage,
  ICMP_CODE_PORT_UNREACHABLE,
  ICMP_TYPE_DESTINATION_UNREACHABLE,
  ICMP_TYPE_ECHO_REPLY,
  ICMP_TYPE_ECHO_REQUEST,
} from '../../../../src/kernel/net/wire/icmp';
import {
  emitIpv4Packet,
  IPV4_PROTOCOL_ICMP,
  IPV4_PROTOCOL_UDP,
} from '../../../../src/kernel/net/wire/ipv4';
import { emitUdpDatagram } from '../../../../src/kernel/net/wire/udp';
import { RESPONSE_WITH_COMPRESSION } from './vectors';

const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const guestMac = '52:54:00:12:34:56';
const gatewayMac = '52:55:0a:00:02:02';
const guest = parseIpv4Address('10.0.2.15')!;
const gateway = parseIpv4Address('10.0.2.2')!;
const dnsServer = parseIpv4Address('10.0.2.3')!;

function ipFrame(from: string, to: string, packet: Uint8Array): Uint8Array {
  return emitEthernetFrame({
    source: from,
    destination: to,
    etherType: ETHERTYPE_IPV4,
    payload: packet,
  });
}

function udpFrame(
  [fromMac, toMac]: [string, string],
  [source, destination]: [Ipv4Address, Ipv4Address],
  [sourcePort, destinationPort]: [number, number],
  payload: Uint8Array,
): Uint8Array {
  const udp = emitUdpDatagram({ sourcePort, destinationPort, payload }, source, destination);
  return ipFrame(
    fromMac,
    toMac,
    emitIpv4Packet({ protocol: IPV4_PROTOCOL_UDP, source, destination, payload: udp }),
  );
}

function icmpFrame(
  fromMac: string,
  toMac: string,
  source: Ipv4Address,
  destination: Ipv4Address,
  icmp: Uint8Array,
) {
  return ipFrame(
    fromMac,
    toMac,
    emitIpv4Packet({ protocol: IPV4_PROTOCOL_ICMP, source, destination, payload: icmp }),
  );
}

const dnsQueryFrame = udpFrame(
  [guestMac, gatewayMac],
  [guest, dnsServer],
  [49152, DNS_PORT],
  buildDnsQuery(0x1234, 'www.example.com', DNS_TYPE_A),
);
const dnsQueryPacket = dnsQueryFrame.subarray(14, 14 + 20 + 8 + 33);

/** Each frame with the protocol chain tshark should report for it. */
const FRAMES: [string, Uint8Array][] = [
  [
    'eth:ethertype:arp',
    emitEthernetFrame({
      source: guestMac,
      destination: BROADCAST_MAC,
      etherType: ETHERTYPE_ARP,
      payload: emitArpPacket({
        operation: ARP_OPERATION_REQUEST,
        senderMac: guestMac,
        senderIp: guest,
        targetMac: '00:00:00:00:00:00',
        targetIp: gateway,
      }),
    }),
  ],
  [
    'eth:ethertype:arp',
    emitEthernetFrame({
      source: gatewayMac,
      destination: guestMac,
      etherType: ETHERTYPE_ARP,
      payload: emitArpPacket({
        operation: ARP_OPERATION_REPLY,
        senderMac: gatewayMac,
        senderIp: gateway,
        targetMac: guestMac,
        targetIp: guest,
      }),
    }),
  ],
  [
    'eth:ethertype:ip:udp:dhcp',
    udpFrame(
      [guestMac, BROADCAST_MAC],
      [IPV4_UNSPECIFIED, IPV4_BROADCAST],
      [DHCP_CLIENT_PORT, DHCP_SERVER_PORT],
      emitDhcpMessage({
        operation: BOOTP_OPERATION_REQUEST,
        transactionId: 0x3903f326,
        secondsElapsed: 0,
        broadcast: true,
        clientAddress: 0,
        yourAddress: 0,
        serverAddress: 0,
        relayAgentAddress: 0,
        clientMac: guestMac,
        options: {
          messageType: DHCPDISCOVER,
          parameterRequestList: [
            DHCP_OPTION_SUBNET_MASK,
            DHCP_OPTION_ROUTER,
            DHCP_OPTION_DNS_SERVERS,
          ],
        },
      }),
    ),
  ],
  [
    'eth:ethertype:ip:udp:dhcp',
    udpFrame(
      [gatewayMac, guestMac],
      [gateway, guest],
      [DHCP_SERVER_PORT, DHCP_CLIENT_PORT],
      emitDhcpMessage({
        operation: BOOTP_OPERATION_REPLY,
        transactionId: 0x3903f326,
        secondsElapsed: 0,
        broadcast: false,
        clientAddress: 0,
        yourAddress: guest,
        serverAddress: gateway,
        relayAgentAddress: 0,
        clientMac: guestMac,
        options: {
          messageType: DHCPACK,
          serverIdentifier: gateway,
          leaseTimeSeconds: 86400,
          renewalTimeSeconds: 43200,
          rebindingTimeSeconds: 75600,
          subnetMask: parseIpv4Address('255.255.255.0')!,
          routers: [gateway],
          dnsServers: [dnsServer],
        },
      }),
    ),
  ],
  [
    'eth:ethertype:ip:icmp:data',
    icmpFrame(
      guestMac,
      gatewayMac,
      guest,
      gateway,
      emitIcmpMessage({
        type: ICMP_TYPE_ECHO_REQUEST,
        identifier: 0x0c07,
        sequenceNumber: 1,
        data: new TextEncoder().encode('CottonOS ping, 33 bytes of data!'),
      }),
    ),
  ],
  [
    'eth:ethertype:ip:icmp:data',
    icmpFrame(
      gatewayMac,
      guestMac,
      gateway,
      guest,
      emitIcmpMessage({
        type: ICMP_TYPE_ECHO_REPLY,
        identifier: 0x0c07,
        sequenceNumber: 1,
        data: new TextEncoder().encode('CottonOS ping, 33 bytes of data!'),
      }),
    ),
  ],
  ['eth:ethertype:ip:udp:dns', dnsQueryFrame],
  [
    'eth:ethertype:ip:udp:dns',
    udpFrame(
      [gatewayMac, guestMac],
      [dnsServer, guest],
      [DNS_PORT, 49152],
      RESPONSE_WITH_COMPRESSION,
    ),
  ],
  [
    'eth:ethertype:ip:udp:dns',
    udpFrame(
      [gatewayMac, guestMac],
      [dnsServer, guest],
      [DNS_PORT, 49152],
      emitDnsMessage({
        id: 0x5678,
        isResponse: true,
        opcode: 0,
        authoritative: false,
        truncated: false,
        recursionDesired: true,
        recursionAvailable: true,
        responseCode: 0,
        questions: [{ name: 'www.example.com', type: DNS_TYPE_A, class: DNS_CLASS_IN }],
        answers: [
          {
            name: 'www.example.com',
            type: DNS_TYPE_CNAME,
            class: DNS_CLASS_IN,
            ttlSeconds: 300,
            data: { kind: 'cname', name: 'example.com' },
          },
          {
            name: 'example.com',
            type: DNS_TYPE_A,
            class: DNS_CLASS_IN,
            ttlSeconds: 300,
            data: { kind: 'a', address: parseIpv4Address('93.184.216.34')! },
          },
        ],
        authorities: [],
        additionals: [],
      }),
    ),
  ],
  [
    'eth:ethertype:ip:icmp:ip:udp:dns',
    icmpFrame(
      gatewayMac,
      guestMac,
      dnsServer,
      guest,
      emitIcmpMessage({
        type: ICMP_TYPE_DESTINATION_UNREACHABLE,
        code: ICMP_CODE_PORT_UNREACHABLE,
        originalDatagram: dnsQueryPacket,
      }),
    ),
  ],
];

const tsharkMissing = existsSync(TSHARK)
  ? undefined
  : `tshark is not installed at ${TSHARK} (apt-get install tshark): emitters not cross-checked`;
const directory = mkdtempSync(join(tmpdir(), 'wire-pcap-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function tsharkFields(file: string, fields: string[], options: string[] = []): string[][] {
  const output = execFileSync(
    TSHARK,
    [
      '-r',
      file,
      '-T',
      'fields',
      '-E',
      'separator=|',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
      ...options,
      ...fields.flatMap((field) => ['-e', field]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return output
    .trimEnd()
    .split('\n')
    .map((line) => line.split('|'));
}

function writeCapture(): string {
  const chunks: Uint8Array[] = [];
  const writer = new PcapWriter((bytes) => chunks.push(bytes), 1_780_000_000);
  for (const [i, [, frame]] of FRAMES.entries()) writer.writeFrame(frame, i * 1_000_000);
  const file = join(directory, 'wire-formats.pcap');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('frames built by the wire formats, as tshark sees them', () => {
  it('decode as the expected protocols, with good checksums and nothing malformed', ({ skip }) => {
    if (tsharkMissing) skip(tsharkMissing);
    const file = writeCapture();
    const fields = [
      'frame.protocols',
      'ip.checksum.status',
      'udp.checksum.status',
      'icmp.checksum.status',
      '_ws.malformed',
      '_ws.expert.severity',
      '_ws.expert.message',
    ];
    const rows = tsharkFields(file, fields, [
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
    ]);
    expect(rows.length).toBe(FRAMES.length);
    rows.forEach((row, i) => {
      const [protocols, ipChecksum, udpChecksum, icmpChecksum, malformed, severity, message] = row;
      const context = `frame ${i + 1}: ${row.join('|')}`;
      expect(protocols, context).toBe(FRAMES[i]![0]);
      expect(malformed, context).toBe('');
      // Expert severities: chat 0x200000, note 0x400000, warning 0x600000, error 0x800000.
      const worst = Math.max(0, ...(severity ? severity.split(',').map(Number) : []));
      expect(worst, `${context} (${message})`).toBeLessThan(0x600000);
      // 1 = good; every checksum present must have been verified as good.
      for (const status of [ipChecksum, udpChecksum, icmpChecksum]) {
        for (const value of status ? status.split(',') : []) expect(value, context).toBe('1');
      }
    });
  });

  it('carry the field values they were built with', ({ skip }) => {
    if (tsharkMissing) skip(tsharkMissing);
    const fields = [
      'arp.opcode',
      'arp.dst.proto_ipv4',
      'dhcp.option.dhcp',
      'dhcp.ip.your',
      'dhcp.option.domain_name_server',
      'icmp.type',
      'icmp.seq',
      'dns.qry.name',
      'dns.cname',
      'dns.a',
    ];
    // biome-ignore format: laid out as the packet is
    expect(tsharkFields(writeCapture(), fields)).toEqual([
      ['1', '10.0.2.2', '', '', '', '', '', '', '', ''],
      ['2', '10.0.2.15', '', '', '', '', '', '', '', ''],
      ['', '', '1', '0.0.0.0', '', '', '', '', '', ''],
      ['', '', '5', '10.0.2.15', '10.0.2.3', '', '', '', '', ''],
      ['', '', '', '', '', '8', '1', '', '', ''],
      ['', '', '', '', '', '0', '1', '', '', ''],
      ['', '', '', '', '', '', '', 'www.example.com', '', ''],
      ['', '', '', '', '', '', '', 'www.example.com', 'example.com', '93.184.216.34'],
      ['', '', '', '', '', '', '', 'www.example.com', 'example.com', '93.184.216.34'],
      ['', '', '', '', '', '3', '', 'www.example.com', '', ''],
    ]);
  });
});
