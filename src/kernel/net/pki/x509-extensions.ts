// X.509 v3 certificate extensions (RFC 5280 section 4.2): the fields that say what a key may do.
//
// Each extension is (OID, critical flag, OCTET STRING holding the DER of the extension's own
// value). This file decodes the six a TLS client needs: subjectAltName (the host names and
// addresses, section 4.2.1.6), basicConstraints (is it a CA, how deep below it, 4.2.1.9),
// keyUsage (4.2.1.3), extKeyUsage (4.2.1.12), and the key identifiers that link a certificate to
// its issuer (4.2.1.1, 4.2.1.2). Others are kept raw; a *critical* one that is not understood
// must make validation fail (section 4.2), so their OIDs are listed for the validator.

import {
  contextTag,
  type DerElement,
  DerReader,
  decodeBitString,
  decodeBoolean,
  decodeObjectIdentifier,
  decodeSmallInteger,
  decodeAscii,
  parseDer,
  readChildren,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_OBJECT_IDENTIFIER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
} from './der.ts';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_KEY_IDENTIFIER,
} from './oids.ts';
import { PkiError } from './pki-error.ts';

const GENERAL_NAME_DNS_NAME = contextTag(2);
const GENERAL_NAME_IP_ADDRESS = contextTag(7);
const KEY_IDENTIFIER = contextTag(0);
const MAX_PATH_LENGTH_CONSTRAINT = 255;

/** KeyUsage bits in order: bit 0 is the first (most significant) bit of the BIT STRING. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface SubjectAltName {
  dnsNames: string[];
  /** 4 octets (IPv4) or 16 (IPv6), network order. */
  ipAddresses: Uint8Array[];
}

export interface BasicConstraints {
  cA: boolean;
  /** How many CA certificates may follow this one below it in a path; null for no limit. */
  pathLenConstraint: number | null;
}

export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface Extensions {
  subjectAltName: SubjectAltName | null;
  basicConstraints: BasicConstraints | null;
  keyUsage: KeyUsage[] | null;
  /** Extended key usage OIDs (OID_KP_SERVER_AUTH, ...). */
  extKeyUsage: string[] | null;
  authorityKeyIdentifier: Uint8Array | null;
  subjectKeyIdentifier: Uint8Array | null;
  /** OIDs of critical extensions this code does not understand: validation must refuse them. */
  unknownCritical: string[];
  all: RawExtension[];
}

/** What a certificate without extensions (or before its extensions are decoded) has. */
export function emptyExtensions(): Extensions {
  return {
    subjectAltName: null,
    basicConstraints: null,
    keyUsage: null,
    extKeyUsage: null,
    authorityKeyIdentifier: null,
    subjectKeyIdentifier: null,
    unknownCritical: [],
    all: [],
  };
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
export function parseExtensions(element: DerElement, what: string): Extensions {
  const all = readChildren(element, TAG_SEQUENCE, what).map((e, i) =>
    parseRawExtension(e, `${what}[${i}]`),
  );
  if (all.length === 0) throw new PkiError(`${what}: empty extensions`);
  const extensions: Extensions = { ...emptyExtensions(), all };
  const seen = new Set<string>();
  for (const extension of all) {
    if (seen.has(extension.oid)) throw new PkiError(`${what}: extension ${extension.oid} twice`);
    seen.add(extension.oid);
    decodeExtension(extension, extensions, `${what}.${extension.oid}`);
  }
  return extensions;
}

/** Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function parseRawExtension(element: DerElement, what: string): RawExtension {
  const reader = new DerReader(element, what);
  const oid = decodeObjectIdentifier(reader.next(TAG_OBJECT_IDENTIFIER, 'extnID'), what);
  const criticalElement = reader.optional(TAG_BOOLEAN, 'critical');
  const critical = criticalElement !== null && decodeBoolean(criticalElement, `${what}.critical`);
  const value = reader.next(TAG_OCTET_STRING, 'extnValue').content;
  reader.finish();
  return { oid, critical, value };
}

function decodeExtension(extension: RawExtension, into: Extensions, what: string): void {
  const value = () => parseDer(extension.value, what);
  switch (extension.oid) {
    case OID_SUBJECT_ALT_NAME:
      into.subjectAltName = parseSubjectAltName(value(), what);
      break;
    case OID_BASIC_CONSTRAINTS:
      into.basicConstraints = parseBasicConstraints(value(), what);
      break;
    case OID_KEY_USAGE:
      into.keyUsage = parseKeyUsage(value(), what);
      break;
    case OID_EXT_KEY_USAGE:
      into.extKeyUsage = readChildren(
        expectTag(value(), TAG_SEQUENCE, what),
        TAG_OBJECT_IDENTIFIER,
        what,
      ).map((e) => decodeObjectIdentifier(e, what));
      break;
    case OID_AUTHORITY_KEY_IDENTIFIER:
      into.authorityKeyIdentifier = parseAuthorityKeyIdentifier(value(), what);
      break;
    case OID_SUBJECT_KEY_IDENTIFIER:
      into.subjectKeyIdentifier = expectTag(value(), TAG_OCTET_STRING, what).content;
      break;
    default:
      if (extension.critical) into.unknownCritical.push(extension.oid);
  }
}

function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag)
    throw new PkiError(`${what}: unexpected tag 0x${element.tag.toString(16)}`);
  return element;
}

/** GeneralNames ::= SEQUENCE OF GeneralName; only dNSName [2] and iPAddress [7] matter to TLS. */
function parseSubjectAltName(element: DerElement, what: string): SubjectAltName {
  const names: SubjectAltName = { dnsNames: [], ipAddresses: [] };
  for (const name of readChildren(expectTag(element, TAG_SEQUENCE, what), null, what)) {
    if (name.tag === GENERAL_NAME_DNS_NAME) {
      names.dnsNames.push(decodeAscii(name.content, `${what}.dNSName`));
    } else if (name.tag === GENERAL_NAME_IP_ADDRESS) {
      if (name.content.length !== 4 && name.content.length !== 16) {
        throw new PkiError(`${what}: iPAddress of ${name.content.length} octets`);
      }
      names.ipAddresses.push(name.content);
    }
  }
  return names;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPT. } */
function parseBasicConstraints(element: DerElement, what: string): BasicConstraints {
  const reader = new DerReader(expectTag(element, TAG_SEQUENCE, what), what);
  const cA = reader.optional(TAG_BOOLEAN, 'cA');
  const pathLength = reader.optional(TAG_INTEGER, 'pathLenConstraint');
  reader.finish();
  return {
    cA: cA !== null && decodeBoolean(cA, `${what}.cA`),
    pathLenConstraint:
      pathLength === null
        ? null
        : decodeSmallInteger(pathLength, MAX_PATH_LENGTH_CONSTRAINT, `${what}.pathLenConstraint`),
  };
}

/** KeyUsage ::= BIT STRING { digitalSignature (0), ..., decipherOnly (8) } */
function parseKeyUsage(element: DerElement, what: string): KeyUsage[] {
  const { bytes } = decodeBitString(expectTag(element, TAG_BIT_STRING, what), what);
  return KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL, issuer and serial [1] [2] } */
function parseAuthorityKeyIdentifier(element: DerElement, what: string): Uint8Array | null {
  const reader = new DerReader(expectTag(element, TAG_SEQUENCE, what), what);
  const keyIdentifier = reader.optional(KEY_IDENTIFIER, 'keyIdentifier');
  reader.rest(null, 'authorityCertIssuerAndSerial');
  return keyIdentifier?.content ?? null;
}
