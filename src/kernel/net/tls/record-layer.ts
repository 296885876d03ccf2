/**
 * The TLS 1.3 record layer (RFC 8446 section 5): cuts the byte stream from the server into
 * records, and protects and unprotects them.
 *
 *   TLSPlaintext / TLSCiphertext: type(1) legacy_record_version(2) length(2) fragment
 *
 * Once keys are in place every record travels as application_data; its real content type is
 * hidden inside the encryption, at the end of the TLSInnerPlaintext, followed by optional
 * zero padding (section 5.4). Each record's nonce is the write IV XORed with the record's
 * 64-bit sequence number (section 5.3), so no nonce is ever sent. The record header is the
 * AEAD's additional data, so a changed header fails the tag like a changed body.
 *
 * The state machine above decides which keys are in use; this file only applies them.
 */

import { TlsError } from './alert.ts';
import { AEAD_TAG_LENGTH, type CipherSuite } from './cipher-suites.ts';
import { computeTrafficKeys } from './key-schedule.ts';
import { concatBytes, u16 } from './presentation-language.ts';
import {
  CONTENT_TYPE_APPLICATION_DATA,
  CONTENT_TYPE_CHANGE_CIPHER_SPEC,
  TLS_1_2,
} from './registry.ts';

export const RECORD_HEADER_LENGTH = 5;
/** TLSPlaintext.length and the content of a TLSInnerPlaintext: at most 2^14 bytes. */
export const MAX_PLAINTEXT_LENGTH = 2 ** 14;
/** TLSCiphertext.length: at most 2^14 + 256 bytes. */
export const MAX_CIPHERTEXT_LENGTH = 2 ** 14 + 256;
/** Content, content type byte: the longest TLSInnerPlaintext allowed once padding is stripped. */
const MAX_INNER_PLAINTEXT_LENGTH = MAX_PLAINTEXT_LENGTH + 1;
/** TLS 1.3 records all claim to be TLS 1.2, so that middleboxes let them pass (section 5.1). */
export const LEGACY_RECORD_VERSION = TLS_1_2;

export interface ReceivedRecord {
  contentType: number;
  content: Uint8Array;
  /** True when the record came through the AEAD (its content type was the hidden one). */
  wasProtected: boolean;
}

/** One direction's AEAD key, IV and sequence number, made from a traffic secret. */
class RecordProtection {
  private readonly key: Uint8Array;
  private readonly iv: Uint8Array;
  private sequenceNumber = 0;

  constructor(
    private readonly suite: CipherSuite,
    trafficSecret: Uint8Array,
  ) {
    const keys = computeTrafficKeys(suite.hash, trafficSecret, suite.keyLength);
    this.key = keys.key;
    this.iv = keys.iv;
  }

  seal(contentType: number, content: Uint8Array): Uint8Array {
    const innerPlaintext = concatBytes(content, Uint8Array.of(contentType));
    const header = recordHeader(
      CONTENT_TYPE_APPLICATION_DATA,
      innerPlaintext.length + AEAD_TAG_LENGTH,
    );
    const ciphertext = this.suite.aead(this.key, this.nextNonce(), header).encrypt(innerPlaintext);
    return concatBytes(header, ciphertext);
  }

  open(header: Uint8Array, ciphertext: Uint8Array): { contentType: number; content: Uint8Array } {
    const nonce = this.nextNonce();
    let innerPlaintext: Uint8Array;
    try {
      innerPlaintext = this.suite.aead(this.key, nonce, header).decrypt(ciphertext);
    } catch {
      throw new TlsError('bad_record_mac', 'a record failed authentication (wrong key or altered)');
    }
    if (innerPlaintext.length > MAX_INNER_PLAINTEXT_LENGTH) {
      throw new TlsError(
        'record_overflow',
        `a decrypted record holds ${innerPlaintext.length} bytes, more than 2^14 + 1`,
      );
    }
    return splitInnerPlaintext(innerPlaintext);
  }

  /** nonce = write_iv XOR (64-bit sequence number, left-padded with zeros to the IV length) */
  private nextNonce(): Uint8Array {
    if (this.sequenceNumber >= Number.MAX_SAFE_INTEGER) {
      throw new TlsError('internal_error', 'record sequence number exhausted');
    }
    const nonce = this.iv.slice();
    let remaining = this.sequenceNumber;
    for (let i = nonce.length - 1; remaining > 0; i--) {
      nonce[i] = nonce[i]! ^ (remaining % 256);
      remaining = Math.floor(remaining / 256);
    }
    this.sequenceNumber++;
    return nonce;
  }
}

