/**
 * The TLS 1.3 record layer (RFC 8446 §5): the byte stream cut into records of a 5-byte header
 * (content type, legacy version 0x0303, length) and a fragment, and, once keys are set, each
 * record protected with the suite's AEAD (§5.2):
 *
 *   TLSInnerPlaintext = content || real content type || zero padding
 *   nonce  = IV XOR the record's 64-bit sequence number (§5.3), counted per key
 *   AAD    = the record header, which names itself application_data (23)
 *
 * Limits (§5.1, §5.2): 2^14 bytes of plaintext per record, 2^14 + 256 of ciphertext; a longer
 * record is a record_overflow, a record that does not decrypt a bad_record_mac. Records not
 * protected (before keys, and change_cipher_spec, which never is) pass through as they are; the
 * state machine judges whether one may appear.
 */
import { concatBytes } from '../bytes';
import { type CipherSuite, AEAD_TAG_LENGTH } from './cipher-suites';
import { trafficKeys } from './key-schedule';
import { TlsAlert } from './tls-alert';
import {
  CONTENT_TYPE_ALERT,
  CONTENT_TYPE_APPLICATION_DATA,
  CONTENT_TYPE_CHANGE_CIPHER_SPEC,
  CONTENT_TYPE_HANDSHAKE,
  TLS_1_2,
} from './tls-registry';

export const RECORD_HEADER_LENGTH = 5;
export const MAX_PLAINTEXT_LENGTH = 2 ** 14;
export const MAX_CIPHERTEXT_LENGTH = 2 ** 14 + 256;
const CONTENT_TYPES = [
  CONTENT_TYPE_CHANGE_CIPHER_SPEC,
  CONTENT_TYPE_ALERT,
  CONTENT_TYPE_HANDSHAKE,
  CONTENT_TYPE_APPLICATION_DATA,
];

export interface TlsRecord {
  readonly contentType: number;
  readonly content: Uint8Array;
  /** It arrived encrypted (its real type came from inside). */
  readonly wasProtected: boolean;
}

/** One direction's keys and its record counter. */
interface Protection {
  readonly suite: CipherSuite;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  sequence: number;
}

function protection(suite: CipherSuite, secret: Uint8Array): Protection {
  return { suite, ...trafficKeys(suite, secret), sequence: 0 };
}

/** The per-record nonce: the IV XOR the sequence number, left-padded to its length (§5.3). */
function nonce({ iv, sequence }: Protection): Uint8Array {
  const padded = new Uint8Array(iv.length);
  for (let i = iv.length - 1, rest = sequence; rest > 0; i--, rest = Math.floor(rest / 256)) {
    padded[i] = rest % 256;
  }
  return iv.map((byte, i) => byte ^ padded[i]!);
}

function header(contentType: number, length: number): Uint8Array {
  return Uint8Array.of(contentType, TLS_1_2 >> 8, TLS_1_2 & 0xff, length >> 8, length & 0xff);
}

export class RecordLayer {
  private input: Uint8Array = new Uint8Array(0);
  private reading: Protection | undefined;
  private writing: Protection | undefined;

  /** Protect records from the peer with keys from this traffic secret from now on. */
  setReadSecret(suite: CipherSuite, secret: Uint8Array): void {
    this.reading = protection(suite, secret);
  }

  setWriteSecret(suite: CipherSuite, secret: Uint8Array): void {
    this.writing = protection(suite, secret);
  }

  get isReadProtected(): boolean {
    return this.reading !== undefined;
  }

  /** Bytes from the transport, in any pieces. */
  receive(bytes: Uint8Array): void {
    this.input = concatBytes([this.input, bytes]);
  }

  /** The next complete record, or undefined until more bytes arrive. */
  nextRecord(): TlsRecord | undefined {
    if (this.input.length < RECORD_HEADER_LENGTH) return undefined;
    const contentType = this.input[0]!;
    const length = (this.input[3]! << 8) | this.input[4]!;
    if (!CONTENT_TYPES.includes(contentType)) {
      throw new TlsAlert('unexpected_message', `a record of unknown content type ${contentType}`);
    }
    if (length > MAX_CIPHERTEXT_LENGTH) {
      throw new TlsAlert('record_overflow', `a record of ${length} bytes`);
    }
    if (this.input.length < RECORD_HEADER_LENGTH + length) return undefined;
    const recordHeader = this.input.slice(0, RECORD_HEADER_LENGTH);
    const fragment = this.input.slice(RECORD_HEADER_LENGTH, RECORD_HEADER_LENGTH + length);
    this.input = this.input.slice(RECORD_HEADER_LENGTH + length);
    if (this.reading && contentType === CONTENT_TYPE_APPLICATION_DATA) {
      return this.open(this.reading, recordHeader, fragment);
    }
    if (length > MAX_PLAINTEXT_LENGTH) {
      throw new TlsAlert('record_overflow', `a plaintext record of ${length} bytes`);
    }
    return { contentType, content: fragment, wasProtected: false };
  }

  /** `content` as records of at most 2^14 bytes each, protected once write keys are set. */
  encode(contentType: number, content: Uint8Array): Uint8Array {
    const records: Uint8Array[] = [];
    let at = 0;
    do {
      const fragment = content.subarray(at, at + MAX_PLAINTEXT_LENGTH);
      records.push(this.seal(contentType, fragment));
      at += MAX_PLAINTEXT_LENGTH;
    } while (at < content.length);
    return concatBytes(records);
  }

  private seal(contentType: number, fragment: Uint8Array): Uint8Array {
    const keys = this.writing;
    if (!keys) return concatBytes([header(contentType, fragment.length), fragment]);
    const inner = concatBytes([fragment, Uint8Array.of(contentType)]);
    const recordHeader = header(CONTENT_TYPE_APPLICATION_DATA, inner.length + AEAD_TAG_LENGTH);
    const sealed = keys.suite.aead(keys.key, nonce(keys), recordHeader).encrypt(inner);
    keys.sequence++;
    return concatBytes([recordHeader, sealed]);
  }

  private open(keys: Protection, recordHeader: Uint8Array, fragment: Uint8Array): TlsRecord {
    let inner: Uint8Array;
    try {
      inner = keys.suite.aead(keys.key, nonce(keys), recordHeader).decrypt(fragment);
    } catch {
      throw new TlsAlert('bad_record_mac', 'a record that does not decrypt with the current keys');
    }
    keys.sequence++;
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) {
      throw new TlsAlert('unexpected_message', 'a protected record with no content type');
    }
    if (end - 1 > MAX_PLAINTEXT_LENGTH) {
      throw new TlsAlert('record_overflow', `a protected record of ${end - 1} bytes of content`);
    }
    return { contentType: inner[end - 1]!, content: inner.slice(0, end - 1), wasProtected: true };
  }
}
