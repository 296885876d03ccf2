/**
 * Multiboot2 wire formats (Multiboot2 Specification 2.0, §3.1 and §3.6).
 *
 * Two structures cross the boundary between a boot loader and a kernel:
 * the *header* the kernel image carries in its first 32 KiB (magic, checksum,
 * and tags saying where to load it), which the loader checks before loading
 * anything; and the *boot information* the loader builds in memory for the
 * kernel, a list of 8-byte-aligned tags. The firmware uses both; the kernel
 * reads the information with its own parser, as a real kernel would.
 */

export const MULTIBOOT2_HEADER_MAGIC = 0xe85250d6;
export const MULTIBOOT2_BOOTLOADER_MAGIC = 0x36d76289;
export const ARCHITECTURE_I386 = 0;
const HEADER_SEARCH_LIMIT = 32768;
const HEADER_TAG_END = 0;
const HEADER_TAG_ADDRESS = 2;
const HEADER_TAG_ENTRY_ADDRESS = 3;

export const TAG_END = 0;
export const TAG_CMDLINE = 1;
export const TAG_BOOTLOADER_NAME = 2;
export const TAG_MODULE = 3;
export const TAG_BASIC_MEMINFO = 4;
export const TAG_MMAP = 6;
export const TAG_FRAMEBUFFER = 8;
export const TAG_LOAD_BASE_ADDR = 21;

const FRAMEBUFFER_TYPE_RGB = 1;
const MMAP_ENTRY_SIZE = 24;

const align8 = (n: number): number => (n + 7) & ~7;

/** Where a Multiboot2 header says the image goes. */
export interface ImageLayout {
  /** Offset of the header in the image file. */
  headerOffset: number;
  headerAddr: number;
  loadAddr: number;
  loadEndAddr: number;
  bssEndAddr: number;
  entryAddr: number;
}

/** Build a Multiboot2 header with address and entry-address tags (what a linker script emits). */
export function buildHeader(layout: Omit<ImageLayout, 'headerOffset'>): Uint8Array {
  const length = 16 + 24 + 16 + 8;
  const view = new DataView(new ArrayBuffer(length));
  view.setUint32(0, MULTIBOOT2_HEADER_MAGIC, true);
  view.setUint32(4, ARCHITECTURE_I386, true);
  view.setUint32(8, length, true);
  view.setUint32(
    12,
    (0x1_0000_0000 - ((MULTIBOOT2_HEADER_MAGIC + ARCHITECTURE_I386 + length) % 0x1_0000_0000)) %
      0x1_0000_0000,
    true,
  );
  const words = [
    [
      HEADER_TAG_ADDRESS,
      24,
      layout.headerAddr,
      layout.loadAddr,
      layout.loadEndAddr,
      layout.bssEndAddr,
    ],
    [HEADER_TAG_ENTRY_ADDRESS, 12, layout.entryAddr, 0],
    [HEADER_TAG_END, 8],
  ];
  let offset = 16;
  for (const [type, size, ...fields] of words) {
    view.setUint16(offset, type!, true);
    view.setUint16(offset + 2, 0, true);
    view.setUint32(offset + 4, size!, true);
    fields.forEach((field, i) => view.setUint32(offset + 8 + 4 * i, field, true));
    offset += align8(size!);
  }
  return new Uint8Array(view.buffer);
}

/** Find and check the Multiboot2 header of an image, as a loader must before loading it. */
export function parseHeader(image: Uint8Array): ImageLayout {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const limit = Math.min(HEADER_SEARCH_LIMIT, image.length) - 16;
  for (let offset = 0; offset <= limit; offset += 8) {
    if (view.getUint32(offset, true) !== MULTIBOOT2_HEADER_MAGIC) continue;
    const architecture = view.getUint32(offset + 4, true);
    const length = view.getUint32(offset + 8, true);
    const checksum = view.getUint32(offset + 12, true);
    if ((MULTIBOOT2_HEADER_MAGIC + architecture + length + checksum) % 0x1_0000_0000 !== 0) {
      throw new Error(`Multiboot2 header at offset ${offset} has a bad checksum`);
    }
    if (architecture !== ARCHITECTURE_I386)
      throw new Error(`Multiboot2 header asks for architecture ${architecture}`);
    return { headerOffset: offset, ...parseHeaderTags(view, offset, length) };
  }
  throw new Error('no Multiboot2 header in the first 32 KiB of the kernel image');
}

