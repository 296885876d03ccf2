// Signature verification for certificates (RFC 5280 section 4.1.1.2: the issuer signs the
// tbsCertificate bytes) and for the TLS 1.3 CertificateVerify message (RFC 8446 section 4.4.3:
// the server signs the handshake transcript with its certificate's key).
//
// Both name a method — the signature algorithm OID in a certificate, the SignatureScheme
// codepoint in TLS (RFC 8446 section 4.2.3) — which fixes the algorithm and the hash; the key
// comes from the signer's SubjectPublicKeyInfo. TLS 1.3 is stricter than certificates: ECDSA
// schemes also fix the curve, and RSA must use PSS, never PKCS#1 v1.5.
// Curve arithmetic is @noble/curves'; RSA is rsa.ts's.

import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { bigintToBytes } from './bytes.ts';
import { DerReader, decodeInteger, parseDer, TAG_INTEGER } from './der.ts';
import { type HashFunction, SHA256, SHA384, SHA512 } from './hash-functions.ts';
import {
  OID_EC_PUBLIC_KEY,
  OID_ECDSA_WITH_SHA256,
  OID_ECDSA_WITH_SHA384,
  OID_ECDSA_WITH_SHA512,
  OID_ED25519,
  OID_RSA_ENCRYPTION,
  OID_SECP256R1,
  OID_SECP384R1,
  OID_SHA256_WITH_RSA,
  OID_SHA384_WITH_RSA,
  OID_SHA512_WITH_RSA,
} from './oids.ts';
import { PkiError } from './pki-error.ts';
import { rsaModulusBits, verifyRsaPkcs1v15, verifyRsaPss } from './rsa.ts';
import type { Certificate, SubjectPublicKeyInfo } from './x509.ts';

// TLS 1.3 SignatureScheme codepoints (RFC 8446 section 4.2.3).
export const TLS_ECDSA_SECP256R1_SHA256 = 0x0403;
export const TLS_ECDSA_SECP384R1_SHA384 = 0x0503;
export const TLS_RSA_PSS_RSAE_SHA256 = 0x0804;
export const TLS_RSA_PSS_RSAE_SHA384 = 0x0805;
export const TLS_RSA_PSS_RSAE_SHA512 = 0x0806;
export const TLS_ED25519 = 0x0807;

/** Below this, an RSA key is breakable with public means (NIST SP 800-131A). */
export const MIN_RSA_MODULUS_BITS = 2048;
/** Above this, verifying would cost enough to be a denial of service. */
const MAX_RSA_MODULUS_BITS = 8192;
const MAX_RSA_EXPONENT = 1n << 32n;
const ED25519_KEY_LENGTH = 32;

type SignatureMethod =
  | { kind: 'ecdsa'; hash: HashFunction; curveOid: string | null }
  | { kind: 'rsa-pkcs1'; hash: HashFunction }
  | { kind: 'rsa-pss'; hash: HashFunction }
  | { kind: 'ed25519' };

const CERTIFICATE_SIGNATURE_METHODS: Readonly<Record<string, SignatureMethod>> = {
  [OID_ECDSA_WITH_SHA256]: { kind: 'ecdsa', hash: SHA256, curveOid: null },
  [OID_ECDSA_WITH_SHA384]: { kind: 'ecdsa', hash: SHA384, curveOid: null },
  [OID_ECDSA_WITH_SHA512]: { kind: 'ecdsa', hash: SHA512, curveOid: null },
  [OID_SHA256_WITH_RSA]: { kind: 'rsa-pkcs1', hash: SHA256 },
  [OID_SHA384_WITH_RSA]: { kind: 'rsa-pkcs1', hash: SHA384 },
  [OID_SHA512_WITH_RSA]: { kind: 'rsa-pkcs1', hash: SHA512 },
  [OID_ED25519]: { kind: 'ed25519' },
};

const TLS_SIGNATURE_METHODS: Readonly<Record<number, SignatureMethod>> = {
  [TLS_ECDSA_SECP256R1_SHA256]: { kind: 'ecdsa', hash: SHA256, curveOid: OID_SECP256R1 },
  [TLS_ECDSA_SECP384R1_SHA384]: { kind: 'ecdsa', hash: SHA384, curveOid: OID_SECP384R1 },
  [TLS_RSA_PSS_RSAE_SHA256]: { kind: 'rsa-pss', hash: SHA256 },
  [TLS_RSA_PSS_RSAE_SHA384]: { kind: 'rsa-pss', hash: SHA384 },
  [TLS_RSA_PSS_RSAE_SHA512]: { kind: 'rsa-pss', hash: SHA512 },
  [TLS_ED25519]: { kind: 'ed25519' },
};

const ECDSA_CURVES: Readonly<Record<string, { curve: typeof p256; scalarLength: number }>> = {
  [OID_SECP256R1]: { curve: p256, scalarLength: 32 },
  [OID_SECP384R1]: { curve: p384, scalarLength: 48 },
};

export type KeyStrength = 'supported' | 'weak' | 'unsupported';

