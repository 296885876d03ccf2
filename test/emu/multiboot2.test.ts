import { describe, expect, it } from 'vitest';
import { bootMultiboot2 } from '../../src/emu/firmware';
import {
  BootInformationWriter,
  buildHeader,
  MULTIBOOT2_BOOTLOADER_MAGIC,
  parseHeader,
  TAG_END,
  TAG_MMAP,
} from '../../src/emu/multiboot2';
import { PhysicalMemory } from '../../src/emu/physical-memory';

const layout = {
  headerAddr: 0x100000,
  loadAddr: 0x100000,
  loadEndAddr: 0x100100,
  bssEndAddr: 0x102000,
  entryAddr: 0x100040,
};

function image(): Uint8Array {
  const bytes = new Uint8Array(0x100).fill(0xcc);
  bytes.set(buildHeader(layout));
  return bytes;
}

describe('Multiboot2 header', () => {
  it('round-trips through build and parse', () => {
    expect(parseHeader(image())).toEqual({ headerOffset: 0, ...layout });
  });

  it('is found at any 8-byte boundary in the first 32 KiB', () => {
    const shifted = new Uint8Array(0x2000);
    shifted.set(buildHeader(layout), 0x1000);
    expect(parseHeader(shifted).headerOffset).toBe(0x1000);
  });

  it('is refused with a bad checksum or when missing', () => {
    const bad = image();
    bad[12]! ^= 1;
    expect(() => parseHeader(bad)).toThrow(/checksum/);
    expect(() => parseHeader(new Uint8Array(64))).toThrow(/no Multiboot2 header/);
  });
});

describe('Multiboot2 boot information', () => {
  it('lays out 8-byte-aligned tags ending with the end tag', () => {
    const info = new BootInformationWriter()
      .commandLine('a')
      .memoryMap([{ base: 0, length: 0x9fc00, type: 1 }])
      .build();
    const view = new DataView(info.buffer);
    expect(view.getUint32(0, true)).toBe(info.length);
    let offset = 8;
    const types: number[] = [];
    while (offset < info.length) {
      types.push(view.getUint32(offset, true));
      offset += (view.getUint32(offset + 4, true) + 7) & ~7;
    }
    expect(types).toEqual([1, TAG_MMAP, TAG_END]);
  });

  it('is written by the firmware after the loaded image, with the bootloader magic', () => {
    const memory = new PhysicalMemory(4 << 20);
    const registers = bootMultiboot2(memory, {
      image: image(),
      commandLine: 'console=ttyS0',
      modules: [{ name: 'init', bytes: new Uint8Array([1, 2, 3]) }],
      framebuffer: { addr: 0xfd000000, pitch: 4096, width: 1024, height: 768, bpp: 32 },
    });
    expect(registers.eax).toBe(MULTIBOOT2_BOOTLOADER_MAGIC);
    expect(registers.ebx % 4096).toBe(0);
    expect(registers.ebx).toBeGreaterThanOrEqual(layout.bssEndAddr);
    expect(memory.read8(0x100080)).toBe(0xcc); // image copied
    expect(memory.read8(0x101000)).toBe(0); // BSS cleared
    expect(memory.read32(registers.ebx)).toBeGreaterThan(100);
  });

  it('refuses an image that does not fit in RAM', () => {
    const memory = new PhysicalMemory(2 << 20);
    const huge = new Uint8Array(0x100);
    huge.set(buildHeader({ ...layout, bssEndAddr: 0x300000 }));
    expect(() =>
      bootMultiboot2(memory, {
        image: huge,
        commandLine: '',
        modules: [],
        framebuffer: { addr: 0, pitch: 0, width: 0, height: 0, bpp: 0 },
      }),
    ).toThrow(/does not fit/);
  });
});
