/**
 * Device state as plain data: what each device's `saveState()` returns, and
 * its one canonical byte encoding.
 *
 * A device's state is a tree of numbers, booleans, strings, bytes, lists and
 * records: the register file and latches a driver could observe, never host
 * callbacks or host-side caches (a translated-code cache, the display's dirty
 * tiles). Large memories appear as SHA-256 digests of their 64 KiB pieces
 * (`pieceDigests`), so a state stays small enough to compare part by part.
 * The encoding is canonical — record fields sorted, numbers as IEEE-754
 * doubles, because virtual times are fractional nanoseconds — so equal states
 * encode to equal bytes and their digests can stand for them (machine-state.ts).
 */
import { ByteWriter } from './byte-writer';
import { sha256 } from './sha256';

export type StateValue =
  | number
  | boolean
  | string
  | null
  | Uint8Array
  | readonly StateValue[]
  | DeviceState;
export interface DeviceState {
  readonly [field: string]: StateValue;
}

const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_NUMBER = 3;
const TAG_STRING = 4;
const TAG_BYTES = 5;
const TAG_LIST = 6;
const TAG_RECORD = 7;

const PIECE_BYTES = 64 * 1024;

class StateEncoder {
  private readonly out = new ByteWriter();

  value(value: StateValue): void {
    if (value === null) this.out.u8(TAG_NULL);
    else if (typeof value === 'boolean') this.out.u8(value ? TAG_TRUE : TAG_FALSE);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'string') this.raw(TAG_STRING, new TextEncoder().encode(value));
    else if (value instanceof Uint8Array) this.raw(TAG_BYTES, value);
    else if (Array.isArray(value)) this.list(value);
    else this.record(value as DeviceState);
  }

  finish(): Uint8Array {
    return this.out.finish();
  }

  private count(tag: number, count: number): void {
    this.out.u8(tag);
    this.out.u32(count);
  }

  private number(value: number): void {
    this.out.u8(TAG_NUMBER);
    this.out.f64(value);
  }

  private raw(tag: number, bytes: Uint8Array): void {
    this.count(tag, bytes.length);
    this.out.raw(bytes);
  }

  private list(values: readonly StateValue[]): void {
    this.count(TAG_LIST, values.length);
    for (const item of values) this.value(item);
  }

  private record(state: DeviceState): void {
    const fields = Object.keys(state).sort();
    this.count(TAG_RECORD, fields.length);
    for (const field of fields) {
      this.raw(TAG_STRING, new TextEncoder().encode(field));
      this.value(state[field]!);
    }
  }
}

/** The canonical bytes of a state. */
export function encodeState(value: StateValue): Uint8Array {
  const encoder = new StateEncoder();
  encoder.value(value);
  return encoder.finish();
}

/** SHA-256 of the canonical bytes. */
export function digestState(value: StateValue): Uint8Array {
  return sha256(encodeState(value));
}

function isZero(piece: Uint8Array): boolean {
  const aligned = (piece.byteOffset & 3) === 0;
  const words = new Int32Array(
    piece.buffer,
    aligned ? piece.byteOffset : 0,
    aligned ? piece.byteLength >> 2 : 0,
  );
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  for (let i = words.length << 2; i < piece.length; i++) if (piece[i] !== 0) return false;
  return true;
}

/**
 * A large memory as [offset, digest] pairs of its 64 KiB pieces that are not
 * all zero (a never-written piece and a zeroed one are the same state).
 * `pieces` yields [offset, bytes] in ascending order of offset.
 */
export function pieceDigests(pieces: Iterable<readonly [number, Uint8Array]>): StateValue[] {
  const digests: StateValue[] = [];
  for (const [offset, bytes] of pieces) {
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
      const piece = bytes.subarray(at, at + PIECE_BYTES);
      if (!isZero(piece)) digests.push([offset + at, sha256(piece)]);
    }
  }
  return digests;
}
