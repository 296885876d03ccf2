/**
 * The TLS presentation language (RFC 8446 §3): big-endian integers of 1, 2 or 3 bytes and
 * vectors that carry their length in a 1-, 2- or 3-byte prefix (`opaque x<0..2^16-1>`).
 *
 * `TlsReader` reads a message from the front and refuses, with a decode_error alert, anything
 * that runs past the end, leaves bytes over, or breaks a vector's stated bounds, so the parsers
 * built on it never read out of range. The writers build the same shapes.
 */
import { concatBytes } from '../bytes';
import { TlsAlert } from './tls-alert';

export type LengthBytes = 1 | 2 | 3;

export class TlsReader {
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Named in error messages: "ClientHello", "key_share". */
    readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  take(count: number): Uint8Array {
    if (count > this.remaining) {
      throw new TlsAlert('decode_error', `${this.what} ends ${count - this.remaining} bytes early`);
    }
    const part = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return part;
  }

  uint(size: LengthBytes): number {
    return this.take(size).reduce((value, byte) => value * 256 + byte, 0);
  }

  u8(): number {
    return this.uint(1);
  }

  u16(): number {
    return this.uint(2);
  }

  /** A vector with a `size`-byte length prefix, whose length must lie in [minimum, maximum]. */
  vector(size: LengthBytes, minimum = 0, maximum = 256 ** size - 1): Uint8Array {
    const length = this.uint(size);
    if (length < minimum || length > maximum) {
      throw new TlsAlert(
        'decode_error',
        `${this.what}: a vector of ${length} bytes, outside ${minimum}..${maximum}`,
      );
    }
    return this.take(length);
  }

  /** A vector read as a reader of its own. */
  nested(size: LengthBytes, what: string, minimum = 0): TlsReader {
    return new TlsReader(this.vector(size, minimum), what);
  }

  /** A vector of 16-bit values (cipher suites, groups, signature schemes, versions). */
  u16List(size: LengthBytes, minimumCount = 1): number[] {
    const list = this.nested(size, this.what, 2 * minimumCount);
    if (list.remaining % 2 !== 0) {
      throw new TlsAlert('decode_error', `${this.what}: a list of 16-bit values of odd length`);
    }
    const values: number[] = [];
    while (list.remaining > 0) values.push(list.u16());
    return values;
  }

  /** The structure must end here. */
  end(): void {
    if (this.remaining !== 0) {
      throw new TlsAlert('decode_error', `${this.what} has ${this.remaining} bytes too many`);
    }
  }
}

export function uint(size: LengthBytes, value: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (value / 256 ** (size - 1 - i)) & 0xff);
}

export function u16(value: number): Uint8Array {
  return uint(2, value);
}

/** `parts` joined, behind a `size`-byte length prefix. */
export function vector(size: LengthBytes, ...parts: Uint8Array[]): Uint8Array {
  const content = concatBytes(parts);
  return concatBytes([uint(size, content.length), content]);
}
