import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  BOOTP_MIN_MESSAGE_LENGTH,
  BOOTP_OPERATION_REPLY,
  BOOTP_OPERATION_REQUEST,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SUBNET_MASK,
  DHCPACK,
  DHCPDISCOVER,
  DHCPOFFER,
  emitDhcpMessage,
  parseDhcpMessage,
  type DhcpMessage,
} from '../../../../src/kernel/net/wire/dhcp';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';

const ip = (text: string) => parseIpv4Address(text)!;

/** The fixed BOOTP part and the magic cookie of an offer, byte by byte (RFC 2131 §2). */
// biome-ignore format: laid out as the packet is
const OFFER_FIXED_PART = [
  0x02, 0x01, 0x06, 0x00, // op BOOTREPLY, htype Ethernet, hlen 6, hops 0
  0x39, 0x03, 0xf3, 0x26, // xid
  0x00, 0x00, 0x00, 0x00, // secs, flags
  0, 0, 0, 0, // ciaddr
  10, 0, 2, 15, // yiaddr: the offered address
  10, 0, 2, 2, // siaddr
  0, 0, 0, 0, // giaddr
  0x52, 0x54, 0x00, 0x12, 0x34, 0x56, ...new Array(10).fill(0), // chaddr
  ...new Array(64 + 128).fill(0), // sname, file
  99, 130, 83, 99, // magic cookie
];

/** The options QEMU's built-in DHCP server puts in an offer. */
// biome-ignore format: laid out as the packet is
const OFFER_OPTIONS = [
  53, 1, 2, // message type: DHCPOFFER
  54, 4, 10, 0, 2, 2, // server identifier
  51, 4, 0x00, 0x01, 0x51, 0x80, // lease time: 86400 s
  1, 4, 255, 255, 255, 0, // subnet mask
  3, 4, 10, 0, 2, 2, // router
  6, 4, 10, 0, 2, 3, // DNS server
  255,
];

function messageWithOptions(options: number[]): Uint8Array {
  return Uint8Array.from([...OFFER_FIXED_PART, ...options]);
}

const discover: DhcpMessage = {
  operation: BOOTP_OPERATION_REQUEST,
  transactionId: 0xdeadbeef,
  secondsElapsed: 3,
  broadcast: true,
  clientAddress: 0,
  yourAddress: 0,
  serverAddress: 0,
  relayAgentAddress: 0,
  clientMac: '52:54:00:12:34:56',
  options: {
    messageType: DHCPDISCOVER,
    requestedAddress: ip('10.0.2.15'),
    parameterRequestList: [DHCP_OPTION_SUBNET_MASK, DHCP_OPTION_ROUTER, DHCP_OPTION_DNS_SERVERS],
  },
};

const ack: DhcpMessage = {
  operation: BOOTP_OPERATION_REPLY,
  transactionId: 0xdeadbeef,
  secondsElapsed: 0,
  broadcast: false,
  clientAddress: 0,
  yourAddress: ip('10.0.2.15'),
  serverAddress: ip('10.0.2.2'),
  relayAgentAddress: ip('10.0.9.1'),
  clientMac: '52:54:00:12:34:56',
  options: {
    messageType: DHCPACK,
    serverIdentifier: ip('10.0.2.2'),
    leaseTimeSeconds: 86400,
    renewalTimeSeconds: 43200,
    rebindingTimeSeconds: 75600,
    subnetMask: ip('255.255.255.0'),
    routers: [ip('10.0.2.2')],
    dnsServers: [ip('10.0.2.3'), ip('1.1.1.1')],
  },
};

