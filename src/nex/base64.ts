/**
 * Base64 (RFC 4648 §4, the standard alphabet with `=` padding), as the
 * original NEX tool writes terminal bytes and command lines.
 *
 * Written here rather than taken from Node's Buffer or the browser's atob so
 * that the same code runs in both, works on bytes (atob works on "binary
 * strings"), and reports where a bad character is instead of guessing.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends Error {
  override name = 'Base64Error';
}

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    parts.push(encodeChunk(bytes, start, Math.min(bytes.length, start + CHUNK)));
  }
  return parts.join('');
}

function encodeChunk(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (i < end) {
    const n = (bytes[i]! << 16) | ((i + 1 < end ? bytes[i + 1]! : 0) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < end ? `${ALPHABET[(n >> 6) & 63]!}=` : '==';
  }
  return out;
}

/** Decode base64; padding may be left off. Throws Base64Error naming the first bad character. */
export function decodeBase64(text: string): Uint8Array {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 61 /* = */ && text.length - length < 2) length--;
  if (length % 4 === 1) throw new Base64Error(`base64 text of ${text.length} characters is truncated`);
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  let i = 0;
  const value = (index: number): number => {
    const code = text.charCodeAt(index);
    const v = code < 128 ? VALUES[code]! : -1;
    if (v < 0) throw new Base64Error(`invalid base64 character ${JSON.stringify(text[index])} at offset ${index}`);
    return v;
  };
  for (; i + 3 < length; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = length - i;
  if (rest >= 2) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (rest === 3 ? value(i + 2) << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}
