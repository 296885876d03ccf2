/**
 * The server's half of the ephemeral Diffie-Hellman exchange (RFC 8446 §4.2.8, §7.4) for the
 * two groups it offers: x25519 (RFC 7748) and secp256r1 (NIST P-256).
 *
 * Given the client's public share, the server makes a private key from the network's seeded
 * random source, answers with its public share, and keeps the shared secret: for x25519 the
 * 32-byte result, for secp256r1 the X coordinate of the shared point (§7.4.1). A client share of
 * the wrong length, a compressed or invalid point, or an x25519 share of small order (all-zero
 * result, §7.4.2) is an illegal_parameter.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { TlsAlert } from './tls-alert';
import { GROUP_SECP256R1, GROUP_X25519 } from './tls-registry';

/** The groups the server accepts, in its default order of preference. */
export const SERVER_GROUPS: readonly number[] = [GROUP_X25519, GROUP_SECP256R1];

const X25519_KEY_LENGTH = 32;
/** UncompressedPointRepresentation: 0x04, X, Y (§4.2.8.2), the only form TLS 1.3 allows. */
const SECP256R1_POINT_LENGTH = 65;
const UNCOMPRESSED_POINT = 0x04;
/** Seed bytes for a uniform P-256 scalar (FIPS 186-5 §A.4.1: 64 bits more than the order). */
const SECP256R1_SEED_LENGTH = 48;

export interface KeyAgreement {
  readonly serverPublicKey: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

export function groupName(group: number): string {
  if (group === GROUP_X25519) return 'x25519';
  if (group === GROUP_SECP256R1) return 'secp256r1';
  return `group 0x${group.toString(16).padStart(4, '0')}`;
}

/** Answers the client's share for `group` (one of SERVER_GROUPS). */
export function agreeOnKey(
  group: number,
  clientShare: Uint8Array,
  random: (length: number) => Uint8Array,
): KeyAgreement {
  if (group === GROUP_X25519) {
    requireShape(clientShare.length === X25519_KEY_LENGTH, group, 'is not 32 bytes');
    const privateKey = random(X25519_KEY_LENGTH);
    return {
      serverPublicKey: x25519.getPublicKey(privateKey),
      sharedSecret: computeOrRefuse(group, () => x25519.getSharedSecret(privateKey, clientShare)),
    };
  }
  requireShape(
    clientShare.length === SECP256R1_POINT_LENGTH && clientShare[0] === UNCOMPRESSED_POINT,
    group,
    'is not an uncompressed point',
  );
  const privateKey = p256.utils.randomSecretKey(random(SECP256R1_SEED_LENGTH));
  const point = computeOrRefuse(group, () => p256.getSharedSecret(privateKey, clientShare, true));
  return { serverPublicKey: p256.getPublicKey(privateKey, false), sharedSecret: point.slice(1) };
}

function requireShape(ok: boolean, group: number, problem: string): void {
  if (!ok) throw new TlsAlert('illegal_parameter', `the ${groupName(group)} key share ${problem}`);
}

function computeOrRefuse(group: number, compute: () => Uint8Array): Uint8Array {
  try {
    return compute();
  } catch {
    throw new TlsAlert(
      'illegal_parameter',
      `the ${groupName(group)} key share is not a valid point`,
    );
  }
}