describe('DHCP messages', () => {
  it('parses an offer as QEMU sends it', () => {
    expect(parseDhcpMessage(messageWithOptions(OFFER_OPTIONS))).toEqual({
      operation: BOOTP_OPERATION_REPLY,
      transactionId: 0x3903f326,
      secondsElapsed: 0,
      broadcast: false,
      clientAddress: 0,
      yourAddress: ip('10.0.2.15'),
      serverAddress: ip('10.0.2.2'),
      relayAgentAddress: 0,
      clientMac: '52:54:00:12:34:56',
      options: {
        messageType: DHCPOFFER,
        serverIdentifier: ip('10.0.2.2'),
        leaseTimeSeconds: 86400,
        subnetMask: ip('255.255.255.0'),
        routers: [ip('10.0.2.2')],
        dnsServers: [ip('10.0.2.3')],
      },
    });
  });

  it('emits the same fixed part and options', () => {
    const offer = parseDhcpMessage(messageWithOptions(OFFER_OPTIONS));
    const bytes = emitDhcpMessage(offer);
    expect([...bytes.subarray(0, 240)]).toEqual(OFFER_FIXED_PART);
    // Same options, in the emitter's order: type, server id, lease, mask, router, DNS, END.
    expect([...bytes.subarray(240, 240 + OFFER_OPTIONS.length)]).toEqual(OFFER_OPTIONS);
  });

  it('round-trips a discover and an ack with every supported option', () => {
    expect(parseDhcpMessage(emitDhcpMessage(discover))).toEqual(discover);
    expect(parseDhcpMessage(emitDhcpMessage(ack))).toEqual(ack);
  });

  it('pads emitted messages to the 300-byte BOOTP minimum, and sets the broadcast flag', () => {
    const bytes = emitDhcpMessage(discover);
    expect(bytes.length).toBe(BOOTP_MIN_MESSAGE_LENGTH);
    expect([bytes[10], bytes[11]]).toEqual([0x80, 0x00]);
  });

  it('skips PAD and options it does not know', () => {
    const options = [0, 0, 53, 1, 5, 0, 12, 5, 0x63, 0x6f, 0x74, 0x74, 0x6e, 0, 255];
    expect(parseDhcpMessage(messageWithOptions(options)).options).toEqual({ messageType: DHCPACK });
  });

  it('stops at END: what follows is padding', () => {
    expect(parseDhcpMessage(messageWithOptions([53, 1, 2, 255, 99, 99])).options).toEqual({
      messageType: DHCPOFFER,
    });
  });

  it.each([
    ['an option running past the end', [53, 1, 2, 6, 8, 10, 0, 2, 3], /overruns/],
    ['an option without its length byte', [53], /no length byte/],
    ['options without END', [53, 1, 2], /without an END/],
    ['a 2-byte message type', [53, 2, 2, 0, 255], /must be 1 byte/],
    ['a 3-byte subnet mask', [1, 3, 255, 255, 255, 255], /must be 4 bytes/],
    ['a 5-byte lease time', [51, 5, 0, 0, 0, 0, 0, 255], /must be 4 bytes/],
    ['a router list of 6 bytes', [3, 6, 10, 0, 2, 2, 10, 0, 255], /list of addresses/],
    ['an empty DNS server list', [6, 0, 255], /list of addresses/],
    ['an empty parameter request list', [55, 0, 255], /empty parameter/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => parseDhcpMessage(messageWithOptions(options))).toThrow(message);
  });

  it('refuses a missing magic cookie, a bad operation, other hardware, a short message', () => {
    const damage = (offset: number, value: number) => {
      const bytes = emitDhcpMessage(discover);
      bytes[offset] = value;
      return bytes;
    };
    expect(() => parseDhcpMessage(damage(236, 0))).toThrow(/magic cookie/);
    expect(() => parseDhcpMessage(damage(0, 3))).toThrow(/operation 3/);
    expect(() => parseDhcpMessage(damage(1, 6))).toThrow(/not Ethernet/);
    expect(() => parseDhcpMessage(damage(2, 16))).toThrow(/not Ethernet/);
    expect(() => parseDhcpMessage(new Uint8Array(239))).toThrow(MalformedPacket);
  });

  it('refuses to emit an option it cannot encode', () => {
    expect(() => emitDhcpMessage({ ...ack, options: { routers: [] } })).toThrow(RangeError);
    const tooMany = new Array(64).fill(ip('10.0.2.3'));
    expect(() => emitDhcpMessage({ ...ack, options: { dnsServers: tooMany } })).toThrow(RangeError);
  });

  it('survives 10,000 mutated messages with nothing but MalformedPacket', () => {
    // Cut the zero padding so that mutations land on the options more often.
    const trimmed = (message: DhcpMessage) => {
      const bytes = emitDhcpMessage(message);
      return bytes.subarray(0, bytes.lastIndexOf(255) + 1);
    };
    const result = fuzzParser(parseDhcpMessage, [
      trimmed(discover),
      trimmed(ack),
      messageWithOptions(OFFER_OPTIONS),
    ]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
