/**
 * The three cipher suites of TLS 1.3 that the server speaks (RFC 8446 §B.4): each is an AEAD
 * that protects the records (§5.2) and the hash of the transcript and the key schedule (§7.1).
 * Key exchange and signatures are negotiated apart, by extensions, so a suite is only this pair.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';

export const TLS_AES_128_GCM_SHA256 = 0x1301;
export const TLS_AES_256_GCM_SHA384 = 0x1302;
export const TLS_CHACHA20_POLY1305_SHA256 = 0x1303;

/** All three AEADs take a 12-byte nonce and append a 16-byte tag (RFC 5116 §5, RFC 8439 §2.8). */
export const AEAD_NONCE_LENGTH = 12;
export const AEAD_TAG_LENGTH = 16;

export interface CipherSuite {
  readonly code: number;
  readonly name: string;
  readonly aead: typeof gcm | typeof chacha20poly1305;
  readonly keyLength: number;
  readonly hash: CHash;
}

/** In the server's default order of preference. */
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

export function cipherSuite(code: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((suite) => suite.code === code);
}
