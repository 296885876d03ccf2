/**
 * A growable big-endian byte writer: the encoding under machine-state digests
 * and snapshot blobs.
 */

export class ByteWriter {
  private bytes = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + count));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }
  u8(value: number): void {
    this.reserve(1);
    this.view.setUint8(this.length++, value);
  }
  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
  }
  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0);
    this.length += 4;
  }
  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
  }
  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.u8((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.u8(rest);
  }
  bytesWithLength(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.raw(bytes);
  }
  string(text: string): void {
    this.bytesWithLength(new TextEncoder().encode(text));
  }
  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value >>> 0);
  }
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
