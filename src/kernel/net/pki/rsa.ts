// RSA signature verification (RFC 8017, PKCS #1 v2.2), written out with BigInt so that the
// arithmetic is visible: a signature s verifies when s^e mod n, written as bytes, is the
// expected "encoded message" for the hash of the signed data.
//
// Two encodings: EMSA-PKCS1-v1_5 (section 9.2), used in certificate signatures, is fully
// determined by the hash, so the verifier builds the expected bytes and compares. EMSA-PSS
// (section 9.1), required for RSA in TLS 1.3 handshakes, is randomised by a salt, so the verifier
// unmasks the salt from the encoded message and recomputes the hash that must match.
// Everything here is public data, so no step needs to run in constant time.

import { bigintToBytes, bytesEqual, bytesToBigint } from './bytes.ts';
import type { HashFunction } from './hash-functions.ts';

export interface RsaPublicKey {
  modulus: bigint;
  publicExponent: bigint;
}

const PSS_TRAILER = 0xbc;
const PSS_ZERO_PADDING_LENGTH = 8;

export function rsaModulusBits(key: RsaPublicKey): number {
  return key.modulus.toString(2).length;
}

function modulusLength(key: RsaPublicKey): number {
  return Math.ceil(rsaModulusBits(key) / 8);
}

/** Square-and-multiply: base^exponent mod modulus, one bit of the exponent at a time. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** RSAVP1 (section 5.2.2): m = s^e mod n, refusing signatures of the wrong size or s >= n. */
function recoverEncodedMessage(key: RsaPublicKey, signature: Uint8Array, length: number) {
  const s = bytesToBigint(signature);
  if (signature.length !== modulusLength(key) || s >= key.modulus) return null;
  return bigintToBytes(modPow(s, key.publicExponent, key.modulus), length);
}

/** RSASSA-PKCS1-v1_5-VERIFY (section 8.2.2). */
export function verifyRsaPkcs1v15(
  key: RsaPublicKey,
  hash: HashFunction,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const length = modulusLength(key);
  const encoded = recoverEncodedMessage(key, signature, length);
  const expected = encodePkcs1v15(hash, message, length);
  return encoded !== null && expected !== null && bytesEqual(encoded, expected);
}

/** EMSA-PKCS1-v1_5 (section 9.2): 00 01 FF..FF 00 DigestInfo, with at least 8 bytes of FF. */
function encodePkcs1v15(hash: HashFunction, message: Uint8Array, length: number) {
  const digestInfo = [...hash.digestInfoPrefix, ...hash.digest(message)];
  const paddingLength = length - digestInfo.length - 3;
  if (paddingLength < 8) return null;
  return Uint8Array.from([
    0x00,
    0x01,
    ...new Array<number>(paddingLength).fill(0xff),
    0x00,
    ...digestInfo,
  ]);
}

/** RSASSA-PSS-VERIFY (section 8.1.2) with MGF1 over the same hash. */
export function verifyRsaPss(
  key: RsaPublicKey,
  hash: HashFunction,
  message: Uint8Array,
  signature: Uint8Array,
  saltLength: number,
): boolean {
  const encodedBits = rsaModulusBits(key) - 1;
  const encoded = recoverEncodedMessage(key, signature, Math.ceil(encodedBits / 8));
  return encoded !== null && pssEncodingMatches(hash, message, encoded, encodedBits, saltLength);
}

/** EMSA-PSS-VERIFY (section 9.1.2), steps 3 to 14. */
function pssEncodingMatches(
  hash: HashFunction,
  message: Uint8Array,
  encoded: Uint8Array,
  encodedBits: number,
  saltLength: number,
): boolean {
  const hashLength = hash.outputLength;
  if (encoded.length < hashLength + saltLength + 2) return false;
  if (encoded[encoded.length - 1] !== PSS_TRAILER) return false;
  const maskedBlock = encoded.subarray(0, encoded.length - hashLength - 1);
  const digestOfSalted = encoded.subarray(maskedBlock.length, encoded.length - 1);
  const unusedTopBits = 8 * encoded.length - encodedBits;
  const topBitsMask = 0xff >> unusedTopBits;
  if ((maskedBlock[0]! & ~topBitsMask) !== 0) return false;

  const mask = maskGeneration(hash, digestOfSalted, maskedBlock.length);
  const block = maskedBlock.map((byte, i) => byte ^ mask[i]!);
  block[0] = block[0]! & topBitsMask;
  const separator = block.length - saltLength - 1;
  if (block.subarray(0, separator).some((byte) => byte !== 0) || block[separator] !== 0x01) {
    return false;
  }
  const salt = block.subarray(separator + 1);
  const salted = Uint8Array.from([
    ...new Array<number>(PSS_ZERO_PADDING_LENGTH).fill(0),
    ...hash.digest(message),
    ...salt,
  ]);
  return bytesEqual(hash.digest(salted), digestOfSalted);
}

/** MGF1 (appendix B.2.1): hash(seed || counter) for counter = 0, 1, ... until long enough. */
function maskGeneration(hash: HashFunction, seed: Uint8Array, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (let counter = 0, filled = 0; filled < length; counter++) {
    const counterBytes = bigintToBytes(BigInt(counter), 4)!;
    const block = hash.digest(Uint8Array.from([...seed, ...counterBytes]));
    mask.set(block.subarray(0, length - filled), filled);
    filled += block.length;
  }
  return mask;
}
