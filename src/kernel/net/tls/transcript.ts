/**
 * The handshake transcript (RFC 8446 section 4.4.1): every handshake message of the
 * connection so far, each with its 4-byte header, hashed with the cipher suite's hash.
 *
 * The hash is only known once the server has picked a suite, so the transcript keeps the
 * messages themselves and hashes them when asked. After a HelloRetryRequest the first
 * ClientHello is replaced by a synthetic message_hash message carrying its hash, which is how
 * a stateless server can rebuild the transcript from a cookie.
 */

import type { HashFunction } from './cipher-suites.ts';
import { concatBytes, u24 } from './presentation-language.ts';
import { HANDSHAKE_MESSAGE_HASH } from './registry.ts';

export class Transcript {
  private messages: Uint8Array[] = [];

  add(message: Uint8Array): void {
    this.messages.push(message);
  }

  hash(hash: HashFunction): Uint8Array {
    const state = hash.create();
    for (const message of this.messages) state.update(message);
    return state.digest();
  }

  /**
   * Transcript-Hash(ClientHello1, HelloRetryRequest, ...) =
   *   Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) || HelloRetryRequest || ...)
   */
  replaceWithMessageHash(hash: HashFunction): void {
    const digest = this.hash(hash);
    this.messages = [
      concatBytes(Uint8Array.of(HANDSHAKE_MESSAGE_HASH), u24(digest.length), digest),
    ];
  }
}
