// X.509 distinguished names (RFC 5280 section 4.1.2.4): who issued a certificate and whom it is
// for. A Name is a SEQUENCE of relative distinguished names (RDNs), each a SET of one or more
// (attribute type, value) pairs, most general first: C=FR, then O=..., then CN=....
//
// The printable form follows RFC 4514: RDNs in reverse order (most specific first), joined by
// ', ', multi-valued RDNs joined by '+', special characters escaped. Chain building compares
// names with a simplified RFC 5280 section 7.1 rule: same attributes in the same order, values
// equal after case folding and collapsing runs of spaces.

import {
  type DerElement,
  DerReader,
  decodeObjectIdentifier,
  decodeString,
  readChildren,
  TAG_OBJECT_IDENTIFIER,
  TAG_SEQUENCE,
  TAG_SET,
} from './der.ts';
import { toHex } from './bytes.ts';
import { NAME_ATTRIBUTE_SHORT_NAMES } from './oids.ts';
import { PkiError } from './pki-error.ts';

export interface NameAttribute {
  oid: string;
  /** The RFC 4514 short name ('CN', 'O', ...), or the dotted OID when there is none. */
  shortName: string;
  value: string;
}

export type RelativeDistinguishedName = NameAttribute[];

export interface DistinguishedName {
  rdns: RelativeDistinguishedName[];
  /** RFC 4514 text, e.g. 'CN=example.com, O=CottonOS Book'. */
  text: string;
  /** The encoded Name, as it appears in the certificate. */
  der: Uint8Array;
}

export function parseName(element: DerElement, what: string): DistinguishedName {
  const rdns = readChildren(element, TAG_SET, what).map((set, i) =>
    parseRelativeDistinguishedName(set, `${what}[${i}]`),
  );
  return { rdns, text: formatName(rdns), der: element.encoded };
}

function parseRelativeDistinguishedName(set: DerElement, what: string): RelativeDistinguishedName {
  const attributes = readChildren(set, TAG_SEQUENCE, what).map((pair) => {
    const reader = new DerReader(pair, what);
    const oid = decodeObjectIdentifier(reader.next(TAG_OBJECT_IDENTIFIER, 'type'), what);
    const value = reader.next(null, 'value');
    reader.finish();
    const shortName = NAME_ATTRIBUTE_SHORT_NAMES[oid] ?? oid;
    return { oid, shortName, value: attributeText(oid, value, what) };
  });
  if (attributes.length === 0) throw new PkiError(`${what}: empty relative distinguished name`);
  return attributes;
}

/** Known attributes are strings; RFC 4514 section 2.4 writes any other value as '#' + hex. */
function attributeText(oid: string, value: DerElement, what: string): string {
  if (NAME_ATTRIBUTE_SHORT_NAMES[oid] !== undefined) return decodeString(value, `${what}.${oid}`);
  return `#${toHex(value.encoded)}`;
}

function formatName(rdns: RelativeDistinguishedName[]): string {
  return rdns
    .map((rdn) => rdn.map((a) => `${a.shortName}=${attributeValueText(a)}`).join('+'))
    .reverse()
    .join(', ');
}

/** RFC 4514 section 2.4: escape , + " \ < > ; anywhere, '#' or space first, space last. */
function attributeValueText(attribute: NameAttribute): string {
  const isHexEncoded = NAME_ATTRIBUTE_SHORT_NAMES[attribute.oid] === undefined;
  if (isHexEncoded) return attribute.value;
  return attribute.value
    .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

export function namesMatch(a: DistinguishedName, b: DistinguishedName): boolean {
  if (a.rdns.length !== b.rdns.length) return false;
  return a.rdns.every((rdn, i) => {
    const other = b.rdns[i]!;
    return (
      rdn.length === other.length &&
      rdn.every(
        (x, j) => x.oid === other[j]!.oid && foldValue(x.value) === foldValue(other[j]!.value),
      )
    );
  });
}

function foldValue(value: string): string {
  return value.trim().replace(/ +/g, ' ').toLowerCase();
}
