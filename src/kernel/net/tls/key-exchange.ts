/**
 * Ephemeral Diffie-Hellman key shares for the two groups this client offers (RFC 8446
 * sections 4.2.8 and 7.4): x25519 (RFC 7748) and secp256r1 (NIST P-256).
 *
 * The client makes one private key per ClientHello from the machine's seeded random source,
 * sends the public half in key_share, and combines its private key with the server's public
 * share into the shared secret that feeds the key schedule. A share that is not a valid point
 * is the server's fault and ends in illegal_parameter.
 */

import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { TlsError } from './alert.ts';
import { GROUP_SECP256R1, GROUP_X25519, groupName } from './registry.ts';

/** The groups offered in supported_groups, in order of preference. */
export const SUPPORTED_GROUPS: readonly number[] = [GROUP_X25519, GROUP_SECP256R1];

export const X25519_KEY_LENGTH = 32;
/** UncompressedPointRepresentation: 0x04, then X and Y of 32 bytes each (section 4.2.8.2). */
export const SECP256R1_POINT_LENGTH = 65;
const UNCOMPRESSED_POINT_PREFIX = 0x04;
/** p256's seed length for a uniform secret key (FIPS 186-5 A.4.1: 64 extra bits, then mod n). */
const SECP256R1_SEED_LENGTH = 48;

export interface KeyShare {
  group: number;
  publicKey: Uint8Array;
  sharedSecret(peerPublicKey: Uint8Array): Uint8Array;
}

export function createKeyShare(group: number, random: (length: number) => Uint8Array): KeyShare {
  if (group === GROUP_X25519) return createX25519Share(random(X25519_KEY_LENGTH));
  if (group === GROUP_SECP256R1) {
    return createSecp256r1Share(p256.utils.randomSecretKey(random(SECP256R1_SEED_LENGTH)));
  }
  throw new TlsError('internal_error', `no key exchange for ${groupName(group)}`);
}

function createX25519Share(privateKey: Uint8Array): KeyShare {
  return {
    group: GROUP_X25519,
    publicKey: x25519.getPublicKey(privateKey),
    sharedSecret(peerPublicKey) {
      requireLength(peerPublicKey, X25519_KEY_LENGTH, 'x25519');
      // RFC 7748 section 6.1 / RFC 8446 section 7.4.2: an all-zero result (a low-order point)
      // must be refused; noble throws in that case.
      return computeOrRefuse('x25519', () => x25519.getSharedSecret(privateKey, peerPublicKey));
    },
  };
}

function createSecp256r1Share(privateKey: Uint8Array): KeyShare {
  return {
    group: GROUP_SECP256R1,
    publicKey: p256.getPublicKey(privateKey, false),
    sharedSecret(peerPublicKey) {
      requireLength(peerPublicKey, SECP256R1_POINT_LENGTH, 'secp256r1');
      if (peerPublicKey[0] !== UNCOMPRESSED_POINT_PREFIX) {
        throw new TlsError('illegal_parameter', 'secp256r1 key share is not an uncompressed point');
      }
      // The shared secret is the X coordinate alone (section 7.4.1): the compressed encoding
      // is one prefix byte and then exactly X.
      const point = computeOrRefuse('secp256r1', () =>
        p256.getSharedSecret(privateKey, peerPublicKey, true),
      );
      return point.slice(1);
    },
  };
}

function requireLength(key: Uint8Array, length: number, group: string): void {
  if (key.length !== length) {
    throw new TlsError(
      'illegal_parameter',
      `${group} key share is ${key.length} bytes, expected ${length}`,
    );
  }
}

function computeOrRefuse(group: string, compute: () => Uint8Array): Uint8Array {
  try {
    return compute();
  } catch {
    throw new TlsError('illegal_parameter', `the server's ${group} key share is not a valid point`);
  }
}
