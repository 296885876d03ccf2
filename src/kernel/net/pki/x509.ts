// X.509 certificates (RFC 5280 section 4.1): the signed statement "this public key belongs to
// this name, from this date to that date", which a TLS server sends to prove who it is.
//
//   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
//   TBSCertificate ::= SEQUENCE {
//     version [0] EXPLICIT INTEGER DEFAULT v1, serialNumber INTEGER, signature AlgorithmIdentifier,
//     issuer Name, validity SEQUENCE { notBefore Time, notAfter Time }, subject Name,
//     subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL, subjectUniqueID [2] OPTIONAL,
//     extensions [3] EXPLICIT Extensions OPTIONAL }
//
// The issuer signs the DER bytes of tbsCertificate ("to be signed"), so the parser keeps them
// as they were. Parsing only decodes; whether a certificate is to be trusted is chain.ts's job.

import { bytesEqual } from './bytes.ts';
import {
  contextConstructedTag,
  type DerElement,
  DerReader,
  decodeInteger,
  decodeIntegerHex,
  decodeNull,
  decodeObjectIdentifier,
  decodeOctetAlignedBitString,
  decodeSmallInteger,
  decodeTime,
  parseDer,
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_OBJECT_IDENTIFIER,
  TAG_SEQUENCE,
} from './der.ts';
import { OID_EC_PUBLIC_KEY, OID_ED25519, OID_RSA_ENCRYPTION, oidName } from './oids.ts';
import { PkiError } from './pki-error.ts';
import type { RsaPublicKey } from './rsa.ts';
import { type Extensions, emptyExtensions, parseExtensions } from './x509-extensions.ts';
import { type DistinguishedName, parseName } from './x509-name.ts';

const VERSION_TAG = contextConstructedTag(0);
const ISSUER_UNIQUE_ID_TAG = 0x81;
const SUBJECT_UNIQUE_ID_TAG = 0x82;
const EXTENSIONS_TAG = contextConstructedTag(3);
const X509_V3 = 2;

export interface AlgorithmIdentifier {
  oid: string;
  /** The spec's name ('ecdsa-with-SHA256'), or the OID when unknown. */
  name: string;
  /** The encoded parameters, or null when absent. */
  parameters: Uint8Array | null;
}

export interface SubjectPublicKeyInfo {
  algorithm: AlgorithmIdentifier;
  /** For id-ecPublicKey: the named curve's OID (OID_SECP256R1, ...); otherwise null. */
  curveOid: string | null;
  /** The subjectPublicKey bits: an EC point, a 32-byte Ed25519 key, or DER RSAPublicKey. */
  publicKey: Uint8Array;
  /** For rsaEncryption: the decoded modulus and exponent; otherwise null. */
  rsa: RsaPublicKey | null;
  /** The whole encoded SubjectPublicKeyInfo (the same key always has the same bytes). */
  der: Uint8Array;
}

export interface Certificate {
  /** 1, 2 or 3. */
  version: number;
  /** Upper-case hex, as OpenSSL prints it. */
  serialNumber: string;
  signatureAlgorithm: AlgorithmIdentifier;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  /** Unix seconds. */
  notBefore: number;
  notAfter: number;
  subjectPublicKeyInfo: SubjectPublicKeyInfo;
  extensions: Extensions;
  /** The signed bytes, exactly as received. */
  tbsCertificate: Uint8Array;
  signatureValue: Uint8Array;
  /** The whole certificate. */
  der: Uint8Array;
}

/** Decodes one DER certificate; throws PkiError, saying which field, when it is malformed. */
export function parseCertificate(der: Uint8Array): Certificate {
  const certificate = new DerReader(parseDer(der, 'certificate'), 'certificate');
  const tbsElement = certificate.next(TAG_SEQUENCE, 'tbsCertificate');
  const signatureAlgorithm = parseAlgorithmIdentifier(
    certificate.next(TAG_SEQUENCE, 'signatureAlgorithm'),
    'certificate.signatureAlgorithm',
  );
  const signatureValue = decodeOctetAlignedBitString(
    certificate.next(TAG_BIT_STRING, 'signatureValue'),
    'certificate.signatureValue',
  );
  certificate.finish();

  const tbs = parseTbsCertificate(tbsElement);
  if (!bytesEqual(tbs.signature.encodedIdentifier, signatureAlgorithm.encodedIdentifier)) {
    throw new PkiError('certificate: signatureAlgorithm differs from tbsCertificate.signature');
  }
  return {
    ...tbs.fields,
    signatureAlgorithm: withoutEncoding(signatureAlgorithm),
    tbsCertificate: tbsElement.encoded,
    signatureValue,
    der: der,
  };
}

type TbsFields = Omit<
  Certificate,
  'signatureAlgorithm' | 'tbsCertificate' | 'signatureValue' | 'der'
>;

