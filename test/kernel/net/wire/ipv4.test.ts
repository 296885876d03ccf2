import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { internetChecksum } from '../../../../src/kernel/net/wire/checksum';
import {
  emitIpv4Packet,
  IPV4_PROTOCOL_ICMP,
  IPV4_PROTOCOL_UDP,
  isFragment,
  parseIpv4Packet,
  type Ipv4Packet,
} from '../../../../src/kernel/net/wire/ipv4';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';

const source = parseIpv4Address('10.0.2.15')!;
const destination = parseIpv4Address('10.0.2.2')!;

/** Recompute the header checksum after a test changed the header. */
function fixHeaderChecksum(bytes: Uint8Array): void {
  if (bytes.length < 20) return;
  const headerLength = Math.min(bytes.length, (bytes[0]! & 0x0f) * 4);
  bytes[10] = 0;
  bytes[11] = 0;
  const checksum = internetChecksum(bytes, 0, headerLength);
  bytes[10] = checksum >>> 8;
  bytes[11] = checksum & 0xff;
}

const packet: Ipv4Packet = {
  typeOfService: 0x10,
  identification: 0xbeef,
  dontFragment: true,
  moreFragments: false,
  fragmentOffset: 0,
  ttl: 63,
  protocol: IPV4_PROTOCOL_UDP,
  source,
  destination,
  payload: Uint8Array.from({ length: 33 }, (_, i) => i * 7),
};

describe('IPv4 packets', () => {
  it('parses a known header (192.168.0.1 -> 192.168.0.199, UDP, checksum b861)', () => {
    // biome-ignore format: laid out as the packet is
    const bytes = Uint8Array.from([
      0x45, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61,
      0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    bytes[3] = 28; // total length of this shortened copy (the original said 0x73)
    fixHeaderChecksum(bytes);
    const parsed = parseIpv4Packet(bytes);
    expect(parsed.source).toBe(parseIpv4Address('192.168.0.1'));
    expect(parsed.destination).toBe(parseIpv4Address('192.168.0.199'));
    expect(parsed.protocol).toBe(IPV4_PROTOCOL_UDP);
    expect(parsed.ttl).toBe(64);
    expect(parsed.dontFragment).toBe(true);
    expect([...parsed.payload]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('writes a header checksum that a real header would carry', () => {
    const bytes = emitIpv4Packet({
      protocol: IPV4_PROTOCOL_UDP,
      source: parseIpv4Address('192.168.0.1')!,
      destination: parseIpv4Address('192.168.0.199')!,
      payload: new Uint8Array(0x73 - 20),
      dontFragment: true,
    });
    // biome-ignore format: laid out as the packet is
    expect([...bytes.subarray(0, 20)]).toEqual([
      0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61,
      0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
    ]);
  });

  it('round-trips every field', () => {
    expect(parseIpv4Packet(emitIpv4Packet(packet))).toEqual(packet);
    const fragment = { ...packet, dontFragment: false, moreFragments: true, fragmentOffset: 1480 };
    expect(parseIpv4Packet(emitIpv4Packet(fragment))).toEqual(fragment);
  });

  it('defaults to TTL 64, no flags, identification 0', () => {
    const parsed = parseIpv4Packet(
      emitIpv4Packet({
        protocol: IPV4_PROTOCOL_ICMP,
        source,
        destination,
        payload: new Uint8Array(8),
      }),
    );
    expect(parsed).toMatchObject({
      ttl: 64,
      dontFragment: false,
      moreFragments: false,
      identification: 0,
    });
  });

  it('drops link-layer padding after the total length, and gives the payload as a view', () => {
    const bytes = new Uint8Array(100);
    bytes.set(emitIpv4Packet({ ...packet, payload: new Uint8Array(8).fill(9) }));
    const parsed = parseIpv4Packet(bytes);
    expect(parsed.payload.length).toBe(8);
    expect(parsed.payload.buffer).toBe(bytes.buffer);
  });

  it('skips options (IHL 6: one word of NOPs)', () => {
    const plain = emitIpv4Packet(packet);
    const withOptions = new Uint8Array(plain.length + 4);
    withOptions.set(plain.subarray(0, 20));
    withOptions.set([1, 1, 1, 0], 20); // NOP NOP NOP END
    withOptions.set(plain.subarray(20), 24);
    withOptions[0] = 0x46;
    withOptions[3] = withOptions.length;
    fixHeaderChecksum(withOptions);
    expect([...parseIpv4Packet(withOptions).payload]).toEqual([...packet.payload]);
  });

  it('tells fragments apart: more-fragments or a non-zero offset', () => {
    expect(isFragment(packet)).toBe(false);
    expect(isFragment({ ...packet, moreFragments: true })).toBe(true);
    expect(isFragment({ ...packet, fragmentOffset: 8 })).toBe(true);
  });

  it('refuses to emit an unrepresentable fragment offset or an oversized packet', () => {
    expect(() => emitIpv4Packet({ ...packet, fragmentOffset: 12 })).toThrow(RangeError);
    expect(() => emitIpv4Packet({ ...packet, fragmentOffset: 65536 })).toThrow(RangeError);
    expect(() => emitIpv4Packet({ ...packet, payload: new Uint8Array(65516) })).toThrow(RangeError);
  });

  /** Overwrite `values` at `offset` and hand the bytes on. */
  const patched = (bytes: Uint8Array, offset: number, values: number[]) => {
    bytes.set(values, offset);
    return bytes;
  };
  const damaged: [string, (bytes: Uint8Array) => Uint8Array, RegExp][] = [
    ['a packet shorter than 20 bytes', (b) => b.subarray(0, 19), /packet of 19 bytes/],
    ['version 6', (b) => patched(b, 0, [0x65]), /version 6/],
    ['IHL 4', (b) => patched(b, 0, [0x44]), /header length 16/],
    ['IHL past the buffer', (b) => patched(b, 0, [0x4f]).subarray(0, 40), /past the end/],
    ['total length below the header', (b) => patched(b, 2, [0, 19]), /total length 19/],
    ['total length past the buffer', (b) => patched(b, 2, [0, b.length + 1]), /past/],
  ];
  it.each(damaged)('refuses %s', (_name, damage, message) => {
    const bytes = damage(emitIpv4Packet(packet));
    fixHeaderChecksum(bytes);
    expect(() => parseIpv4Packet(bytes)).toThrow(message);
  });

  it('refuses a header whose checksum does not verify', () => {
    const bytes = emitIpv4Packet(packet);
    bytes[8] = 1; // TTL changed in transit without a new checksum
    expect(() => parseIpv4Packet(bytes)).toThrow(/checksum/);
    expect(() => parseIpv4Packet(bytes)).toThrow(MalformedPacket);
  });

  it('survives 10,000 mutated packets with nothing but MalformedPacket', () => {
    const samples = [
      emitIpv4Packet(packet),
      emitIpv4Packet({ ...packet, payload: new Uint8Array(0) }),
    ];
    const result = fuzzParser(parseIpv4Packet, samples, { repair: fixHeaderChecksum });
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
