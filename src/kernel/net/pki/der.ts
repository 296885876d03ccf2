// A reader for DER, the Distinguished Encoding Rules of ASN.1 (ITU-T X.690, sections 8 and 10),
// the byte format of every X.509 certificate.
//
// DER is a tree of TLV elements: an identifier octet (the tag: class, constructed bit, number),
// a length (one octet below 128, else 0x80 + the count of big-endian length octets that follow),
// then that many content octets. A constructed element's content is itself a run of elements.
// DER allows exactly one encoding for each value, so this reader refuses the alternatives
// (indefinite lengths, lengths in more octets than needed, padded integers): a certificate's
// signature covers its bytes, and two parsers must never see two meanings in them.
//
// Every read is bounds-checked and every failure throws PkiError naming the field being read,
// so a corrupted certificate gives a message like "tbsCertificate.validity: expected SEQUENCE".
// Nothing here recurses or loops more than the input's length, so hostile input cannot hang it.

import { bytesToBigint, toHex } from './bytes.ts';
import { PkiError } from './pki-error.ts';
import { daysInMonth, unixSeconds } from './utc-time.ts';

declare const TextDecoder: {
  new (label: string, options: { fatal: boolean }): { decode(bytes: Uint8Array): string };
};

// Identifier octets (X.690 section 8.1.2): bits 8-7 class, bit 6 constructed, bits 5-1 number.
export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OBJECT_IDENTIFIER = 0x06;
export const TAG_UTF8_STRING = 0x0c;
export const TAG_PRINTABLE_STRING = 0x13;
export const TAG_TELETEX_STRING = 0x14;
export const TAG_IA5_STRING = 0x16;
export const TAG_UTC_TIME = 0x17;
export const TAG_GENERALIZED_TIME = 0x18;
export const TAG_VISIBLE_STRING = 0x1a;
export const TAG_UNIVERSAL_STRING = 0x1c;
export const TAG_BMP_STRING = 0x1e;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;

const TAG_CONSTRUCTED_BIT = 0x20;
const TAG_NUMBER_MASK = 0x1f;
const TAG_HIGH_NUMBER_FORM = 0x1f;
const TAG_CLASS_CONTEXT_SPECIFIC = 0x80;
const LENGTH_LONG_FORM_BIT = 0x80;
const LENGTH_INDEFINITE = 0x80;
const MAX_LENGTH_OCTETS = 4;
const UTC_TIME_PATTERN = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** [n] IMPLICIT of a primitive type, e.g. dNSName [2] IA5String is 0x82. */
export function contextTag(tagNumber: number): number {
  return TAG_CLASS_CONTEXT_SPECIFIC | tagNumber;
}

/** [n] of a constructed type or EXPLICIT, e.g. extensions [3] EXPLICIT is 0xa3. */
export function contextConstructedTag(tagNumber: number): number {
  return TAG_CLASS_CONTEXT_SPECIFIC | TAG_CONSTRUCTED_BIT | tagNumber;
}

export interface DerElement {
  /** The identifier octet. Tag numbers above 30 never occur in X.509 and are refused. */
  tag: number;
  /** The content octets. */
  content: Uint8Array;
  /** The whole element, identifier and length included (signatures cover these bytes). */
  encoded: Uint8Array;
}

