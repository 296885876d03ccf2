/**
 * DNS messages (RFC 1035 §4, "Messages"; names in §3.1 and §4.1.4).
 *
 *   header (12 bytes): id | flags | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
 *   then QDCOUNT questions: name | type | class
 *   then ANCOUNT + NSCOUNT + ARCOUNT resource records:
 *        name | type | class | TTL (32 bits) | RDLENGTH | RDATA
 *
 * A name is a list of labels, each a length byte (at most 63) and that many
 * bytes, closed by the empty root label: www.example.com is
 * 3 'www' 7 'example' 3 'com' 0, at most 255 bytes in all (§2.3.4).
 *
 * Compression (§4.1.4): to save space, a name may end in a *pointer*, two
 * bytes whose top bits are 11 and whose other 14 bits are an offset in the
 * message where the rest of the name is written. A parser that follows
 * pointers blindly can be sent round in circles (a pointer to itself) or
 * outside the message, so here a pointer must point *backwards*, before the
 * labels that led to it (the RFC's "prior occurrence"), every read is bounds
 * checked, and a name may take at most DNS_MAX_COMPRESSION_POINTERS jumps.
 *
 * Record data is interpreted for A (an IPv4 address) and CNAME (a name,
 * possibly compressed, so it must be decoded against the whole message);
 * anything else is kept raw. Emitted messages are not compressed.
 *
 * Label bytes are arbitrary octets; as text, printable ASCII stands for
 * itself and anything else, '.' and '\' are written as \DDD (the decimal
 * escapes of master files, §5.1), so a name reads back unambiguously.
 */
import { ipv4FromBytes, ipv4ToBytes, type Ipv4Address } from './addresses';
import { readUint16, readUint32, readUint8, writeUint16, writeUint32 } from './bytes';
import { MalformedPacket } from './malformed';

export const DNS_PORT = 53;
export const DNS_HEADER_LENGTH = 12;
/** Resource record types (§3.2.2; AAAA from RFC 3596). */
export const DNS_TYPE_A = 1;
export const DNS_TYPE_NS = 2;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_SOA = 6;
export const DNS_TYPE_PTR = 12;
export const DNS_TYPE_MX = 15;
export const DNS_TYPE_TXT = 16;
export const DNS_TYPE_AAAA = 28;
export const DNS_CLASS_IN = 1;
/** Header flag bits (§4.1.1). */
export const DNS_FLAG_RESPONSE = 0x8000;
export const DNS_FLAG_AUTHORITATIVE = 0x0400;
export const DNS_FLAG_TRUNCATED = 0x0200;
export const DNS_FLAG_RECURSION_DESIRED = 0x0100;
export const DNS_FLAG_RECURSION_AVAILABLE = 0x0080;
const DNS_OPCODE_SHIFT = 11;
const DNS_OPCODE_MASK = 0xf;
const DNS_RCODE_MASK = 0xf;
export const DNS_OPCODE_QUERY = 0;
/** Response codes (§4.1.1). */
export const DNS_RCODE_NO_ERROR = 0;
export const DNS_RCODE_FORMAT_ERROR = 1;
export const DNS_RCODE_SERVER_FAILURE = 2;
export const DNS_RCODE_NAME_ERROR = 3;
export const DNS_RCODE_NOT_IMPLEMENTED = 4;
export const DNS_RCODE_REFUSED = 5;
/** Name limits (§2.3.4), in bytes on the wire. */
export const DNS_MAX_LABEL_LENGTH = 63;
export const DNS_MAX_NAME_LENGTH = 255;
/** A name has at most 127 labels, so an honest one never needs more jumps than that. */
export const DNS_MAX_COMPRESSION_POINTERS = 127;
/** The top two bits of a label's length byte: 00 a label, 11 a pointer, 01/10 reserved. */
const LABEL_KIND_MASK = 0xc0;
const LABEL_KIND_POINTER = 0xc0;
const POINTER_OFFSET_MASK = 0x3fff;
/** RFC 2181 §8: a TTL with the top bit set is to be read as zero. */
const TTL_MAX = 0x7fffffff;

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export type DnsRecordData =
  | { kind: 'a'; address: Ipv4Address }
  | { kind: 'cname'; name: string }
  | { kind: 'raw'; bytes: Uint8Array };

export interface DnsResourceRecord {
  name: string;
  type: number;
  class: number;
  ttlSeconds: number;
  data: DnsRecordData;
}

export interface DnsMessage {
  id: number;
  isResponse: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  responseCode: number;
  questions: DnsQuestion[];
  answers: DnsResourceRecord[];
  authorities: DnsResourceRecord[];
  additionals: DnsResourceRecord[];
}

function reject(reason: string): never {
  throw new MalformedPacket('dns', reason);
}

function need(message: Uint8Array, offset: number, count: number, what: string): void {
  if (offset + count > message.length) reject(`${what} runs past the end of the message`);
}

// ---- Parsing ----

