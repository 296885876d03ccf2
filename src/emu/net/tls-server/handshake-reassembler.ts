/**
 * Handshake messages out of handshake records (RFC 8446 §5.1): a message may be split over
 * several records and a record may hold several messages, so the content of handshake records
 * is gathered and cut at each message's 4-byte header (type, 24-bit length).
 *
 * A length beyond MAX_HANDSHAKE_MESSAGE_LENGTH is refused as soon as its header arrives, before
 * any of it is buffered: no client message the server accepts comes near it.
 */
import { concatBytes } from '../bytes';
import { TlsAlert } from './tls-alert';

const HANDSHAKE_HEADER_LENGTH = 4;
export const MAX_HANDSHAKE_MESSAGE_LENGTH = 2 ** 16;

export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header and body, as the transcript hashes it. */
  readonly raw: Uint8Array;
}

export class HandshakeReassembler {
  private pending: Uint8Array = new Uint8Array(0);

  /** No part of a message is waiting for the rest. */
  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  push(fragment: Uint8Array): void {
    this.pending = concatBytes([this.pending, fragment]);
  }

  /** The next complete message, or undefined until more arrives. */
  next(): HandshakeMessage | undefined {
    if (this.pending.length < HANDSHAKE_HEADER_LENGTH) return undefined;
    const length = (this.pending[1]! << 16) | (this.pending[2]! << 8) | this.pending[3]!;
    if (length > MAX_HANDSHAKE_MESSAGE_LENGTH) {
      throw new TlsAlert('illegal_parameter', `a handshake message of ${length} bytes`);
    }
    if (this.pending.length < HANDSHAKE_HEADER_LENGTH + length) return undefined;
    const raw = this.pending.slice(0, HANDSHAKE_HEADER_LENGTH + length);
    this.pending = this.pending.slice(raw.length);
    return { type: raw[0]!, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
  }
}
