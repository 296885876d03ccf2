/**
 * The TLS presentation language (RFC 8446 section 3): big-endian integers of 1, 2, 3 and 4
 * bytes and vectors that start with their own length in 1, 2 or 3 bytes.
 *
 * Every TLS message is built from these few shapes, so every parser in the client reads
 * through a `TlsReader`, which refuses to read past the end of what it was given. A length
 * that lies ends in a decode_error naming the field, never in a read out of bounds.
 */

import { TlsError } from './alert.ts';

export class TlsReader {
  private offset = 0;

  /** @param what the name of the structure, for error messages */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(field: string): number {
    return this.take(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  u24(field: string): number {
    const b = this.take(3, field);
    return (b[0]! << 16) | (b[1]! << 8) | b[2]!;
  }

  u32(field: string): number {
    const b = this.take(4, field);
    return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  /** Exactly `length` bytes (a copy, so that later edits of the input do not reach it). */
  bytesOf(length: number, field: string): Uint8Array {
    return this.take(length, field).slice();
  }

  /** opaque field<min..2^8-1> and friends: a vector with a 1, 2 or 3 byte length. */
  vector8(field: string, min = 0): Uint8Array {
    return this.vector(this.u8(`${field} length`), min, field);
  }

  vector16(field: string, min = 0): Uint8Array {
    return this.vector(this.u16(`${field} length`), min, field);
  }

  vector24(field: string, min = 0): Uint8Array {
    return this.vector(this.u24(`${field} length`), min, field);
  }

  /** Fails unless every byte has been read: a structure has no room for trailing bytes. */
  expectEnd(): void {
    if (this.remaining !== 0) {
      this.fail(`${this.remaining} unexpected bytes after the last field`);
    }
  }

  private vector(length: number, min: number, field: string): Uint8Array {
    if (length < min) this.fail(`${field} is ${length} bytes, shorter than its minimum ${min}`);
    return this.bytesOf(length, field);
  }

  private take(length: number, field: string): Uint8Array {
    if (length > this.remaining) {
      this.fail(`${field} needs ${length} bytes but only ${this.remaining} remain`);
    }
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  private fail(problem: string): never {
    throw new TlsError('decode_error', `${this.what}: ${problem}`);
  }
}

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u24(value: number): Uint8Array {
  return Uint8Array.of((value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function vector8(body: Uint8Array): Uint8Array {
  return concatBytes(u8(checkedLength(body, 0xff)), body);
}

export function vector16(body: Uint8Array): Uint8Array {
  return concatBytes(u16(checkedLength(body, 0xffff)), body);
}

export function vector24(body: Uint8Array): Uint8Array {
  return concatBytes(u24(checkedLength(body, 0xffffff)), body);
}

function checkedLength(body: Uint8Array, max: number): number {
  if (body.length > max) {
    throw new TlsError('internal_error', `a vector of ${body.length} bytes exceeds ${max}`);
  }
  return body.length;
}