/**
 * TLSInnerPlaintext = content || ContentType type || uint8 zeros[length_of_padding]:
 * the content type is the last non-zero byte.
 */
function splitInnerPlaintext(inner: Uint8Array): { contentType: number; content: Uint8Array } {
  let end = inner.length;
  while (end > 0 && inner[end - 1] === 0) end--;
  if (end === 0) {
    throw new TlsError('unexpected_message', 'a decrypted record is all padding, no content type');
  }
  return { contentType: inner[end - 1]!, content: inner.slice(0, end - 1) };
}

function recordHeader(contentType: number, length: number): Uint8Array {
  return concatBytes(Uint8Array.of(contentType), u16(LEGACY_RECORD_VERSION), u16(length));
}

export class RecordLayer {
  private incoming: Uint8Array = new Uint8Array(0);
  private readProtection: RecordProtection | undefined;
  private writeProtection: RecordProtection | undefined;

  /** From now on, records from the server are decrypted with keys from this secret. */
  setReadSecret(suite: CipherSuite, trafficSecret: Uint8Array): void {
    this.readProtection = new RecordProtection(suite, trafficSecret);
  }

  /** From now on, records to the server are encrypted with keys from this secret. */
  setWriteSecret(suite: CipherSuite, trafficSecret: Uint8Array): void {
    this.writeProtection = new RecordProtection(suite, trafficSecret);
  }

  /** Bytes from the transport, in any pieces. */
  receive(bytes: Uint8Array): void {
    this.incoming = concatBytes(this.incoming, bytes);
  }

  /** The number of received bytes that do not yet make a whole record. */
  get bufferedLength(): number {
    return this.incoming.length;
  }

  /** The next whole record, unprotected, or undefined until more bytes arrive. */
  nextRecord(): ReceivedRecord | undefined {
    if (this.incoming.length < RECORD_HEADER_LENGTH) return undefined;
    const contentType = this.incoming[0]!;
    const length = (this.incoming[3]! << 8) | this.incoming[4]!;
    if (length > MAX_CIPHERTEXT_LENGTH) {
      throw new TlsError('record_overflow', `a record of ${length} bytes exceeds 2^14 + 256`);
    }
    const end = RECORD_HEADER_LENGTH + length;
    if (this.incoming.length < end) return undefined;
    const header = this.incoming.slice(0, RECORD_HEADER_LENGTH);
    const fragment = this.incoming.slice(RECORD_HEADER_LENGTH, end);
    this.incoming = this.incoming.slice(end);
    return this.unprotect(contentType, header, fragment);
  }

  /** Records carrying `content`, cut into pieces of at most 2^14 bytes and protected if keyed. */
  encode(contentType: number, content: Uint8Array): Uint8Array {
    const records: Uint8Array[] = [];
    let offset = 0;
    do {
      const fragment = content.subarray(offset, offset + MAX_PLAINTEXT_LENGTH);
      records.push(this.encodeOne(contentType, fragment));
      offset += MAX_PLAINTEXT_LENGTH;
    } while (offset < content.length);
    return concatBytes(...records);
  }

  private encodeOne(contentType: number, fragment: Uint8Array): Uint8Array {
    if (this.writeProtection) return this.writeProtection.seal(contentType, fragment);
    return concatBytes(recordHeader(contentType, fragment.length), fragment);
  }

  private unprotect(contentType: number, header: Uint8Array, fragment: Uint8Array): ReceivedRecord {
    // change_cipher_spec is never protected: it is a compatibility record (section 5).
    if (this.readProtection && contentType !== CONTENT_TYPE_CHANGE_CIPHER_SPEC) {
      if (contentType !== CONTENT_TYPE_APPLICATION_DATA) {
        throw new TlsError(
          'unexpected_message',
          `an unprotected record of content type ${contentType} arrived after encryption began`,
        );
      }
      return { ...this.readProtection.open(header, fragment), wasProtected: true };
    }
    if (fragment.length > MAX_PLAINTEXT_LENGTH) {
      throw new TlsError(
        'record_overflow',
        `a plaintext record of ${fragment.length} bytes exceeds 2^14`,
      );
    }
    return { contentType, content: fragment, wasProtected: false };
  }
}
