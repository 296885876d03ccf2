/**
 * SHA-256 for state digests and snapshot identities: synchronous (unlike Web
 * Crypto) and the same bytes everywhere. In Node it is node:crypto's (native,
 * found with process.getBuiltinModule so that this file stays importable in a
 * browser); elsewhere @noble/hashes'. Disks of tens of MiB are hashed at power
 * on, which pure JavaScript does slowly when a loader wraps its imports.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}

interface NodeCrypto {
  createHash(algorithm: 'sha256'): NodeHash;
}

const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

/** An incremental SHA-256: `update()` as often as needed, then `digest()`. */
export function incrementalSha256(): { update(data: Uint8Array): unknown; digest(): Uint8Array } {
  if (!nodeCrypto) return nobleSha256.create();
  const hash = nodeCrypto.createHash('sha256');
  return {
    update: (data: Uint8Array) => hash.update(data),
    digest: () => new Uint8Array(hash.digest()),
  };
}

/** SHA-256 of `bytes`, or of a string's UTF-8. */
export function sha256(data: Uint8Array | string): Uint8Array {
  const hash = incrementalSha256();
  hash.update(typeof data === 'string' ? utf8ToBytes(data) : data);
  return hash.digest();
}

export const toHex = bytesToHex;
