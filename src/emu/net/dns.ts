/**
 * DNS messages (RFC 1035 §4.1): a 12-byte header (id, flags, four section
 * counts), then questions (name, type, class) and resource records (name,
 * type, class, TTL, data) in the answer, authority and additional sections.
 *
 * Names are sequences of length-prefixed labels (§3.1: at most 63 bytes
 * each, 255 in all) ended by the empty root label. Inside a message a name
 * may end with a pointer to an earlier one (§4.1.4, "message
 * compression"); the parser follows a pointer only to a place before the
 * previous one's target, which is what keeps a crafted message from looping. The builder never compresses: the
 * simulated server's answers are short enough without it.
 */
import { concatBytes } from './bytes';

export const DNS_PORT = 53;
export const DNS_HEADER_LENGTH = 12;
export const DNS_TYPE_A = 1;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_AAAA = 28;
export const DNS_TYPE_ANY = 255;
export const DNS_CLASS_IN = 1;

export const DNS_FLAG_RESPONSE = 0x8000;
export const DNS_FLAG_AUTHORITATIVE = 0x0400;
export const DNS_FLAG_RECURSION_DESIRED = 0x0100;
export const DNS_FLAG_RECURSION_AVAILABLE = 0x0080;
export const DNS_OPCODE_QUERY = 0;

export const DNS_RCODE_NOERROR = 0;
export const DNS_RCODE_FORMERR = 1;
export const DNS_RCODE_NXDOMAIN = 3;
export const DNS_RCODE_NOTIMP = 4;
export const DNS_RCODE_REFUSED = 5;

const DNS_MAX_LABEL = 63;
const DNS_MAX_NAME = 255;
const DNS_POINTER_MASK = 0xc0;

/** A message that breaks RFC 1035's layout; `reason` says where. */
export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
}

export interface DnsHeader {
  readonly id: number;
  readonly flags: number;
  readonly questionCount: number;
  readonly answerCount: number;
  readonly authorityCount: number;
  readonly additionalCount: number;
}

export interface DnsQuestion {
  /** Dotted, without the final dot, as sent (case preserved); '' is the root. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: Uint8Array;
}

export interface DnsMessage {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  readonly additional: readonly DnsRecord[];
}

export function dnsOpcode(flags: number): number {
  return (flags >> 11) & 0x0f;
}

export function dnsRcode(flags: number): number {
  return flags & 0x0f;
}

/** The header, or null when the message is shorter than one. */
export function parseDnsHeader(bytes: Uint8Array): DnsHeader | null {
  if (bytes.length < DNS_HEADER_LENGTH) return null;
  const word = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  return {
    id: word(0),
    flags: word(2),
    questionCount: word(4),
    answerCount: word(6),
    authorityCount: word(8),
    additionalCount: word(10),
  };
}

/** A whole message; throws DnsFormatError when any part of it is malformed. */
export function parseDnsMessage(bytes: Uint8Array): DnsMessage {
  const header = parseDnsHeader(bytes);
  if (!header) throw new DnsFormatError('shorter than a DNS header');
  const reader = new DnsReader(bytes);
  const questions = Array.from({ length: header.questionCount }, () => reader.question());
  const records = (count: number) => Array.from({ length: count }, () => reader.record());
  return {
    id: header.id,
    flags: header.flags,
    questions,
    answers: records(header.answerCount),
    authority: records(header.authorityCount),
    additional: records(header.additionalCount),
  };
}

class DnsReader {
  private at = DNS_HEADER_LENGTH;

  constructor(private readonly bytes: Uint8Array) {}

  question(): DnsQuestion {
    const name = this.name();
    return { name, type: this.u16(), class: this.u16() };
  }

  record(): DnsRecord {
    const name = this.name();
    const type = this.u16();
    const recordClass = this.u16();
    const ttl = ((this.u16() << 16) | this.u16()) >>> 0;
    const length = this.u16();
    if (this.at + length > this.bytes.length)
      throw new DnsFormatError(`record data of ${name} runs past the end`);
    const data = this.bytes.slice(this.at, this.at + length);
    this.at += length;
    return { name, type, class: recordClass, ttl, data };
  }

  name(): string {
    const { name, next } = readDnsName(this.bytes, this.at);
    this.at = next;
    return name;
  }

  private u16(): number {
    if (this.at + 2 > this.bytes.length) throw new DnsFormatError('message ends inside a field');
    const value = (this.bytes[this.at]! << 8) | this.bytes[this.at + 1]!;
    this.at += 2;
    return value;
  }
}

/** The name at `offset` and the offset after it (after the first pointer, if it has one). */
export function readDnsName(bytes: Uint8Array, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next: number | null = null;
  let length = 1;
  /** Each pointer must point before the last one's target (or the name's start): no loops. */
  let limit = offset;
  for (;;) {
    const size = bytes[at];
    if (size === undefined) throw new DnsFormatError('message ends inside a name');
    if ((size & DNS_POINTER_MASK) === DNS_POINTER_MASK) {
      const low = bytes[at + 1];
      if (low === undefined) throw new DnsFormatError('message ends inside a pointer');
      const target = ((size & ~DNS_POINTER_MASK) << 8) | low;
      if (target >= limit) throw new DnsFormatError('compression pointer that does not point back');
      next ??= at + 2;
      at = limit = target;
      continue;
    }
    if (size & DNS_POINTER_MASK)
      throw new DnsFormatError(`unknown label type 0x${size.toString(16)}`);
    if (size === 0) break;
    if (at + 1 + size > bytes.length) throw new DnsFormatError('message ends inside a label');
    length += size + 1;
    if (length > DNS_MAX_NAME) throw new DnsFormatError('name longer than 255 bytes');
    const label = String.fromCharCode(...bytes.subarray(at + 1, at + 1 + size));
    if (label.includes('.'))
      throw new DnsFormatError('a label holding a dot (its text form would be ambiguous)');
    labels.push(label);
    at += 1 + size;
  }
  return { name: labels.join('.'), next: next ?? at + 1 };
}

/** A name as labels; throws DnsFormatError for an empty or over-long label, or a name over 255 bytes. */
export function encodeDnsName(name: string): Uint8Array {
  const labels = name === '' ? [] : name.split('.');
  const bytes: number[] = [];
  for (const label of labels) {
    if (label.length === 0 || label.length > DNS_MAX_LABEL)
      throw new DnsFormatError(`bad label in "${name}"`);
    bytes.push(label.length, ...Array.from(label, (char) => char.charCodeAt(0) & 0xff));
  }
  bytes.push(0);
  if (bytes.length > DNS_MAX_NAME) throw new DnsFormatError(`name longer than 255 bytes: ${name}`);
  return Uint8Array.from(bytes);
}

/** A message with every name written in full. */
export function buildDnsMessage(message: DnsMessage): Uint8Array {
  const parts: Uint8Array[] = [];
  const u16 = (value: number) => Uint8Array.of(value >> 8, value & 0xff);
  parts.push(
    u16(message.id),
    u16(message.flags),
    u16(message.questions.length),
    u16(message.answers.length),
  );
  parts.push(u16(message.authority.length), u16(message.additional.length));
  for (const question of message.questions) {
    parts.push(encodeDnsName(question.name), u16(question.type), u16(question.class));
  }
  for (const record of [...message.answers, ...message.authority, ...message.additional]) {
    parts.push(encodeDnsName(record.name), u16(record.type), u16(record.class));
    parts.push(
      u16(record.ttl >>> 16),
      u16(record.ttl & 0xffff),
      u16(record.data.length),
      record.data,
    );
  }
  return concatBytes(parts);
}
