// Small byte-array helpers shared by the certificate code: comparing, printing in hex, and the
// big-endian integer conversions that RFC 8017 section 4 names OS2IP and I2OSP.

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** OS2IP: big-endian bytes to a non-negative integer. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** I2OSP: a non-negative integer to exactly `length` big-endian bytes; null if it does not fit. */
export function bigintToBytes(value: bigint, length: number): Uint8Array | null {
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return rest === 0n ? bytes : null;
}
