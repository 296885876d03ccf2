/**
 * The three TLS 1.3 cipher suites this client offers (RFC 8446 section B.4) and what each
 * one means: an AEAD algorithm for the records (section 5.2) and a hash for the transcript
 * and the HKDF key schedule (section 7.1).
 *
 * A TLS 1.3 suite no longer names a key exchange or a signature; those are negotiated by
 * extensions. So a suite is just a pair (AEAD, hash), and this table is the whole story.
 */

import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';

export type HashFunction = CHash;

/** An AEAD keyed with (key, nonce, additional data): encrypt appends the tag, decrypt checks it. */
export type Aead = (
  key: Uint8Array,
  nonce: Uint8Array,
  additionalData: Uint8Array,
) => { encrypt(plaintext: Uint8Array): Uint8Array; decrypt(ciphertext: Uint8Array): Uint8Array };

export const TLS_AES_128_GCM_SHA256 = 0x1301;
export const TLS_AES_256_GCM_SHA384 = 0x1302;
export const TLS_CHACHA20_POLY1305_SHA256 = 0x1303;

/** All three AEADs use a 96-bit nonce and a 128-bit tag (RFC 5116, RFC 8439). */
export const AEAD_NONCE_LENGTH = 12;
export const AEAD_TAG_LENGTH = 16;

export interface CipherSuite {
  code: number;
  name: string;
  aead: Aead;
  keyLength: number;
  hash: HashFunction;
}

/** In the client's order of preference. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  {
    code: TLS_AES_128_GCM_SHA256,
    name: 'TLS_AES_128_GCM_SHA256',
    aead: gcm,
    keyLength: 16,
    hash: sha256,
  },
  {
    code: TLS_AES_256_GCM_SHA384,
    name: 'TLS_AES_256_GCM_SHA384',
    aead: gcm,
    keyLength: 32,
    hash: sha384,
  },
  {
    code: TLS_CHACHA20_POLY1305_SHA256,
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    aead: chacha20poly1305,
    keyLength: 32,
    hash: sha256,
  },
];

export function findCipherSuite(code: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((suite) => suite.code === code);
}
