/**
 * Big-endian ("network byte order", RFC 1700 "Data Notations") reads and
 * writes of 8, 16 and 32-bit fields, the only integer layouts the wire
 * formats use.
 *
 * Every parser checks a packet's length before it reads a field, and turns a
 * short packet into a MalformedPacket. These helpers check again and throw a
 * RangeError: a read past the end is then a bug in the parser that shows up
 * at once (the fuzz tests look for exactly that), never a silent `undefined`
 * turned into 0.
 */

function checkRange(bytes: Uint8Array, offset: number, size: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + size > bytes.length) {
    throw new RangeError(`${size}-byte field at ${offset} is outside ${bytes.length} bytes`);
  }
}

export function readUint8(bytes: Uint8Array, offset: number): number {
  checkRange(bytes, offset, 1);
  return bytes[offset]!;
}

export function readUint16(bytes: Uint8Array, offset: number): number {
  checkRange(bytes, offset, 2);
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  checkRange(bytes, offset, 4);
  return (readUint16(bytes, offset) * 0x10000 + readUint16(bytes, offset + 2)) >>> 0;
}

export function writeUint8(out: Uint8Array, offset: number, value: number): void {
  checkRange(out, offset, 1);
  out[offset] = value;
}

export function writeUint16(out: Uint8Array, offset: number, value: number): void {
  checkRange(out, offset, 2);
  out[offset] = (value >>> 8) & 0xff;
  out[offset + 1] = value & 0xff;
}

export function writeUint32(out: Uint8Array, offset: number, value: number): void {
  checkRange(out, offset, 4);
  writeUint16(out, offset, value >>> 16);
  writeUint16(out, offset + 2, value & 0xffff);
}
