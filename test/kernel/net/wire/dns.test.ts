import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import {
  buildDnsQuery,
  DNS_CLASS_IN,
  DNS_RCODE_NAME_ERROR,
  DNS_TYPE_A,
  DNS_TYPE_CNAME,
  DNS_TYPE_MX,
  emitDnsMessage,
  encodeDnsName,
  parseDnsMessage,
  type DnsMessage,
} from '../../../../src/kernel/net/wire/dns';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';
import { RESPONSE_WITH_COMPRESSION } from './vectors';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

function header(questions: number, answers: number): number[] {
  return [0xab, 0xcd, 0x81, 0x80, 0, questions, 0, answers, 0, 0, 0, 0];
}

const fullMessage: DnsMessage = {
  id: 0xbeef,
  isResponse: true,
  opcode: 0,
  authoritative: true,
  truncated: false,
  recursionDesired: true,
  recursionAvailable: true,
  responseCode: DNS_RCODE_NAME_ERROR,
  questions: [{ name: 'cotton.example', type: DNS_TYPE_A, class: DNS_CLASS_IN }],
  answers: [
    {
      name: 'cotton.example',
      type: DNS_TYPE_CNAME,
      class: DNS_CLASS_IN,
      ttlSeconds: 60,
      data: { kind: 'cname', name: 'os.cotton.example' },
    },
    {
      name: 'os.cotton.example',
      type: DNS_TYPE_A,
      class: DNS_CLASS_IN,
      ttlSeconds: 0x7fffffff,
      data: { kind: 'a', address: parseIpv4Address('10.0.2.80')! },
    },
  ],
  authorities: [
    {
      name: 'example',
      type: DNS_TYPE_MX,
      class: DNS_CLASS_IN,
      ttlSeconds: 5,
      data: { kind: 'raw', bytes: Uint8Array.from([0, 10, 2, 0x6d, 0x78, 0]) },
    },
  ],
  additionals: [
    {
      name: '',
      type: 41,
      class: 1232,
      ttlSeconds: 0,
      data: { kind: 'raw', bytes: new Uint8Array(0) },
    },
  ],
};