function parseTbsCertificate(element: DerElement): {
  fields: TbsFields;
  signature: ParsedAlgorithm;
} {
  const what = 'tbsCertificate';
  const tbs = new DerReader(element, what);
  const versionElement = tbs.optional(VERSION_TAG, 'version');
  const version = versionElement === null ? 0 : parseVersion(versionElement);
  const serialNumber = decodeIntegerHex(
    tbs.next(TAG_INTEGER, 'serialNumber'),
    `${what}.serialNumber`,
  );
  const signature = parseAlgorithmIdentifier(
    tbs.next(TAG_SEQUENCE, 'signature'),
    `${what}.signature`,
  );
  const issuer = parseName(tbs.next(TAG_SEQUENCE, 'issuer'), `${what}.issuer`);
  const validity = new DerReader(tbs.next(TAG_SEQUENCE, 'validity'), `${what}.validity`);
  const notBefore = decodeTime(validity.next(null, 'notBefore'), `${what}.validity.notBefore`);
  const notAfter = decodeTime(validity.next(null, 'notAfter'), `${what}.validity.notAfter`);
  validity.finish();
  const subject = parseName(tbs.next(TAG_SEQUENCE, 'subject'), `${what}.subject`);
  const subjectPublicKeyInfo = parseSubjectPublicKeyInfo(
    tbs.next(TAG_SEQUENCE, 'subjectPublicKeyInfo'),
    `${what}.subjectPublicKeyInfo`,
  );
  tbs.optional(ISSUER_UNIQUE_ID_TAG, 'issuerUniqueID');
  tbs.optional(SUBJECT_UNIQUE_ID_TAG, 'subjectUniqueID');
  const extensionsElement = tbs.optional(EXTENSIONS_TAG, 'extensions');
  tbs.finish();
  if (extensionsElement !== null && version !== X509_V3) {
    throw new PkiError(`${what}: extensions in a version ${version + 1} certificate`);
  }
  const extensions =
    extensionsElement === null
      ? emptyExtensions()
      : parseExtensions(
          new DerReader(extensionsElement, `${what}.extensions`).next(TAG_SEQUENCE, 'list'),
          `${what}.extensions`,
        );
  return {
    fields: {
      version: version + 1,
      serialNumber,
      issuer,
      subject,
      notBefore,
      notAfter,
      subjectPublicKeyInfo,
      extensions,
    },
    signature,
  };
}

/** version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) } */
function parseVersion(element: DerElement): number {
  const reader = new DerReader(element, 'tbsCertificate.version');
  const version = decodeSmallInteger(
    reader.next(TAG_INTEGER, 'value'),
    X509_V3,
    'tbsCertificate.version',
  );
  reader.finish();
  return version;
}

interface ParsedAlgorithm extends AlgorithmIdentifier {
  encodedIdentifier: Uint8Array;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
function parseAlgorithmIdentifier(element: DerElement, what: string): ParsedAlgorithm {
  const reader = new DerReader(element, what);
  const oid = decodeObjectIdentifier(reader.next(TAG_OBJECT_IDENTIFIER, 'algorithm'), what);
  const parameters = reader.hasMore ? reader.next(null, 'parameters').encoded : null;
  reader.finish();
  return { oid, name: oidName(oid), parameters, encodedIdentifier: element.encoded };
}

function withoutEncoding({ oid, name, parameters }: ParsedAlgorithm): AlgorithmIdentifier {
  return { oid, name, parameters };
}

/**
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 */
function parseSubjectPublicKeyInfo(element: DerElement, what: string): SubjectPublicKeyInfo {
  const reader = new DerReader(element, what);
  const algorithm = parseAlgorithmIdentifier(
    reader.next(TAG_SEQUENCE, 'algorithm'),
    `${what}.algorithm`,
  );
  const publicKey = decodeOctetAlignedBitString(
    reader.next(TAG_BIT_STRING, 'subjectPublicKey'),
    what,
  );
  reader.finish();
  const info = { algorithm: withoutEncoding(algorithm), publicKey, der: element.encoded };
  switch (algorithm.oid) {
    case OID_RSA_ENCRYPTION:
      // RFC 3279 section 2.3.1: parameters NULL, key RSAPublicKey ::= SEQUENCE { n, e }.
      expectNullParameters(algorithm, what);
      return { ...info, curveOid: null, rsa: parseRsaPublicKey(publicKey, `${what}.rsa`) };
    case OID_EC_PUBLIC_KEY:
      // RFC 5480 section 2.1.1: parameters are the namedCurve OID.
      return { ...info, curveOid: parseNamedCurve(algorithm, what), rsa: null };
    case OID_ED25519:
      // RFC 8410 section 3: parameters absent, key 32 octets.
      if (algorithm.parameters !== null) throw new PkiError(`${what}: Ed25519 with parameters`);
      return { ...info, curveOid: null, rsa: null };
    default:
      return { ...info, curveOid: null, rsa: null };
  }
}

function expectNullParameters(algorithm: AlgorithmIdentifier, what: string): void {
  if (algorithm.parameters === null) throw new PkiError(`${what}: missing NULL parameters`);
  decodeNull(parseDer(algorithm.parameters, what), what);
}

function parseNamedCurve(algorithm: AlgorithmIdentifier, what: string): string {
  if (algorithm.parameters === null) throw new PkiError(`${what}: EC key without a named curve`);
  const curve = parseDer(algorithm.parameters, `${what}.namedCurve`);
  if (curve.tag !== TAG_OBJECT_IDENTIFIER) throw new PkiError(`${what}: EC curve is not named`);
  return decodeObjectIdentifier(curve, `${what}.namedCurve`);
}

function parseRsaPublicKey(publicKey: Uint8Array, what: string): RsaPublicKey {
  const reader = new DerReader(parseDer(publicKey, what), what);
  const modulus = decodeInteger(reader.next(TAG_INTEGER, 'modulus'), `${what}.modulus`);
  const publicExponent = decodeInteger(
    reader.next(TAG_INTEGER, 'publicExponent'),
    `${what}.publicExponent`,
  );
  reader.finish();
  if (modulus <= 0n || publicExponent <= 0n) throw new PkiError(`${what}: non-positive RSA key`);
  return { modulus, publicExponent };
}
