import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { emitUdpDatagram, parseUdpDatagram } from '../../../../src/kernel/net/wire/udp';
import { fuzzParser } from './fuzz';

const client = parseIpv4Address('10.0.2.15')!;
const server = parseIpv4Address('10.0.2.3')!;
const datagram = {
  sourcePort: 49152,
  destinationPort: 53,
  payload: new TextEncoder().encode('hello'),
};

describe('UDP datagrams', () => {
  it('round-trips ports and payload', () => {
    const bytes = emitUdpDatagram(datagram, client, server);
    expect([...bytes.subarray(0, 6)]).toEqual([0xc0, 0x00, 0x00, 0x35, 0x00, 13]);
    expect(parseUdpDatagram(bytes, client, server)).toEqual(datagram);
  });

  it('checks the pseudo-header: the same bytes between other addresses fail', () => {
    const bytes = emitUdpDatagram(datagram, client, server);
    expect(() => parseUdpDatagram(bytes, client, parseIpv4Address('10.0.2.2')!)).toThrow(
      /checksum/,
    );
  });

  it('refuses a damaged payload', () => {
    const bytes = emitUdpDatagram(datagram, client, server);
    bytes[9]! ^= 0x20;
    expect(() => parseUdpDatagram(bytes, client, server)).toThrow(MalformedPacket);
  });

  it('accepts checksum 0 as "none computed" without checking', () => {
    const bytes = emitUdpDatagram(datagram, client, server);
    bytes[6] = 0;
    bytes[7] = 0;
    bytes[9]! ^= 0x20; // damage goes unnoticed, as RFC 768 allows
    expect(parseUdpDatagram(bytes, client, server).payload.length).toBe(5);
  });

  it('sends a computed checksum of 0 as 0xffff', () => {
    // With a zero 2-byte payload the checksum is c; a payload word of c makes the
    // sum 0xffff, whose checksum is 0.
    const zero = emitUdpDatagram({ ...datagram, payload: new Uint8Array(2) }, client, server);
    const c = (zero[6]! << 8) | zero[7]!;
    const bytes = emitUdpDatagram(
      { ...datagram, payload: Uint8Array.from([c >>> 8, c & 0xff]) },
      client,
      server,
    );
    expect([bytes[6], bytes[7]]).toEqual([0xff, 0xff]);
    expect(parseUdpDatagram(bytes, client, server).payload).toEqual(
      Uint8Array.from([c >>> 8, c & 0xff]),
    );
  });

  it('takes the payload length from the length field, as a view', () => {
    const padded = new Uint8Array(40);
    padded.set(emitUdpDatagram(datagram, client, server));
    const parsed = parseUdpDatagram(padded, client, server);
    expect(parsed.payload.length).toBe(5);
    expect(parsed.payload.buffer).toBe(padded.buffer);
  });

  it('refuses a short datagram and length fields below 8 or past the buffer', () => {
    expect(() => parseUdpDatagram(new Uint8Array(7), client, server)).toThrow(MalformedPacket);
    const short = emitUdpDatagram(datagram, client, server);
    short[5] = 7;
    expect(() => parseUdpDatagram(short, client, server)).toThrow(/length field 7/);
    const long = emitUdpDatagram(datagram, client, server);
    long[5] = 14;
    expect(() => parseUdpDatagram(long, client, server)).toThrow(/past/);
  });

  it('survives 10,000 mutated datagrams with nothing but MalformedPacket', () => {
    const withoutChecksum = (bytes: Uint8Array) => bytes.length >= 8 && bytes.fill(0, 6, 8);
    const result = fuzzParser(
      (bytes) => parseUdpDatagram(bytes, client, server),
      [
        emitUdpDatagram(datagram, client, server),
        emitUdpDatagram({ ...datagram, payload: new Uint8Array(0) }, client, server),
      ],
      { repair: withoutChecksum },
    );
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