describe('DNS messages', () => {
  it('parses a real response with compressed names (CNAME then A)', () => {
    const message = parseDnsMessage(RESPONSE_WITH_COMPRESSION);
    expect(message).toMatchObject({
      id: 0x1234,
      isResponse: true,
      recursionDesired: true,
      recursionAvailable: true,
      responseCode: 0,
      questions: [{ name: 'www.example.com', type: DNS_TYPE_A, class: DNS_CLASS_IN }],
      authorities: [],
      additionals: [],
    });
    expect(message.answers).toEqual([
      {
        name: 'www.example.com',
        type: DNS_TYPE_CNAME,
        class: DNS_CLASS_IN,
        ttlSeconds: 3600,
        data: { kind: 'cname', name: 'example.com' },
      },
      {
        name: 'example.com',
        type: DNS_TYPE_A,
        class: DNS_CLASS_IN,
        ttlSeconds: 3600,
        data: { kind: 'a', address: parseIpv4Address('93.184.216.34') },
      },
    ]);
  });

  it('builds a standard query byte for byte', () => {
    // biome-ignore format: laid out as the packet is
    expect([...buildDnsQuery(0x1234, 'example.com', DNS_TYPE_A)]).toEqual([
      0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      7, ...ascii('example'), 3, ...ascii('com'), 0, 0x00, 0x01, 0x00, 0x01,
    ]);
    expect(parseDnsMessage(buildDnsQuery(7, 'example.com.', DNS_TYPE_A)).questions[0]!.name).toBe(
      'example.com',
    );
  });

  it('round-trips every header flag, section and record kind', () => {
    expect(parseDnsMessage(emitDnsMessage(fullMessage))).toEqual(fullMessage);
  });

  it('reads a TTL with the top bit set as 0 (RFC 2181 §8)', () => {
    const bytes = Uint8Array.from(RESPONSE_WITH_COMPRESSION);
    bytes[47 + 6] = 0x80;
    expect(parseDnsMessage(bytes).answers[1]!.ttlSeconds).toBe(0);
  });

  it('escapes label bytes that are not printable, dots and backslashes', () => {
    const bytes = Uint8Array.from([
      ...header(1, 0),
      4,
      0x61,
      0x2e,
      0x20,
      0x5c,
      2,
      0xc3,
      0xa9,
      0,
      0,
      1,
      0,
      1,
    ]);
    expect(parseDnsMessage(bytes).questions[0]!.name).toBe('a\\046\\032\\092.\\195\\169');
  });

  describe('name decompression refuses', () => {
    const question = (name: number[]) => Uint8Array.from([...header(1, 0), ...name, 0, 1, 0, 1]);
    it('a pointer to itself', () => {
      expect(() => parseDnsMessage(question([0xc0, 12]))).toThrow(/does not point back/);
    });
    it('a pointer back to the start of its own name (a loop)', () => {
      expect(() => parseDnsMessage(question([1, 0x61, 0xc0, 12]))).toThrow(/does not point back/);
    });
    it('a forward pointer, even to a valid name', () => {
      expect(() => parseDnsMessage(question([0xc0, 14, 0]))).toThrow(/does not point back/);
    });
    it('a pointer cut off by the end of the message', () => {
      expect(() => parseDnsMessage(Uint8Array.from([...header(1, 0), 0xc0]))).toThrow(
        /past the end/,
      );
    });
    it('the reserved label types 01 and 10', () => {
      expect(() => parseDnsMessage(question([0x41, 0]))).toThrow(/reserved label type 0x40/);
      expect(() => parseDnsMessage(question([0x81, 0]))).toThrow(/reserved label type 0x80/);
    });
    it('a label running past the end', () => {
      expect(() => parseDnsMessage(Uint8Array.from([...header(1, 0), 9, 0x61]))).toThrow(
        /past the end/,
      );
    });
    it('a name over 255 bytes, even when built from pointers', () => {
      const label63 = [63, ...new Array(63).fill(0x61)];
      const long = [...label63, ...label63, ...label63, ...label63, 0];
      expect(() => parseDnsMessage(question(long))).toThrow(/longer than 255/);
      // Four questions, each one more 63-byte label in front of a pointer to the one before.
      const chained = [...header(4, 0), ...label63, 0, 0, 1, 0, 1];
      let previous = 12;
      for (let i = 0; i < 3; i++) {
        const start = chained.length;
        chained.push(...label63, 0xc0, previous, 0, 1, 0, 1);
        previous = start;
      }
      expect(() => parseDnsMessage(Uint8Array.from(chained))).toThrow(/longer than 255/);
    });
    it('a name behind more than 127 pointers, and accepts 127', () => {
      const chainOf = (pointers: number) => {
        // A raw record's data: a root name, then pointers each to the one before.
        const chain = [0];
        const dataStart = 12 + 11;
        for (let i = 0; i < pointers; i++) {
          const target = dataStart + (i === 0 ? 0 : 1 + 2 * (i - 1));
          chain.push(0xc0 | (target >>> 8), target & 0xff);
        }
        const last = dataStart + 1 + 2 * (pointers - 1);
        // biome-ignore format: laid out as the packet is
        return Uint8Array.from([
          ...header(0, 2),
          0, 0, 99, 0, 1, 0, 0, 0, 0, chain.length >>> 8, chain.length & 0xff, ...chain,
          0xc0 | (last >>> 8), last & 0xff, 0, 99, 0, 1, 0, 0, 0, 0, 0, 0,
        ]);
      };
      // The second record's name is one more pointer, to the end of the chain.
      expect(parseDnsMessage(chainOf(126)).answers[1]!.name).toBe('');
      expect(() => parseDnsMessage(chainOf(127))).toThrow(/too many compression pointers/);
    });
  });

  it('refuses records whose data does not fit or does not match the type', () => {
    const shortA = Uint8Array.from(RESPONSE_WITH_COMPRESSION);
    shortA[47 + 11] = 3; // RDLENGTH 3 for an A record
    expect(() => parseDnsMessage(shortA)).toThrow(/A record with 3 bytes/);
    const cname = Uint8Array.from(RESPONSE_WITH_COMPRESSION);
    cname[33 + 11] = 3; // CNAME data longer than its name
    expect(() => parseDnsMessage(cname)).toThrow(MalformedPacket);
    expect(() => parseDnsMessage(RESPONSE_WITH_COMPRESSION.subarray(0, 60))).toThrow(
      /record data runs past/,
    );
    expect(() => parseDnsMessage(RESPONSE_WITH_COMPRESSION.subarray(0, 11))).toThrow(/header/);
    const moreAnswers = Uint8Array.from(RESPONSE_WITH_COMPRESSION);
    moreAnswers[7] = 3;
    expect(() => parseDnsMessage(moreAnswers)).toThrow(MalformedPacket);
  });

  describe('name encoding', () => {
    it('writes labels and the root', () => {
      expect(encodeDnsName('a.bc')).toEqual([1, 0x61, 2, 0x62, 0x63, 0]);
      expect(encodeDnsName('')).toEqual([0]);
      expect(encodeDnsName('.')).toEqual([0]);
    });
    it('accepts a 63-byte label and a 255-byte name, and nothing longer', () => {
      const label = (n: number) => 'x'.repeat(n);
      expect(encodeDnsName(label(63)).length).toBe(65);
      const longest = [label(63), label(63), label(63), label(61)].join('.');
      expect(encodeDnsName(longest).length).toBe(255);
      expect(() => encodeDnsName(label(64))).toThrow(/longer than 63/);
      expect(() => encodeDnsName(`${longest}x`)).toThrow(/longer than 255/);
    });
    it('refuses empty labels and characters it cannot send', () => {
      expect(() => encodeDnsName('a..b')).toThrow(/empty label/);
      expect(() => encodeDnsName('.a')).toThrow(/empty label/);
      expect(() => encodeDnsName('a b')).toThrow(RangeError);
      expect(() => encodeDnsName('caf\u00e9')).toThrow(RangeError);
      expect(() => encodeDnsName('a\\046b')).toThrow(RangeError);
    });
  });

  it('survives 10,000 mutated messages with nothing but MalformedPacket', () => {
    const result = fuzzParser(parseDnsMessage, [
      RESPONSE_WITH_COMPRESSION,
      emitDnsMessage(fullMessage),
      buildDnsQuery(1, 'www.example.com', DNS_TYPE_A),
    ]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
