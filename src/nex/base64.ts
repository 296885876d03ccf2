/**
 * Base64 (RFC 4648 §4, the standard alphabet with `=` padding), as the
 * original NEX tool writes terminal bytes and command lines.
 *
 * Written here rather than taken from Node's Buffer or the browser's atob so
 * that the same code runs in both, works on bytes (atob works on "binary
 * strings"), and reports where a bad character is instead of guessing.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Value of each UTF-16 code unit, -1 for those not in the alphabet (a full table: no range checks in the loop). */
const VALUES = new Int8Array(65536).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
/** Base64 text is ASCII, so bytes → string is a single-byte decode. */
const ASCII = new TextDecoder('latin1');

export class Base64Error extends Error {
  override name = 'Base64Error';
}

export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const end = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - end;
  if (rest > 0) {
    const n = (bytes[end]! << 16) | (rest === 2 ? bytes[end + 1]! << 8 : 0);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63]! : 61;
    out[o++] = 61; // =
  }
  return ASCII.decode(out);
}

function badCharacter(text: string, from: number, to: number): Base64Error {
  let i = from;
  while (i < to && VALUES[text.charCodeAt(i)]! >= 0) i++;
  return new Base64Error(`invalid base64 character ${JSON.stringify(text[i])} at offset ${i}`);
}

/** Decode base64; padding may be left off. Throws Base64Error naming the first bad character. */
export function decodeBase64(text: string): Uint8Array {
  let length = text.length;
  if (length > 0 && text.charCodeAt(length - 1) === 61) length--;
  if (length > 0 && text.charCodeAt(length - 1) === 61 && text.length - length < 2) length--;
  if (length % 4 === 1)
    throw new Base64Error(`base64 text of ${text.length} characters is truncated`);
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  const whole = length - (length % 4);
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = VALUES[text.charCodeAt(i)]!;
    const b = VALUES[text.charCodeAt(i + 1)]!;
    const c = VALUES[text.charCodeAt(i + 2)]!;
    const d = VALUES[text.charCodeAt(i + 3)]!;
    if ((a | b | c | d) < 0) throw badCharacter(text, i, i + 4);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = length - whole;
  if (rest >= 2) {
    const a = VALUES[text.charCodeAt(whole)]!;
    const b = VALUES[text.charCodeAt(whole + 1)]!;
    const c = rest === 3 ? VALUES[text.charCodeAt(whole + 2)]! : 0;
    if ((a | b | c) < 0) throw badCharacter(text, whole, length);
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}
