import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { internetChecksum } from '../../../../src/kernel/net/wire/checksum';
import {
  emitIcmpMessage,
  ICMP_CODE_PORT_UNREACHABLE,
  ICMP_CODE_TTL_EXCEEDED_IN_TRANSIT,
  ICMP_TYPE_DESTINATION_UNREACHABLE,
  ICMP_TYPE_ECHO_REPLY,
  ICMP_TYPE_ECHO_REQUEST,
  ICMP_TYPE_TIME_EXCEEDED,
  isIcmpEcho,
  parseIcmpMessage,
  type IcmpMessage,
} from '../../../../src/kernel/net/wire/icmp';
import { emitIpv4Packet, IPV4_PROTOCOL_UDP } from '../../../../src/kernel/net/wire/ipv4';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';

function fixChecksum(bytes: Uint8Array): void {
  if (bytes.length < 4) return;
  bytes[2] = 0;
  bytes[3] = 0;
  const checksum = internetChecksum(bytes);
  bytes[2] = checksum >>> 8;
  bytes[3] = checksum & 0xff;
}

const echoRequest: IcmpMessage = {
  type: ICMP_TYPE_ECHO_REQUEST,
  identifier: 0x1234,
  sequenceNumber: 7,
  data: new TextEncoder().encode('abcdefghijklmnopqrstuvwabcdefghi'),
};

const undeliverable = emitIpv4Packet({
  protocol: IPV4_PROTOCOL_UDP,
  source: parseIpv4Address('10.0.2.15')!,
  destination: parseIpv4Address('10.0.2.3')!,
  payload: Uint8Array.from([0xc0, 0x00, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]),
});

describe('ICMP messages', () => {
  it('lays out an echo request as type, code, checksum, identifier, sequence, data', () => {
    const bytes = emitIcmpMessage({
      type: ICMP_TYPE_ECHO_REQUEST,
      identifier: 1,
      sequenceNumber: 2,
      data: Uint8Array.from([0xaa]),
    });
    // sum = 0x0800 + 0x0001 + 0x0002 + 0xaa00 = 0xb203, checksum = ~0xb203 = 0x4dfc
    expect([...bytes]).toEqual([8, 0, 0x4d, 0xfc, 0, 1, 0, 2, 0xaa]);
  });

  it('round-trips echo requests and replies', () => {
    expect(parseIcmpMessage(emitIcmpMessage(echoRequest))).toEqual(echoRequest);
    const reply: IcmpMessage = { ...echoRequest, type: ICMP_TYPE_ECHO_REPLY };
    expect(parseIcmpMessage(emitIcmpMessage(reply))).toEqual(reply);
  });

  it('round-trips destination unreachable and time exceeded, quoting the original datagram', () => {
    const original = undeliverable.subarray(0, 28);
    for (const message of [
      {
        type: ICMP_TYPE_DESTINATION_UNREACHABLE,
        code: ICMP_CODE_PORT_UNREACHABLE,
        originalDatagram: original,
      },
      {
        type: ICMP_TYPE_TIME_EXCEEDED,
        code: ICMP_CODE_TTL_EXCEEDED_IN_TRANSIT,
        originalDatagram: original,
      },
    ] as IcmpMessage[]) {
      const bytes = emitIcmpMessage(message);
      expect([...bytes.subarray(4, 8)]).toEqual([0, 0, 0, 0]); // "unused"
      const parsed = parseIcmpMessage(bytes);
      expect(parsed).toEqual(message);
      expect(isIcmpEcho(parsed)).toBe(false);
    }
  });

  it('refuses a bad checksum, a short message, an echo with a code, and other types', () => {
    const bytes = emitIcmpMessage(echoRequest);
    bytes[bytes.length - 1]! ^= 1;
    expect(() => parseIcmpMessage(bytes)).toThrow(/checksum/);
    expect(() => parseIcmpMessage(new Uint8Array(7))).toThrow(MalformedPacket);
    const withCode = emitIcmpMessage(echoRequest);
    withCode[1] = 1;
    fixChecksum(withCode);
    expect(() => parseIcmpMessage(withCode)).toThrow(/code 1/);
    const timestamp = emitIcmpMessage(echoRequest);
    timestamp[0] = 13;
    fixChecksum(timestamp);
    expect(() => parseIcmpMessage(timestamp)).toThrow(/unsupported type 13/);
  });

  it('survives 10,000 mutated messages with nothing but MalformedPacket', () => {
    const samples = [
      emitIcmpMessage(echoRequest),
      emitIcmpMessage({
        type: ICMP_TYPE_DESTINATION_UNREACHABLE,
        code: 3,
        originalDatagram: undeliverable,
      }),
    ];
    const result = fuzzParser(parseIcmpMessage, samples, { repair: fixChecksum });
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
