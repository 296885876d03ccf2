/**
 * The TLS 1.3 key schedule (RFC 8446 section 7.1), written out as the RFC draws it:
 *
 *              0
 *              |
 *    PSK ->  HKDF-Extract = Early Secret
 *              |
 *        Derive-Secret(., "derived", "")
 *              |
 *    (EC)DHE -> HKDF-Extract = Handshake Secret
 *              |   +-> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
 *              |   +-> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
 *        Derive-Secret(., "derived", "")
 *              |
 *    0 -> HKDF-Extract = Master Secret
 *                  +-> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
 *                  +-> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
 *                  +-> Derive-Secret(., "exp master", ClientHello...server Finished)
 *                  +-> Derive-Secret(., "res master", ClientHello...client Finished)
 *
 * Each traffic secret then gives a record key and IV (section 7.3), a Finished key (section
 * 4.4.4), and its successor after a KeyUpdate (section 7.2). This client uses no PSK, so the
 * PSK is a string of zeros, and it neither exports keys nor resumes sessions, so the last two
 * secrets are derived only by the tests that check the schedule against RFC 8448.
 */

import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { HashFunction } from './cipher-suites.ts';
import { concatBytes, u16, vector8 } from './presentation-language.ts';

export const LABEL_PREFIX = 'tls13 ';
export const LABEL_DERIVED = 'derived';
export const LABEL_CLIENT_HANDSHAKE_TRAFFIC = 'c hs traffic';
export const LABEL_SERVER_HANDSHAKE_TRAFFIC = 's hs traffic';
export const LABEL_CLIENT_APPLICATION_TRAFFIC = 'c ap traffic';
export const LABEL_SERVER_APPLICATION_TRAFFIC = 's ap traffic';
export const LABEL_EXPORTER_MASTER = 'exp master';
export const LABEL_RESUMPTION_MASTER = 'res master';
export const LABEL_KEY = 'key';
export const LABEL_IV = 'iv';
export const LABEL_FINISHED = 'finished';
export const LABEL_TRAFFIC_UPDATE = 'traffic upd';

/** Record protection is always a 12-byte IV (section 5.3: iv_length is max(8, N_MIN) = 12). */
export const TRAFFIC_IV_LENGTH = 12;

/** HKDF-Extract(salt, IKM) of RFC 5869 section 2.2. */
export function hkdfExtract(hash: HashFunction, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(hash, ikm, salt);
}

// #region exercise:hkdf-expand-label
/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 *
 *   struct {
 *     uint16 length = Length;
 *     opaque label<7..255> = "tls13 " + Label;
 *     opaque context<0..255> = Context;
 *   } HkdfLabel;
 */
export function hkdfExpandLabel(
  hash: HashFunction,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const hkdfLabel = concatBytes(
    u16(length),
    vector8(asciiBytes(LABEL_PREFIX + label)),
    vector8(context),
  );
  return expand(hash, secret, hkdfLabel, length);
}
// #endregion exercise:hkdf-expand-label

/**
 * Derive-Secret(Secret, Label, Messages) =
 *   HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
 */
export function deriveSecret(
  hash: HashFunction,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, hash.outputLen);
}

/** Early Secret = HKDF-Extract(0, PSK), with no PSK a string of Hash.length zeros. */
export function computeEarlySecret(hash: HashFunction): Uint8Array {
  return hkdfExtract(hash, zeros(hash.outputLen), zeros(hash.outputLen));
}

/** Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE) */
export function computeHandshakeSecret(
  hash: HashFunction,
  earlySecret: Uint8Array,
  sharedSecret: Uint8Array,
): Uint8Array {
  return hkdfExtract(hash, deriveForNextStage(hash, earlySecret), sharedSecret);
}

/** Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0) */
export function computeMasterSecret(hash: HashFunction, handshakeSecret: Uint8Array): Uint8Array {
  return hkdfExtract(hash, deriveForNextStage(hash, handshakeSecret), zeros(hash.outputLen));
}

export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** [sender]_write_key and [sender]_write_iv from a traffic secret (section 7.3). */
export function computeTrafficKeys(
  hash: HashFunction,
  trafficSecret: Uint8Array,
  keyLength: number,
): TrafficKeys {
  return {
    key: hkdfExpandLabel(hash, trafficSecret, LABEL_KEY, new Uint8Array(0), keyLength),
    iv: hkdfExpandLabel(hash, trafficSecret, LABEL_IV, new Uint8Array(0), TRAFFIC_IV_LENGTH),
  };
}

/**
 * verify_data =
 *   HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))
 * with finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (section 4.4.4).
 */
export function computeFinishedVerifyData(
  hash: HashFunction,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  const finishedKey = hkdfExpandLabel(
    hash,
    baseKey,
    LABEL_FINISHED,
    new Uint8Array(0),
    hash.outputLen,
  );
  return hmac(hash, finishedKey, transcriptHash);
}

/**
 * application_traffic_secret_N+1 =
 *   HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
 */
export function computeNextTrafficSecret(
  hash: HashFunction,
  trafficSecret: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(
    hash,
    trafficSecret,
    LABEL_TRAFFIC_UPDATE,
    new Uint8Array(0),
    hash.outputLen,
  );
}

/** Derive-Secret(secret, "derived", ""): the salt that carries one stage into the next. */
function deriveForNextStage(hash: HashFunction, secret: Uint8Array): Uint8Array {
  return deriveSecret(hash, secret, LABEL_DERIVED, hash(new Uint8Array(0)));
}

function zeros(length: number): Uint8Array {
  return new Uint8Array(length);
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
