/**
 * SHA-256 for state digests and snapshot identities, from @noble/hashes
 * (synchronous, unlike Web Crypto, and the same bytes in Node and browsers).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of `bytes`, or of a string's UTF-8. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return nobleSha256(typeof data === 'string' ? utf8ToBytes(data) : data);
}

/** An incremental SHA-256: `update()` as often as needed, then `digest()`. */
export function incrementalSha256(): { update(data: Uint8Array): unknown; digest(): Uint8Array } {
  return nobleSha256.create();
}

export const toHex = bytesToHex;