/** Parse a DNS message (a UDP payload). */
export function parseDnsMessage(message: Uint8Array): DnsMessage {
  need(message, 0, DNS_HEADER_LENGTH, 'header');
  const flags = readUint16(message, 2);
  let offset = DNS_HEADER_LENGTH;
  const readQuestions = (count: number) => {
    const questions: DnsQuestion[] = [];
    for (let i = 0; i < count; i++) {
      const { name, end } = readName(message, offset);
      need(message, end, 4, 'question');
      questions.push({ name, type: readUint16(message, end), class: readUint16(message, end + 2) });
      offset = end + 4;
    }
    return questions;
  };
  const readRecords = (count: number) => {
    const records: DnsResourceRecord[] = [];
    for (let i = 0; i < count; i++) {
      const { record, end } = readResourceRecord(message, offset);
      records.push(record);
      offset = end;
    }
    return records;
  };
  // The sections follow one another in this order; each reader moves `offset` on.
  const questions = readQuestions(readUint16(message, 4));
  const answers = readRecords(readUint16(message, 6));
  const authorities = readRecords(readUint16(message, 8));
  const additionals = readRecords(readUint16(message, 10));
  return {
    id: readUint16(message, 0),
    isResponse: (flags & DNS_FLAG_RESPONSE) !== 0,
    opcode: (flags >>> DNS_OPCODE_SHIFT) & DNS_OPCODE_MASK,
    authoritative: (flags & DNS_FLAG_AUTHORITATIVE) !== 0,
    truncated: (flags & DNS_FLAG_TRUNCATED) !== 0,
    recursionDesired: (flags & DNS_FLAG_RECURSION_DESIRED) !== 0,
    recursionAvailable: (flags & DNS_FLAG_RECURSION_AVAILABLE) !== 0,
    responseCode: flags & DNS_RCODE_MASK,
    questions,
    answers,
    authorities,
    additionals,
  };
}

/**
 * Read the (possibly compressed) name at `start`. `end` is where the name
 * ends *in place*: after its zero byte, or after its first pointer.
 */
function readName(message: Uint8Array, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let wireLength = 1; // the root label's zero byte
  let pointersFollowed = 0;
  let segmentStart = start; // where the labels being read now began
  let offset = start;
  let end: number | undefined;
  for (;;) {
    need(message, offset, 1, 'name');
    const lengthByte = readUint8(message, offset);
    const labelKind = lengthByte & LABEL_KIND_MASK;
    if (labelKind === LABEL_KIND_POINTER) {
      need(message, offset, 2, 'compression pointer');
      const target = readUint16(message, offset) & POINTER_OFFSET_MASK;
      if (target >= segmentStart) reject(`compression pointer to ${target} does not point back`);
      if (++pointersFollowed > DNS_MAX_COMPRESSION_POINTERS) {
        reject('too many compression pointers');
      }
      end ??= offset + 2;
      offset = segmentStart = target;
    } else if (labelKind !== 0) {
      reject(`reserved label type 0x${labelKind.toString(16)}`);
    } else if (lengthByte === 0) {
      return { name: labels.join('.'), end: end ?? offset + 1 };
    } else {
      wireLength += 1 + lengthByte;
      if (wireLength > DNS_MAX_NAME_LENGTH) reject('name longer than 255 bytes');
      need(message, offset + 1, lengthByte, 'label');
      labels.push(labelToText(message.subarray(offset + 1, offset + 1 + lengthByte)));
      offset += 1 + lengthByte;
    }
  }
}

const PRINTABLE_FIRST = 0x21; // '!'
const PRINTABLE_LAST = 0x7e; // '~'
const DOT = 0x2e;
const BACKSLASH = 0x5c;

