import { describe, expect, it } from 'vitest';
import {
  buildDnsMessage,
  DnsFormatError,
  encodeDnsName,
  parseDnsMessage,
  readDnsName,
} from '../../../src/emu/net/dns';
import { buildDhcp, parseDhcp } from '../../../src/emu/net/dhcp';
import { parseMac } from '../../../src/emu/net/ethernet';
import { parseIpv4, pseudoHeaderChecksum } from '../../../src/emu/net/ipv4';
import { buildTcp, parseTcp } from '../../../src/emu/net/tcp';
import { buildUdp, parseUdp } from '../../../src/emu/net/udp';
import { parseHttpRequest } from '../../../src/emu/net/http-message';

const A = parseIpv4('10.0.2.15');
const B = parseIpv4('93.184.215.14');

describe('UDP', () => {
  it('round-trips with a checksum over the pseudo-header, and rejects a flipped bit or a wrong address', () => {
    const bytes = buildUdp(
      { sourcePort: 1234, destinationPort: 53, payload: Uint8Array.of(1, 2, 3) },
      A,
      B,
    );
    expect(bytes.length).toBe(11);
    expect(parseUdp(bytes, A, B)).toEqual({
      sourcePort: 1234,
      destinationPort: 53,
      payload: Uint8Array.of(1, 2, 3),
    });
    expect(parseUdp(bytes, A, parseIpv4('93.184.215.15'))).toBeNull();
    const flipped = bytes.slice();
    flipped[9]! ^= 1;
    expect(parseUdp(flipped, A, B)).toBeNull();
  });

  it('accepts a zero checksum (none computed) and rejects lengths beyond the data', () => {
    const bytes = buildUdp({ sourcePort: 1, destinationPort: 2, payload: new Uint8Array(4) }, A, B);
    bytes[6] = bytes[7] = 0;
    expect(parseUdp(bytes, A, B)).not.toBeNull();
    bytes[5] = 40;
    expect(parseUdp(bytes, A, B)).toBeNull();
    expect(parseUdp(new Uint8Array(7), A, B)).toBeNull();
  });
});

describe('TCP segments', () => {
  const segment = {
    sourcePort: 80,
    destinationPort: 40000,
    sequence: 0xfffffff0,
    acknowledgment: 5,
    flags: 0x12,
    window: 65535,
    maxSegmentSize: 1460,
    payload: Uint8Array.of(9, 8),
  };

  it('round-trips, with the MSS option making a 24-byte header', () => {
    const bytes = buildTcp(segment, B, A);
    expect(bytes[12]! >> 4).toBe(6);
    expect(pseudoHeaderChecksum(B, A, 6, bytes)).toBe(0);
    expect(parseTcp(bytes, B, A)).toEqual(segment);
    expect(
      parseTcp(buildTcp({ ...segment, maxSegmentSize: null }, B, A), B, A)!.maxSegmentSize,
    ).toBeNull();
  });

  it('skips NOPs and unknown options, and rejects options that run past the header', () => {
    const bytes = new Uint8Array(32);
    bytes[12] = 8 << 4;
    bytes.set([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], 20); // NOP NOP timestamps
    bytes.set([0, 0], 16);
    const checksum = pseudoHeaderChecksum(A, B, 6, bytes);
    bytes.set([checksum >> 8, checksum & 0xff], 16);
    expect(parseTcp(bytes, A, B)!.maxSegmentSize).toBeNull();
    const broken = bytes.slice();
    broken.set([0, 0], 16);
    broken[23] = 40; // the timestamps option claims 40 bytes
    const fixed = pseudoHeaderChecksum(A, B, 6, broken);
    broken.set([fixed >> 8, fixed & 0xff], 16);
    expect(parseTcp(broken, A, B)).toBeNull();
    expect(parseTcp(bytes.subarray(0, 19), A, B)).toBeNull();
  });
});

