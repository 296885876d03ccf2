/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1): HKDF (RFC 5869) over the suite's hash turns the
 * (EC)DHE shared secret and the transcript into one secret per direction and phase; each
 * traffic secret gives a record key and IV (§7.3), a Finished key (§4.4.4), and, on KeyUpdate,
 * the next traffic secret (§7.2).
 *
 *            0 -> HKDF-Extract = Early Secret -> Derive-Secret(., "derived", "")
 *   (EC)DHE -> HKDF-Extract = Handshake Secret -> "c hs traffic", "s hs traffic"
 *                                              -> Derive-Secret(., "derived", "")
 *            0 -> HKDF-Extract = Master Secret -> "c ap traffic", "s ap traffic"
 *
 * No PSK: the server does not resume sessions, so the early secret always starts from zeros.
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { CHash } from '@noble/hashes/utils.js';
import { asciiBytes, concatBytes } from '../bytes';
import { AEAD_NONCE_LENGTH, type CipherSuite } from './cipher-suites';
import { u16, vector } from './tls-bytes';

const LABEL_PREFIX = 'tls13 ';
export const LABEL_CLIENT_HANDSHAKE_TRAFFIC = 'c hs traffic';
export const LABEL_SERVER_HANDSHAKE_TRAFFIC = 's hs traffic';
export const LABEL_CLIENT_APPLICATION_TRAFFIC = 'c ap traffic';
export const LABEL_SERVER_APPLICATION_TRAFFIC = 's ap traffic';
const LABEL_DERIVED = 'derived';
const LABEL_KEY = 'key';
const LABEL_IV = 'iv';
const LABEL_FINISHED = 'finished';
const LABEL_TRAFFIC_UPDATE = 'traffic upd';

/** HKDF-Expand-Label(Secret, Label, Context, Length), with the HkdfLabel structure of §7.1. */
export function expandLabel(
  hash: CHash,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const hkdfLabel = concatBytes([
    u16(length),
    vector(1, asciiBytes(LABEL_PREFIX + label)),
    vector(1, context),
  ]);
  return expand(hash, secret, hkdfLabel, length);
}

/** Derive-Secret(Secret, Label, Messages), given the hash of the messages. */
export function deriveSecret(
  hash: CHash,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return expandLabel(hash, secret, label, transcriptHash, hash.outputLen);
}

/** The handshake secret from the (EC)DHE shared secret. */
export function handshakeSecret(hash: CHash, sharedSecret: Uint8Array): Uint8Array {
  const zeros = new Uint8Array(hash.outputLen);
  const early = extract(hash, zeros, zeros);
  return extract(
    hash,
    sharedSecret,
    deriveSecret(hash, early, LABEL_DERIVED, hash(new Uint8Array(0))),
  );
}

export function masterSecret(hash: CHash, handshake: Uint8Array): Uint8Array {
  const salt = deriveSecret(hash, handshake, LABEL_DERIVED, hash(new Uint8Array(0)));
  return extract(hash, new Uint8Array(hash.outputLen), salt);
}

/** The record key and IV a traffic secret gives (§7.3). */
export function trafficKeys(
  suite: CipherSuite,
  secret: Uint8Array,
): { key: Uint8Array; iv: Uint8Array } {
  const empty = new Uint8Array(0);
  return {
    key: expandLabel(suite.hash, secret, LABEL_KEY, empty, suite.keyLength),
    iv: expandLabel(suite.hash, secret, LABEL_IV, empty, AEAD_NONCE_LENGTH),
  };
}

/** Finished.verify_data: HMAC(finished_key, Transcript-Hash(...)) (§4.4.4). */
export function finishedVerifyData(
  hash: CHash,
  baseSecret: Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  const finishedKey = expandLabel(
    hash,
    baseSecret,
    LABEL_FINISHED,
    new Uint8Array(0),
    hash.outputLen,
  );
  return hmac(hash, finishedKey, transcriptHash);
}

/** application_traffic_secret_N+1 (§7.2). */
export function nextTrafficSecret(hash: CHash, secret: Uint8Array): Uint8Array {
  return expandLabel(hash, secret, LABEL_TRAFFIC_UPDATE, new Uint8Array(0), hash.outputLen);
}
