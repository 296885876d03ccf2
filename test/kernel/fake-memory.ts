/** A little-endian byte buffer with the read functions the Multiboot2 parser uses, and a builder for MBIs. */
export class FakeMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  read8(addr: number): number {
    return this.view.getUint8(addr);
  }
  read16(addr: number): number {
    return this.view.getUint16(addr, true);
  }
  read32(addr: number): number {
    return this.view.getUint32(addr, true);
  }
  read64(addr: number): number {
    return this.read32(addr) + this.read32(addr + 4) * 2 ** 32;
  }
}

export interface MapEntry {
  base: number;
  length: number;
  type: number;
}

/** Builds a Multiboot2 information structure tag by tag (spec §3.6). */
export class MbiBuilder {
  private readonly tags: number[][] = [];

  private static tag(type: number, payload: number[]): number[] {
    const size = 8 + payload.length;
    return [...u32(type), ...u32(size), ...payload];
  }
  string(type: number, text: string): this {
    this.tags.push(MbiBuilder.tag(type, [...[...text].map((c) => c.charCodeAt(0)), 0]));
    return this;
  }
  basicMemory(lowerKiB: number, upperKiB: number): this {
    this.tags.push(MbiBuilder.tag(4, [...u32(lowerKiB), ...u32(upperKiB)]));
    return this;
  }
  memoryMap(entries: MapEntry[], entrySize = 24): this {
    const payload = [...u32(entrySize), ...u32(0)];
    for (const e of entries) {
      const entry = [...u64(e.base), ...u64(e.length), ...u32(e.type), ...u32(0)];
      while (entry.length < entrySize) entry.push(0xee);
      payload.push(...entry);
    }
    this.tags.push(MbiBuilder.tag(6, payload));
    return this;
  }
  framebuffer(addr: number, pitch: number, width: number, height: number, bpp: number): this {
    this.tags.push(
      MbiBuilder.tag(8, [...u64(addr), ...u32(pitch), ...u32(width), ...u32(height), bpp, 1, 0, 0]),
    );
    return this;
  }
  module(start: number, end: number, name: string): this {
    this.tags.push(
      MbiBuilder.tag(3, [...u32(start), ...u32(end), ...[...name].map((c) => c.charCodeAt(0)), 0]),
    );
    return this;
  }
  loadBase(addr: number): this {
    this.tags.push(MbiBuilder.tag(21, u32(addr)));
    return this;
  }
  raw(type: number, payload: number[]): this {
    this.tags.push(MbiBuilder.tag(type, payload));
    return this;
  }
  /** Write the MBI at `at` in a fresh memory; returns the memory. */
  build(at = 0x1000): FakeMemory {
    const body: number[] = [];
    for (const tag of [...this.tags, MbiBuilder.tag(0, [])]) {
      body.push(...tag);
      while (body.length % 8 !== 0) body.push(0);
    }
    const bytes = [...u32(8 + body.length), ...u32(0), ...body];
    const memory = new FakeMemory(at + bytes.length + 64);
    memory.bytes.set(bytes, at);
    return memory;
  }
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}
function u64(value: number): number[] {
  return [...u32(value % 2 ** 32), ...u32(Math.floor(value / 2 ** 32))];
}
