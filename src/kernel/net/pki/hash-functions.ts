// The hash functions certificate and TLS 1.3 signatures use (FIPS 180-4 SHA-2, computed by
// @noble/hashes), each with what the signature schemes need to know about it: its output size,
// and for RSA PKCS#1 v1.5 the DER prefix of the DigestInfo that wraps the digest (RFC 8017
// section 9.2, note 1: DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING digest }).

import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

export interface HashFunction {
  name: 'SHA-256' | 'SHA-384' | 'SHA-512';
  digest: (message: Uint8Array) => Uint8Array;
  outputLength: number;
  digestInfoPrefix: Uint8Array;
}

export const SHA256: HashFunction = {
  name: 'SHA-256',
  digest: (message) => sha256(message),
  outputLength: 32,
  digestInfoPrefix: Uint8Array.from([
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
  ]),
};

export const SHA384: HashFunction = {
  name: 'SHA-384',
  digest: (message) => sha384(message),
  outputLength: 48,
  digestInfoPrefix: Uint8Array.from([
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
  ]),
};

export const SHA512: HashFunction = {
  name: 'SHA-512',
  digest: (message) => sha512(message),
  outputLength: 64,
  digestInfoPrefix: Uint8Array.from([
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
  ]),
};
