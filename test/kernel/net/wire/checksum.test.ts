import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { internetChecksum, pseudoHeaderSum } from '../../../../src/kernel/net/wire/checksum';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('internetChecksum', () => {
  it('matches the worked example of RFC 1071 §3 (sum ddf2, checksum 220d)', () => {
    expect(internetChecksum(bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7))).toBe(0x220d);
  });

  it('checks a real IPv4 header (checksum field b861)', () => {
    // biome-ignore format: laid out as the packet is
    const header = bytes(
      0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
      0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
    );
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0);
  });

  it('pads an odd last byte with a zero low byte', () => {
    expect(internetChecksum(bytes(0x12, 0x34, 0x56))).toBe(~(0x1234 + 0x5600) & 0xffff);
    expect(internetChecksum(bytes(0xab))).toBe(~0xab00 & 0xffff);
  });

  it('folds carries out of bit 15 back in (end-around carry)', () => {
    // 0xffff + 0x0001 = 0x10000 -> 0x0001 -> checksum 0xfffe
    expect(internetChecksum(bytes(0xff, 0xff, 0x00, 0x01))).toBe(0xfffe);
    // A long run of 0xffff words: the sum never falls to 0, the checksum stays 0.
    expect(internetChecksum(new Uint8Array(100_000).fill(0xff))).toBe(0);
  });

  it('gives 0xffff for an all-zero buffer and for nothing at all', () => {
    expect(internetChecksum(new Uint8Array(10))).toBe(0xffff);
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
  });

  it('covers only offset..offset+length', () => {
    const buffer = bytes(0x99, 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x99);
    expect(internetChecksum(buffer, 1, 8)).toBe(0x220d);
    expect(internetChecksum(buffer, 1, 3)).toBe(~(0x0001 + 0xf200) & 0xffff);
  });

  it('continues from an initial sum, as if the bytes it stands for came first', () => {
    const all = bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    const firstHalfSum = 0x0001 + 0xf203;
    expect(internetChecksum(all, 4, 4, firstHalfSum)).toBe(0x220d);
  });
});

describe('pseudoHeaderSum', () => {
  it('adds the address halves, protocol and length', () => {
    const source = parseIpv4Address('10.0.2.15')!;
    const destination = parseIpv4Address('10.0.2.3')!;
    expect(pseudoHeaderSum(source, destination, 17, 40)).toBe(
      0x0a00 + 0x020f + 0x0a00 + 0x0203 + 17 + 40,
    );
  });

  it('makes a real UDP datagram check out (DNS query to 10.0.2.3)', () => {
    // UDP header (checksum 0 for now) + 5-byte payload, 13 bytes: an odd length.
    const udp = bytes(0xc0, 0x00, 0x00, 0x35, 0x00, 0x0d, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f);
    const initial = pseudoHeaderSum(
      parseIpv4Address('10.0.2.15')!,
      parseIpv4Address('10.0.2.3')!,
      17,
      13,
    );
    const checksum = internetChecksum(udp, 0, udp.length, initial);
    udp[6] = checksum >>> 8;
    udp[7] = checksum & 0xff;
    expect(internetChecksum(udp, 0, udp.length, initial)).toBe(0);
  });
});
