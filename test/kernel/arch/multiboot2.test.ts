import { describe, expect, it } from 'vitest';
import { parseBootInfo, parseMemoryMap } from '../../../src/kernel/arch/multiboot2';
import { summarizeMemory } from '../../../src/kernel/arch/memory-map';
import { MbiBuilder } from '../fake-memory';

const MiB = 1024 * 1024;
const PC_MAP = [
  { base: 0, length: 0x9fc00, type: 1 },
  { base: 0x9fc00, length: 0x400, type: 2 },
  { base: 0xf0000, length: 0x10000, type: 2 },
  { base: 0x100000, length: 127 * MiB, type: 1 },
];

describe('Multiboot2 information parsing', () => {
  it('reads every tag the kernel uses', () => {
    const memory = new MbiBuilder()
      .string(1, 'console=ttyS0 quiet')
      .string(2, 'GRUB 2.12')
      .basicMemory(639, 130048)
      .memoryMap(PC_MAP)
      .framebuffer(0xfd000000, 4096, 1024, 768, 32)
      .module(0x200000, 0x201000, 'initrd')
      .loadBase(0x100000)
      .build(0x1000);
    const info = parseBootInfo(memory, 0x1000);
    expect(info.commandLine).toBe('console=ttyS0 quiet');
    expect(info.bootLoaderName).toBe('GRUB 2.12');
    expect(info.basicMemory).toEqual({ lowerKiB: 639, upperKiB: 130048 });
    expect(info.memoryMap).toEqual(PC_MAP);
    expect(info.framebuffer).toEqual({
      address: 0xfd000000,
      pitch: 4096,
      width: 1024,
      height: 768,
      bitsPerPixel: 32,
      type: 1,
    });
    expect(info.modules).toEqual([{ start: 0x200000, end: 0x201000, name: 'initrd' }]);
    expect(info.loadBase).toBe(0x100000);
  });

  it('skips tags it does not know and stops at the end tag', () => {
    const memory = new MbiBuilder().raw(14, [1, 2, 3, 4, 5]).string(1, 'after unknown').build();
    expect(parseBootInfo(memory, 0x1000).commandLine).toBe('after unknown');
  });

  it('gives empty defaults when tags are missing', () => {
    const info = parseBootInfo(new MbiBuilder().build(), 0x1000);
    expect(info).toMatchObject({ commandLine: '', bootLoaderName: '', memoryMap: [], modules: [] });
    expect(info.framebuffer).toBeUndefined();
  });

  it('rejects a tag whose size runs past the structure', () => {
    const memory = new MbiBuilder().string(1, 'x').build();
    memory.bytes[0x1000 + 8 + 4] = 0xff; // cmdline tag size = 255
    expect(() => parseBootInfo(memory, 0x1000)).toThrow(/malformed tag/);
  });
});

describe('the memory map tag (exercise boot/memory-map)', () => {
  it('reads 24-byte entries', () => {
    const memory = new MbiBuilder().memoryMap(PC_MAP).build();
    expect(parseMemoryMap(memory, 0x1008)).toEqual(PC_MAP);
  });

  it('steps by entry_size, so larger future entries still parse', () => {
    const memory = new MbiBuilder().memoryMap(PC_MAP, 32).build();
    expect(parseMemoryMap(memory, 0x1008)).toEqual(PC_MAP);
  });

  it('handles addresses above 4 GiB', () => {
    const high = [{ base: 0x1_0000_0000, length: 2 * 1024 * MiB, type: 1 }];
    expect(parseMemoryMap(new MbiBuilder().memoryMap(high).build(), 0x1008)).toEqual(high);
  });

  it('sums usable and reserved memory', () => {
    expect(summarizeMemory(PC_MAP)).toEqual({
      total: 0x9fc00 + 0x400 + 0x10000 + 127 * MiB,
      usable: 0x9fc00 + 127 * MiB,
      reserved: 0x10400,
    });
  });
});