describe('DNS names and messages', () => {
  it('reads compressed names and refuses pointers forward or into a loop', () => {
    const message = Uint8Array.from([
      ...new Uint8Array(12),
      7,
      ...Array.from('example', (c) => c.charCodeAt(0)),
      3,
      99,
      111,
      109,
      0,
      3,
      119,
      119,
      119,
      0xc0,
      12,
    ]);
    expect(readDnsName(message, 25)).toEqual({ name: 'www.example.com', next: 31 });
    expect(() => readDnsName(Uint8Array.from([...new Uint8Array(12), 0xc0, 14, 0]), 12)).toThrow(
      DnsFormatError,
    );
    expect(() =>
      readDnsName(Uint8Array.from([...new Uint8Array(12), 1, 97, 0xc0, 12]), 12),
    ).toThrow(DnsFormatError);
  });

  it('refuses labels over 63 bytes and names over 255', () => {
    expect(() => encodeDnsName('a'.repeat(64))).toThrow(DnsFormatError);
    expect(() => encodeDnsName(Array(64).fill('abc').join('.'))).toThrow(DnsFormatError);
    expect(encodeDnsName('')).toEqual(Uint8Array.of(0));
  });

  it('round-trips a message with records', () => {
    const message = {
      id: 7,
      flags: 0x8180,
      questions: [{ name: 'example.com', type: 1, class: 1 }],
      answers: [
        {
          name: 'example.com',
          type: 1,
          class: 1,
          ttl: 0x12345678,
          data: Uint8Array.of(1, 2, 3, 4),
        },
      ],
      authority: [],
      additional: [],
    };
    expect(parseDnsMessage(buildDnsMessage(message))).toEqual(message);
  });
});

describe('DHCP messages', () => {
  it('round-trip with options in order, padded to 300 bytes', () => {
    const options = new Map([
      [53, Uint8Array.of(1)],
      [61, Uint8Array.of(1, 2, 3)],
    ]);
    const bytes = buildDhcp({
      op: 1,
      xid: 0xdeadbeef,
      chaddr: parseMac('52:54:00:12:34:56'),
      options,
    });
    expect(bytes.length).toBe(300);
    const parsed = parseDhcp(bytes)!;
    expect(parsed.xid).toBe(0xdeadbeef);
    expect([...parsed.options]).toEqual([...options]);
    const wrongCookie = bytes.slice();
    wrongCookie[236] = 0;
    expect(parseDhcp(wrongCookie)).toBeNull();
  });
});

describe('HTTP requests', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('waits for the whole head and body, and says how long the request was', () => {
    expect(parseHttpRequest(bytes('GET / HTTP/1.1\r\nHost: x\r\n')).kind).toBe('incomplete');
    expect(parseHttpRequest(bytes('GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab')).kind).toBe(
      'incomplete',
    );
    const first =
      'GET /a?b HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc';
    const parsed = parseHttpRequest(bytes(`${first}GET`));
    expect(parsed).toMatchObject({
      kind: 'request',
      length: first.length,
      request: { method: 'GET', target: '/a?b', version: 'HTTP/1.1' },
    });
    if (parsed.kind === 'request') expect(parsed.request.headers.get('x-a')).toBe('1, 2');
  });

  it('rejects bad request lines, versions, fields and oversized heads with their status', () => {
    expect(parseHttpRequest(bytes('GET /\r\n\r\n'))).toMatchObject({
      kind: 'invalid',
      status: 400,
    });
    expect(parseHttpRequest(bytes('GET / HTTP/2.0\r\n\r\n'))).toMatchObject({
      kind: 'invalid',
      status: 505,
    });
    expect(parseHttpRequest(bytes('GET / HTTP/1.1\r\nHost : x\r\n\r\n'))).toMatchObject({
      kind: 'invalid',
      status: 400,
    });
    expect(parseHttpRequest(bytes('GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n'))).toMatchObject({
      kind: 'invalid',
      status: 400,
    });
    expect(parseHttpRequest(bytes(`GET / HTTP/1.1\r\nX: ${'a'.repeat(9000)}`))).toMatchObject({
      kind: 'invalid',
      status: 431,
    });
  });
});