function parseHeaderTags(
  view: DataView,
  start: number,
  length: number,
): Omit<ImageLayout, 'headerOffset'> {
  let address: number[] | null = null;
  let entry: number | null = null;
  for (let offset = start + 16; offset < start + length; ) {
    const type = view.getUint16(offset, true);
    const size = view.getUint32(offset + 4, true);
    if (type === HEADER_TAG_END) break;
    if (size < 8) throw new Error(`Multiboot2 header tag ${type} has size ${size}`);
    if (type === HEADER_TAG_ADDRESS)
      address = [0, 4, 8, 12].map((i) => view.getUint32(offset + 8 + i, true));
    if (type === HEADER_TAG_ENTRY_ADDRESS) entry = view.getUint32(offset + 8, true);
    offset += align8(size);
  }
  if (!address || entry === null)
    throw new Error('Multiboot2 header lacks the address or entry-address tag');
  const [headerAddr, loadAddr, loadEndAddr, bssEndAddr] = address as [
    number,
    number,
    number,
    number,
  ];
  return { headerAddr, loadAddr, loadEndAddr, bssEndAddr, entryAddr: entry };
}

/** Accumulates boot-information tags and writes the structure into memory. */
export class BootInformationWriter {
  private readonly tags: Uint8Array[] = [];

  private tag(type: number, payload: Uint8Array): void {
    const size = 8 + payload.length;
    const bytes = new Uint8Array(align8(size));
    const view = new DataView(bytes.buffer);
    view.setUint32(0, type, true);
    view.setUint32(4, size, true);
    bytes.set(payload, 8);
    this.tags.push(bytes);
  }

  private static fields(
    layout: [number, 'u8' | 'u16' | 'u32' | 'u64'][],
    tail: Uint8Array = new Uint8Array(0),
  ): Uint8Array {
    const widths = { u8: 1, u16: 2, u32: 4, u64: 8 };
    const size = layout.reduce((n, [, width]) => n + widths[width], 0);
    const bytes = new Uint8Array(size + tail.length);
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const [value, width] of layout) {
      if (width === 'u8') view.setUint8(offset, value);
      else if (width === 'u16') view.setUint16(offset, value, true);
      else if (width === 'u32') view.setUint32(offset, value, true);
      else view.setBigUint64(offset, BigInt(value), true);
      offset += widths[width];
    }
    bytes.set(tail, size);
    return bytes;
  }

  private static cString(text: string): Uint8Array {
    const utf8 = new TextEncoder().encode(text);
    const bytes = new Uint8Array(utf8.length + 1);
    bytes.set(utf8);
    return bytes;
  }

  commandLine(text: string): this {
    this.tag(TAG_CMDLINE, BootInformationWriter.cString(text));
    return this;
  }

  bootLoaderName(text: string): this {
    this.tag(TAG_BOOTLOADER_NAME, BootInformationWriter.cString(text));
    return this;
  }

  module(start: number, end: number, name: string): this {
    this.tag(
      TAG_MODULE,
      BootInformationWriter.fields(
        [
          [start, 'u32'],
          [end, 'u32'],
        ],
        BootInformationWriter.cString(name),
      ),
    );
    return this;
  }

  basicMemoryInfo(lowerKiB: number, upperKiB: number): this {
    this.tag(
      TAG_BASIC_MEMINFO,
      BootInformationWriter.fields([
        [lowerKiB, 'u32'],
        [upperKiB, 'u32'],
      ]),
    );
    return this;
  }

  memoryMap(regions: readonly { base: number; length: number; type: number }[]): this {
    const entries = regions.flatMap(
      (r) =>
        [
          [r.base, 'u64'],
          [r.length, 'u64'],
          [r.type, 'u32'],
          [0, 'u32'],
        ] as [number, 'u64' | 'u32'][],
    );
    this.tag(
      TAG_MMAP,
      BootInformationWriter.fields([[MMAP_ENTRY_SIZE, 'u32'], [0, 'u32'], ...entries]),
    );
    return this;
  }

  framebuffer(fb: {
    addr: number;
    pitch: number;
    width: number;
    height: number;
    bpp: number;
  }): this {
    const rgbFields: [number, 'u8'][] = [16, 8, 8, 8, 0, 8].map((v) => [v, 'u8']);
    this.tag(
      TAG_FRAMEBUFFER,
      BootInformationWriter.fields([
        [fb.addr, 'u64'],
        [fb.pitch, 'u32'],
        [fb.width, 'u32'],
        [fb.height, 'u32'],
        [fb.bpp, 'u8'],
        [FRAMEBUFFER_TYPE_RGB, 'u8'],
        [0, 'u16'],
        ...rgbFields,
      ]),
    );
    return this;
  }

  loadBaseAddress(addr: number): this {
    this.tag(TAG_LOAD_BASE_ADDR, BootInformationWriter.fields([[addr, 'u32']]));
    return this;
  }

  /** The finished structure: fixed part, tags, end tag. */
  build(): Uint8Array {
    this.tag(TAG_END, new Uint8Array(0));
    const total = 8 + this.tags.reduce((n, t) => n + t.length, 0);
    const bytes = new Uint8Array(total);
    new DataView(bytes.buffer).setUint32(0, total, true);
    let offset = 8;
    for (const t of this.tags) {
      bytes.set(t, offset);
      offset += t.length;
    }
    this.tags.pop();
    return bytes;
  }
}