/** Whether this code can verify with a key, and whether the key is strong enough to trust. */
export function publicKeyStrength(key: SubjectPublicKeyInfo): KeyStrength {
  switch (key.algorithm.oid) {
    case OID_RSA_ENCRYPTION: {
      if (key.rsa === null || !isReasonableRsaExponent(key.rsa.publicExponent))
        return 'unsupported';
      const bits = rsaModulusBits(key.rsa);
      if (bits > MAX_RSA_MODULUS_BITS) return 'unsupported';
      return bits < MIN_RSA_MODULUS_BITS ? 'weak' : 'supported';
    }
    case OID_EC_PUBLIC_KEY:
      return key.curveOid !== null && ECDSA_CURVES[key.curveOid] ? 'supported' : 'unsupported';
    case OID_ED25519:
      return key.publicKey.length === ED25519_KEY_LENGTH ? 'supported' : 'unsupported';
    default:
      return 'unsupported';
  }
}

/** Odd, at least 3 (RFC 8017 section 3.1), and below 2^32 as real keys are (nearly all 65537). */
function isReasonableRsaExponent(exponent: bigint): boolean {
  return exponent >= 3n && exponent % 2n === 1n && exponent < MAX_RSA_EXPONENT;
}

/** Checks `certificate`'s signature with its issuer's key. */
export function certificateSignatureStatus(
  certificate: Certificate,
  issuerKey: SubjectPublicKeyInfo,
): 'valid' | 'invalid' | 'unsupported' {
  const method = CERTIFICATE_SIGNATURE_METHODS[certificate.signatureAlgorithm.oid];
  if (method === undefined || publicKeyStrength(issuerKey) === 'unsupported') return 'unsupported';
  const { tbsCertificate, signatureValue } = certificate;
  return verifyWithKey(method, issuerKey, tbsCertificate, signatureValue) ? 'valid' : 'invalid';
}

/**
 * Checks a TLS 1.3 CertificateVerify signature made with `certificate`'s key. False for a
 * scheme this code does not offer, a scheme that does not fit the key, or a wrong signature.
 */
export function verifyTlsSignature(
  certificate: Certificate,
  scheme: number,
  signedContent: Uint8Array,
  signature: Uint8Array,
): boolean {
  const method = TLS_SIGNATURE_METHODS[scheme];
  const key = certificate.subjectPublicKeyInfo;
  if (method === undefined || publicKeyStrength(key) === 'unsupported') return false;
  if (method.kind === 'ecdsa' && method.curveOid !== key.curveOid) return false;
  return verifyWithKey(method, key, signedContent, signature);
}

function verifyWithKey(
  method: SignatureMethod,
  key: SubjectPublicKeyInfo,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  switch (method.kind) {
    case 'ecdsa':
      return verifyEcdsa(key, method.hash, message, signature);
    case 'rsa-pkcs1':
      return key.rsa !== null && verifyRsaPkcs1v15(key.rsa, method.hash, message, signature);
    case 'rsa-pss':
      // RFC 8446 section 4.2.3: the salt is as long as the digest.
      return (
        key.rsa !== null &&
        verifyRsaPss(key.rsa, method.hash, message, signature, method.hash.outputLength)
      );
    case 'ed25519':
      return (
        key.algorithm.oid === OID_ED25519 &&
        nobleVerifies(() => ed25519.verify(signature, message, key.publicKey))
      );
  }
}

function verifyEcdsa(
  key: SubjectPublicKeyInfo,
  hash: HashFunction,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const curve =
    key.algorithm.oid === OID_EC_PUBLIC_KEY && key.curveOid !== null
      ? ECDSA_CURVES[key.curveOid]
      : undefined;
  if (curve === undefined) return false;
  const rs = ecdsaSignatureToFixedWidth(signature, curve.scalarLength);
  // OpenSSL and WebCrypto produce either half of the s range, so high s must be accepted.
  const options = { prehash: false, lowS: false };
  return (
    rs !== null &&
    nobleVerifies(() => curve.curve.verify(rs, hash.digest(message), key.publicKey, options))
  );
}

/** Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 section 2.2.3) to r || s. */
function ecdsaSignatureToFixedWidth(
  signature: Uint8Array,
  scalarLength: number,
): Uint8Array | null {
  try {
    const reader = new DerReader(parseDer(signature, 'ECDSA signature'), 'ECDSA signature');
    const r = decodeInteger(reader.next(TAG_INTEGER, 'r'), 'ECDSA signature r');
    const s = decodeInteger(reader.next(TAG_INTEGER, 's'), 'ECDSA signature s');
    reader.finish();
    const rBytes = r > 0n ? bigintToBytes(r, scalarLength) : null;
    const sBytes = s > 0n ? bigintToBytes(s, scalarLength) : null;
    return rBytes === null || sBytes === null ? null : Uint8Array.from([...rBytes, ...sBytes]);
  } catch (error) {
    if (error instanceof PkiError) return null;
    throw error;
  }
}

/** @noble/curves throws on keys and signatures that are not even well-formed: that is a "no". */
function nobleVerifies(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}
