import { describe, expect, it } from 'vitest';
import { BOOK_ZONE } from '../../../src/emu/net/book-hosts';
import {
  DNS_TYPE_AAAA,
  parseDnsMessage,
  readDnsName,
  type DnsMessage,
} from '../../../src/emu/net/dns';
import { formatIpv4, parseIpv4 } from '../../../src/emu/net/ipv4';
import { TestGuest } from './test-guest';

const DNS = parseIpv4('10.0.2.3');

/** A query written out by hand: header (RD set), one question. */
function query(name: string, type: number, id = 0xabcd, klass = 1): Uint8Array {
  const labels = name
    .split('.')
    .flatMap((label) => [label.length, ...Array.from(label, (c) => c.charCodeAt(0))]);
  return Uint8Array.from([
    id >> 8,
    id & 0xff,
    0x01,
    0x00,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...labels,
    0,
    type >> 8,
    type & 0xff,
    0,
    klass,
  ]);
}

function ask(guest: TestGuest, payload: Uint8Array): Uint8Array | null {
  const before = guest.udp.length;
  guest.sendUdp(DNS, 5353, 53, payload);
  guest.runFor(5);
  const answers = guest.udp.slice(before);
  if (answers.length === 0) return null;
  expect(answers).toHaveLength(1);
  expect(formatIpv4(answers[0]!.source)).toBe('10.0.2.3');
  expect(answers[0]!.sourcePort).toBe(53);
  expect(answers[0]!.destinationPort).toBe(5353);
  return answers[0]!.payload;
}

function resolve(guest: TestGuest, name: string, type: number): DnsMessage {
  const response = ask(guest, query(name, type))!;
  const message = parseDnsMessage(response);
  expect(message.id).toBe(0xabcd);
  expect(message.flags & 0x8000).toBe(0x8000); // QR
  expect(message.flags & 0x0100).toBe(0x0100); // RD copied
  expect(message.flags & 0x0080).toBe(0x0080); // RA
  expect(message.questions).toEqual([{ name, type, class: 1 }]);
  return message;
}

const rcode = (message: DnsMessage) => message.flags & 0x0f;

describe('DNS server at 10.0.2.3', () => {
  it('answers an A query for example.com with its address and TTL, authoritatively', () => {
    const guest = new TestGuest();
    const message = resolve(guest, 'example.com', 1);
    expect(rcode(message)).toBe(0);
    expect(message.flags & 0x0400).toBe(0x0400);
    expect(message.answers).toHaveLength(1);
    expect(message.answers[0]).toMatchObject({ name: 'example.com', type: 1, class: 1, ttl: 3600 });
    expect(formatIpv4(message.answers[0]!.data)).toBe('93.184.215.14');
  });

  it("follows www.example.com's CNAME to the A record, both in the answer", () => {
    const guest = new TestGuest();
    const message = resolve(guest, 'www.example.com', 1);
    expect(message.answers.map((r) => [r.name, r.type])).toEqual([
      ['www.example.com', 5],
      ['example.com', 1],
    ]);
    expect(readDnsName(message.answers[0]!.data, 0).name).toBe('example.com');
    expect(formatIpv4(message.answers[1]!.data)).toBe('93.184.215.14');
  });

  it('answers a CNAME query with the alias alone', () => {
    const message = resolve(new TestGuest(), 'www.example.com', 5);
    expect(message.answers.map((r) => r.type)).toEqual([5]);
  });

  it("resolves every A name of the zone to its address, case-insensitively, keeping the asker's case", () => {
    const guest = new TestGuest();
    for (const entry of BOOK_ZONE.filter((e) => e.type === 'A')) {
      const asked = entry.name.toUpperCase();
      const message = resolve(guest, asked, 1);
      expect(message.answers[0]!.name).toBe(asked);
      expect(formatIpv4(message.answers[0]!.data)).toBe(entry.value);
    }
  });

  it('gives NOERROR with no answer for a type the name lacks (AAAA) and for cotton.test itself', () => {
    const guest = new TestGuest();
    for (const [name, type] of [
      ['example.com', DNS_TYPE_AAAA],
      ['cotton.test', 1],
    ] as const) {
      const message = resolve(guest, name, type);
      expect(rcode(message)).toBe(0);
      expect(message.answers).toHaveLength(0);
    }
  });

  it('answers NXDOMAIN for names outside the zone, without AA for other domains', () => {
    const guest = new TestGuest();
    const outside = resolve(guest, 'google.com', 1);
    expect(rcode(outside)).toBe(3);
    expect(outside.flags & 0x0400).toBe(0);
    const missing = resolve(guest, 'nothing.cotton.test', 1);
    expect(rcode(missing)).toBe(3);
    expect(missing.flags & 0x0400).toBe(0x0400);
  });

  it('answers ANY with every record of the name', () => {
    const message = resolve(new TestGuest(), 'www.example.com', 255);
    expect(message.answers.map((r) => r.type)).toEqual([5]);
  });

  it('refuses classes other than IN, and answers NOTIMP to other opcodes', () => {
    const guest = new TestGuest();
    expect(parseDnsMessage(ask(guest, query('example.com', 1, 1, 3))!).flags & 0x0f).toBe(5);
    const status = query('example.com', 1, 2);
    status[2] = 0x10; // opcode 2 (STATUS)
    const response = parseDnsMessage(ask(guest, status)!);
    expect(response.flags & 0x0f).toBe(4);
    expect((response.flags >> 11) & 0x0f).toBe(2);
  });

  it('answers FORMERR to malformed queries and keeps their id', () => {
    const guest = new TestGuest();
    const twoQuestions = query('example.com', 1, 0x1111);
    twoQuestions[5] = 2;
    const truncatedName = query('example.com', 1, 0x2222).slice(0, 18);
    const loop = Uint8Array.from([0x33, 0x33, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    const badLabelType = Uint8Array.from([
      0x44, 0x44, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1,
    ]);
    const dotInLabel = query('a.b', 1, 0x5555);
    dotInLabel.set([3, 0x61, 0x2e, 0x62, 0, 0, 1, 0, 1], 12);
    const cases = [
      [twoQuestions, 0x1111],
      [truncatedName, 0x2222],
      [loop, 0x3333],
      [badLabelType, 0x4444],
      [dotInLabel, 0x5555],
    ] as const;
    for (const [bytes, id] of cases) {
      const response = parseDnsMessage(ask(guest, bytes)!);
      expect(response.id).toBe(id);
      expect(response.flags & 0x0f).toBe(1);
      expect(response.questions).toHaveLength(0);
    }
    expect(guest.network.dns.service.formatErrors).toBe(5);
  });

  it('stays silent for messages shorter than a header and for responses', () => {
    const guest = new TestGuest();
    expect(ask(guest, Uint8Array.of(1, 2, 3))).toBeNull();
    const response = query('example.com', 1);
    response[2]! |= 0x80;
    expect(ask(guest, response)).toBeNull();
  });

  it('never fails on random bytes (seeded)', () => {
    const seed = Number(process.env.DNS_FUZZ_SEED ?? 1234);
    let state = seed;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const guest = new TestGuest();
    for (let i = 0; i < 300; i++) {
      const bytes = query('www.example.com', 1, i);
      for (let flips = next() % 6; flips >= 0; flips--)
        bytes[next() % bytes.length] = next() & 0xff;
      bytes[2]! &= 0x7f; // stay a query, so an answer is due
      const response = ask(guest, bytes.slice(0, 12 + (next() % bytes.length)));
      if (response)
        expect(() => parseDnsMessage(response), `seed ${seed}, round ${i}`).not.toThrow();
    }
  });
});