function labelToText(label: Uint8Array): string {
  let text = '';
  for (const byte of label) {
    const plain =
      byte >= PRINTABLE_FIRST && byte <= PRINTABLE_LAST && byte !== DOT && byte !== BACKSLASH;
    text += plain ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, '0')}`;
  }
  return text;
}

function readResourceRecord(
  message: Uint8Array,
  start: number,
): { record: DnsResourceRecord; end: number } {
  const { name, end: nameEnd } = readName(message, start);
  need(message, nameEnd, 10, 'resource record');
  const type = readUint16(message, nameEnd);
  const recordClass = readUint16(message, nameEnd + 2);
  const ttl = readUint32(message, nameEnd + 4);
  const dataStart = nameEnd + 10;
  const dataEnd = dataStart + readUint16(message, nameEnd + 8);
  need(message, dataStart, dataEnd - dataStart, 'record data');
  return {
    record: {
      name,
      type,
      class: recordClass,
      ttlSeconds: ttl > TTL_MAX ? 0 : ttl,
      data: readRecordData(message, type, recordClass, dataStart, dataEnd),
    },
    end: dataEnd,
  };
}

function readRecordData(
  message: Uint8Array,
  type: number,
  recordClass: number,
  start: number,
  end: number,
): DnsRecordData {
  if (type === DNS_TYPE_A && recordClass === DNS_CLASS_IN) {
    if (end - start !== 4) reject(`A record with ${end - start} bytes of data`);
    return { kind: 'a', address: ipv4FromBytes(message, start) };
  }
  if (type === DNS_TYPE_CNAME) {
    const canonical = readName(message, start);
    if (canonical.end !== end) reject('CNAME name does not fill its record data');
    return { kind: 'cname', name: canonical.name };
  }
  return { kind: 'raw', bytes: message.subarray(start, end) };
}

// ---- Emitting ----

/**
 * A name as labels. Throws RangeError for an empty label (a..b), a label over
 * 63 bytes, a name over 255, or a character outside printable ASCII or a
 * backslash (escapes are not read back). A trailing dot (fully qualified) is
 * allowed; '' and '.' are the root.
 */
// #region exercise:dns-name
export function encodeDnsName(name: string): number[] {
  const text = name.endsWith('.') ? name.slice(0, -1) : name;
  const bytes: number[] = [];
  for (const label of text === '' ? [] : text.split('.')) {
    if (label.length === 0) throw new RangeError(`empty label in DNS name '${name}'`);
    if (label.length > DNS_MAX_LABEL_LENGTH) {
      throw new RangeError(`label '${label}' is longer than ${DNS_MAX_LABEL_LENGTH} bytes`);
    }
    bytes.push(label.length);
    for (let i = 0; i < label.length; i++) {
      const code = label.charCodeAt(i);
      if (code < PRINTABLE_FIRST || code > PRINTABLE_LAST || code === BACKSLASH) {
        throw new RangeError(`DNS name '${name}' has a character that cannot be sent`);
      }
      bytes.push(code);
    }
  }
  bytes.push(0);
  if (bytes.length > DNS_MAX_NAME_LENGTH) {
    throw new RangeError(`DNS name '${name}' is longer than ${DNS_MAX_NAME_LENGTH} bytes`);
  }
  return bytes;
}
// #endregion exercise:dns-name

/** Append without spreading into arguments: record data may be too long for that. */
function append(out: number[], values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) out.push(values[i]!);
}

function encodeRecordData(data: DnsRecordData): number[] {
  switch (data.kind) {
    case 'a': {
      const bytes = new Uint8Array(4);
      ipv4ToBytes(data.address, bytes, 0);
      return [...bytes];
    }
    case 'cname':
      return encodeDnsName(data.name);
    case 'raw':
      return Array.from(data.bytes);
  }
}

function encodeResourceRecord(record: DnsResourceRecord): number[] {
  const data = encodeRecordData(record.data);
  if (data.length > 0xffff) throw new RangeError(`record data of ${data.length} bytes`);
  const fixed = new Uint8Array(10); // type, class, TTL, data length
  writeUint16(fixed, 0, record.type);
  writeUint16(fixed, 2, record.class);
  writeUint32(fixed, 4, record.ttlSeconds);
  writeUint16(fixed, 8, data.length);
  const bytes = encodeDnsName(record.name);
  append(bytes, fixed);
  append(bytes, data);
  return bytes;
}

export function emitDnsMessage(message: DnsMessage): Uint8Array {
  const flags =
    (message.isResponse ? DNS_FLAG_RESPONSE : 0) |
    ((message.opcode & DNS_OPCODE_MASK) << DNS_OPCODE_SHIFT) |
    (message.authoritative ? DNS_FLAG_AUTHORITATIVE : 0) |
    (message.truncated ? DNS_FLAG_TRUNCATED : 0) |
    (message.recursionDesired ? DNS_FLAG_RECURSION_DESIRED : 0) |
    (message.recursionAvailable ? DNS_FLAG_RECURSION_AVAILABLE : 0) |
    (message.responseCode & DNS_RCODE_MASK);
  const header = new Uint8Array(DNS_HEADER_LENGTH);
  writeUint16(header, 0, message.id);
  writeUint16(header, 2, flags);
  writeUint16(header, 4, message.questions.length);
  writeUint16(header, 6, message.answers.length);
  writeUint16(header, 8, message.authorities.length);
  writeUint16(header, 10, message.additionals.length);
  const bytes = Array.from(header);
  for (const question of message.questions) {
    const typeAndClass = new Uint8Array(4);
    writeUint16(typeAndClass, 0, question.type);
    writeUint16(typeAndClass, 2, question.class);
    append(bytes, encodeDnsName(question.name));
    append(bytes, typeAndClass);
  }
  for (const record of [...message.answers, ...message.authorities, ...message.additionals]) {
    append(bytes, encodeResourceRecord(record));
  }
  return Uint8Array.from(bytes);
}

/** A standard query (recursion desired) for one name and record type, class IN. */
export function buildDnsQuery(id: number, name: string, type: number): Uint8Array {
  return emitDnsMessage({
    id,
    isResponse: false,
    opcode: DNS_OPCODE_QUERY,
    authoritative: false,
    truncated: false,
    recursionDesired: true,
    recursionAvailable: false,
    responseCode: DNS_RCODE_NO_ERROR,
    questions: [{ name, type, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}