export function tagName(tag: number): string {
  const names: Record<number, string> = {
    [TAG_BOOLEAN]: 'BOOLEAN',
    [TAG_INTEGER]: 'INTEGER',
    [TAG_BIT_STRING]: 'BIT STRING',
    [TAG_OCTET_STRING]: 'OCTET STRING',
    [TAG_NULL]: 'NULL',
    [TAG_OBJECT_IDENTIFIER]: 'OBJECT IDENTIFIER',
    [TAG_UTC_TIME]: 'UTCTime',
    [TAG_GENERALIZED_TIME]: 'GeneralizedTime',
    [TAG_SEQUENCE]: 'SEQUENCE',
    [TAG_SET]: 'SET',
  };
  return names[tag] ?? `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

/** Reads the element starting at `offset`; it must end within `bytes`. */
export function readElement(bytes: Uint8Array, offset: number, what: string): DerElement {
  const tag = bytes[offset];
  if (tag === undefined) throw new PkiError(`${what}: expected an element, found end of data`);
  if ((tag & TAG_NUMBER_MASK) === TAG_HIGH_NUMBER_FORM) {
    throw new PkiError(`${what}: multi-octet tag numbers are not used in X.509`);
  }
  const { length, lengthOctets } = readLength(bytes, offset + 1, what);
  const contentStart = offset + 1 + lengthOctets;
  const end = contentStart + length;
  if (end > bytes.length) {
    throw new PkiError(`${what}: length ${length} runs past the end of the data`);
  }
  return {
    tag,
    content: bytes.subarray(contentStart, end),
    encoded: bytes.subarray(offset, end),
  };
}

function readLength(
  bytes: Uint8Array,
  offset: number,
  what: string,
): { length: number; lengthOctets: number } {
  const first = bytes[offset];
  if (first === undefined) throw new PkiError(`${what}: length missing`);
  if ((first & LENGTH_LONG_FORM_BIT) === 0) return { length: first, lengthOctets: 1 };
  if (first === LENGTH_INDEFINITE) throw new PkiError(`${what}: indefinite length is not DER`);
  const count = first & ~LENGTH_LONG_FORM_BIT;
  if (count > MAX_LENGTH_OCTETS) throw new PkiError(`${what}: length of ${count} octets`);
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const octet = bytes[offset + i];
    if (octet === undefined) throw new PkiError(`${what}: length runs past the end of the data`);
    length = length * 256 + octet;
  }
  if (length < 128 || bytes[offset + 1] === 0) {
    throw new PkiError(`${what}: length ${length} is not in its shortest form (DER)`);
  }
  return { length, lengthOctets: 1 + count };
}

/** Parses bytes that must hold exactly one element. */
export function parseDer(bytes: Uint8Array, what: string): DerElement {
  const element = readElement(bytes, 0, what);
  if (element.encoded.length !== bytes.length) {
    throw new PkiError(`${what}: ${bytes.length - element.encoded.length} bytes after the end`);
  }
  return element;
}

/**
 * Walks the children of a constructed element in order, the way ASN.1 definitions read:
 * required fields with `next`, OPTIONAL or DEFAULT ones with `optional`, then `finish`.
 */
export class DerReader {
  private offset = 0;
  private readonly content: Uint8Array;

  constructor(
    element: DerElement,
    private readonly what: string,
  ) {
    if ((element.tag & TAG_CONSTRUCTED_BIT) === 0) {
      throw new PkiError(`${what}: expected a constructed element, found ${tagName(element.tag)}`);
    }
    this.content = element.content;
  }

  get hasMore(): boolean {
    return this.offset < this.content.length;
  }

  /** The next child, which must carry `tag` (or any tag when `tag` is null). */
  next(tag: number | null, field: string): DerElement {
    const element = readElement(this.content, this.offset, `${this.what}.${field}`);
    if (tag !== null && element.tag !== tag) {
      throw new PkiError(
        `${this.what}.${field}: expected ${tagName(tag)}, found ${tagName(element.tag)}`,
      );
    }
    this.offset += element.encoded.length;
    return element;
  }

  /** The next child if it carries `tag`, else null (and nothing is consumed). */
  optional(tag: number, field: string): DerElement | null {
    if (!this.hasMore || this.content[this.offset] !== tag) return null;
    return this.next(tag, field);
  }

  /** All remaining children, each with `tag` (for SEQUENCE OF and SET OF). */
  rest(tag: number | null, field: string): DerElement[] {
    const elements: DerElement[] = [];
    while (this.hasMore) elements.push(this.next(tag, `${field}[${elements.length}]`));
    return elements;
  }

  finish(): void {
    if (this.hasMore) {
      throw new PkiError(
        `${this.what}: unexpected extra element ${tagName(this.content[this.offset]!)}`,
      );
    }
  }
}

/** A whole SEQUENCE OF / SET OF: every child, each with `tag`. */
export function readChildren(element: DerElement, tag: number | null, what: string): DerElement[] {
  return new DerReader(element, what).rest(tag, 'item');
}

/** INTEGER (X.690 8.3) as a bigint; DER forbids a leading 0x00 or 0xff octet that adds nothing. */
export function decodeInteger(element: DerElement, what: string): bigint {
  const bytes = integerContent(element, what);
  const value = bytesToBigint(bytes);
  const negative = (bytes[0]! & 0x80) !== 0;
  return negative ? value - (1n << BigInt(bytes.length * 8)) : value;
}

function integerContent(element: DerElement, what: string): Uint8Array {
  const bytes = element.content;
  if (bytes.length === 0) throw new PkiError(`${what}: empty INTEGER`);
  const [first, second] = [bytes[0]!, bytes[1]];
  if (second !== undefined) {
    const paddedPositive = first === 0x00 && (second & 0x80) === 0;
    const paddedNegative = first === 0xff && (second & 0x80) !== 0;
    if (paddedPositive || paddedNegative) {
      throw new PkiError(`${what}: INTEGER is not in its shortest form (DER)`);
    }
  }
  return bytes;
}

/** An INTEGER that must lie in 0..max, as a number (versions, path lengths). */
export function decodeSmallInteger(element: DerElement, max: number, what: string): number {
  const value = decodeInteger(element, what);
  if (value < 0n || value > BigInt(max)) {
    throw new PkiError(`${what}: ${value} is outside 0..${max}`);
  }
  return Number(value);
}

/** An INTEGER's two's-complement octets in hex, without the sign octet of a positive value. */
export function decodeIntegerHex(element: DerElement, what: string): string {
  const bytes = integerContent(element, what);
  const magnitude = bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return toHex(magnitude).toUpperCase();
}

/** BOOLEAN (X.690 8.2, 11.1): DER allows only 0x00 and 0xff. */
export function decodeBoolean(element: DerElement, what: string): boolean {
  const value = element.content[0];
  if (element.content.length !== 1 || (value !== 0x00 && value !== 0xff)) {
    throw new PkiError(`${what}: BOOLEAN must be one octet, 00 or ff`);
  }
  return value === 0xff;
}

export function decodeNull(element: DerElement, what: string): void {
  if (element.tag !== TAG_NULL || element.content.length !== 0) {
    throw new PkiError(`${what}: expected NULL`);
  }
}

/**
 * OBJECT IDENTIFIER (X.690 8.19): arcs in base 128, high bit set on all but an arc's last
 * octet; the first octet packs the first two arcs as 40 * first + second.
 */
export function decodeObjectIdentifier(element: DerElement, what: string): string {
  const bytes = element.content;
  if (bytes.length === 0) throw new PkiError(`${what}: empty OBJECT IDENTIFIER`);
  const values: number[] = [];
  let value = 0;
  let arcStart = true;
  for (const byte of bytes) {
    if (arcStart && byte === 0x80) throw new PkiError(`${what}: OID arc with a leading zero`);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new PkiError(`${what}: OID arc too large`);
    value = value * 128 + (byte & 0x7f);
    arcStart = (byte & 0x80) === 0;
    if (arcStart) {
      values.push(value);
      value = 0;
    }
  }
  if (!arcStart) throw new PkiError(`${what}: OBJECT IDENTIFIER ends inside an arc`);
  const first = values[0]!;
  const [arc1, arc2] = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [arc1, arc2, ...values.slice(1)].join('.');
}

/** BIT STRING (X.690 8.6): a first octet counting the unused bits at the end, then the bits. */
export function decodeBitString(
  element: DerElement,
  what: string,
): { bytes: Uint8Array; unusedBits: number } {
  const unusedBits = element.content[0];
  const bytes = element.content.subarray(1);
  if (unusedBits === undefined || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new PkiError(`${what}: malformed BIT STRING`);
  }
  const last = bytes[bytes.length - 1] ?? 0;
  if ((last & ((1 << unusedBits) - 1)) !== 0) {
    throw new PkiError(`${what}: unused bits of a BIT STRING must be zero (DER)`);
  }
  return { bytes, unusedBits };
}

/** A BIT STRING that holds whole octets (keys, signatures). */
export function decodeOctetAlignedBitString(element: DerElement, what: string): Uint8Array {
  const { bytes, unusedBits } = decodeBitString(element, what);
  if (unusedBits !== 0) throw new PkiError(`${what}: BIT STRING is not a whole number of octets`);
  return bytes;
}

/**
 * UTCTime and GeneralizedTime as RFC 5280 section 4.1.2.5 restricts them: always UTC ('Z'),
 * always with seconds, no fractions. UTCTime's two-digit year means 1950..2049.
 */
export function decodeTime(element: DerElement, what: string): number {
  const text = decodeAscii(element.content, what);
  const utc = element.tag === TAG_UTC_TIME;
  if (!utc && element.tag !== TAG_GENERALIZED_TIME) {
    throw new PkiError(
      `${what}: expected UTCTime or GeneralizedTime, found ${tagName(element.tag)}`,
    );
  }
  const [pattern, form] = utc
    ? [UTC_TIME_PATTERN, 'YYMMDDHHMMSSZ']
    : [GENERALIZED_TIME_PATTERN, 'YYYYMMDDHHMMSSZ'];
  const match = pattern.exec(text);
  if (match === null) throw new PkiError(`${what}: time '${text}' is not in ${form} form`);
  const [yearDigits = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map(Number);
  const year = utc ? (yearDigits >= 50 ? 1900 : 2000) + yearDigits : yearDigits;
  const dayIsValid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  if (!dayIsValid || hour > 23 || minute > 59 || second > 59) {
    throw new PkiError(`${what}: time '${text}' is not a real date`);
  }
  return unixSeconds(year, month, day, hour, minute, second);
}

/** The character string types found in names (RFC 5280 appendix A: DirectoryString and co). */
export function decodeString(element: DerElement, what: string): string {
  switch (element.tag) {
    case TAG_UTF8_STRING:
      return decodeUtf8(element.content, what);
    case TAG_PRINTABLE_STRING:
    case TAG_IA5_STRING:
    case TAG_VISIBLE_STRING:
      return decodeAscii(element.content, what);
    case TAG_TELETEX_STRING:
      return decodeLatin1(element.content);
    case TAG_BMP_STRING:
      return decodeFixedWidth(element.content, 2, what);
    case TAG_UNIVERSAL_STRING:
      return decodeFixedWidth(element.content, 4, what);
    default:
      throw new PkiError(`${what}: expected a character string, found ${tagName(element.tag)}`);
  }
}

export function decodeAscii(bytes: Uint8Array, what: string): string {
  if (bytes.some((byte) => byte > 0x7f)) throw new PkiError(`${what}: non-ASCII character`);
  return decodeLatin1(bytes);
}

/** One character per octet (TeletexString is read as Latin-1, as most software does). */
function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PkiError(`${what}: invalid UTF-8`);
  }
}

/** BMPString (UCS-2) and UniversalString (UCS-4), both big-endian. */
function decodeFixedWidth(bytes: Uint8Array, width: number, what: string): string {
  if (bytes.length % width !== 0) throw new PkiError(`${what}: truncated character`);
  let text = '';
  for (let i = 0; i < bytes.length; i += width) {
    let codePoint = 0;
    for (let j = 0; j < width; j++) codePoint = codePoint * 256 + bytes[i + j]!;
    if (codePoint > 0x10ffff) throw new PkiError(`${what}: character beyond Unicode`);
    text += String.fromCodePoint(codePoint);
  }
  return text;
}
