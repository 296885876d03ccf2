/**
 * Who a TLS server is: the certificate chain it sends (RFC 8446 §4.4.2, its own certificate
 * first) and the private key that proves it, used to sign the CertificateVerify (§4.4.3).
 *
 * Keys are ECDSA P-256 or P-384 (signatures DER-encoded, with deterministic nonces, RFC 6979,
 * so no randomness is needed) or Ed25519 (RFC 8032); each key type has exactly one TLS 1.3
 * signature scheme. Chains arrive as PEM text (RFC 7468), decoded here with a small base64
 * reader, since the emulator runs where neither Node's Buffer nor the browser's atob is assumed.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import type { BookCertificate, BookKeyAlgorithm } from './book-certificates';
import {
  SIGNATURE_ECDSA_SECP256R1_SHA256,
  SIGNATURE_ECDSA_SECP384R1_SHA384,
  SIGNATURE_ED25519,
} from './tls-registry';

export type KeyAlgorithm = BookKeyAlgorithm;

export interface ServerIdentity {
  /** DER certificates, the server's own first. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly privateKey: Uint8Array;
}

/** The signature scheme each key type signs with. */
export const SIGNATURE_SCHEMES: Readonly<Record<KeyAlgorithm, number>> = {
  'ecdsa-p256': SIGNATURE_ECDSA_SECP256R1_SHA256,
  'ecdsa-p384': SIGNATURE_ECDSA_SECP384R1_SHA384,
  ed25519: SIGNATURE_ED25519,
};

/** Signs `content` with the identity's key, in its scheme (noble hashes ECDSA input itself). */
export function signWithIdentity(identity: ServerIdentity, content: Uint8Array): Uint8Array {
  switch (identity.keyAlgorithm) {
    case 'ecdsa-p256':
      return p256.sign(content, identity.privateKey, { format: 'der' });
    case 'ecdsa-p384':
      return p384.sign(content, identity.privateKey, { format: 'der' });
    case 'ed25519':
      return ed25519.sign(content, identity.privateKey);
  }
}

export function identityFromCertificate(certificate: BookCertificate): ServerIdentity {
  return {
    chain: decodePemCertificates(certificate.chainPem),
    keyAlgorithm: certificate.keyAlgorithm,
    privateKey: fromHex(certificate.privateKey),
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g;

/** The DER bytes of each CERTIFICATE block, in order. */
export function decodePemCertificates(text: string): Uint8Array[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((match) => decodeBase64(match[1]!));
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 (RFC 4648 §4); whitespace is skipped, padding ends the data. */
export function decodeBase64(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '').replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((digits.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const digit of digits) {
    const sextet = BASE64_ALPHABET.indexOf(digit);
    if (sextet < 0) throw new RangeError(`not a base64 digit: '${digit}'`);
    value = ((value << 6) | sextet) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
}
