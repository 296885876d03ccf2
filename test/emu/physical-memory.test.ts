import { describe, expect, it } from 'vitest';
import { MEMORY_AVAILABLE, PhysicalMemory } from '../../src/emu/physical-memory';

describe('physical memory', () => {
  it('reads zero from untouched RAM and allocates only what is written', () => {
    const memory = new PhysicalMemory(128 << 20);
    expect(memory.read32(0x123450)).toBe(0);
    memory.write32(0x123450, 0xdeadbeef);
    expect(memory.read32(0x123450)).toBe(0xdeadbeef);
    expect(memory.residentBytes).toBe(64 * 1024);
  });

  it('is little-endian and handles accesses that straddle chunk boundaries', () => {
    const memory = new PhysicalMemory(4 << 20);
    memory.write32(0xfffe, 0x44332211);
    expect([0xfffe, 0xffff, 0x10000, 0x10001].map((a) => memory.read8(a))).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(memory.read32(0xfffe)).toBe(0x44332211);
    expect(memory.read16(0xffff)).toBe(0x3322);
    memory.write64(0x1fffc, 2 ** 40 + 5);
    expect(memory.read64(0x1fffc)).toBe(2 ** 40 + 5);
  });

  it('copies byte ranges across chunks', () => {
    const memory = new PhysicalMemory(4 << 20);
    const data = Uint8Array.from({ length: 200_000 }, (_, i) => i & 0xff);
    memory.writeBytes(0x1234, data);
    expect(memory.readBytes(0x1234, data.length)).toEqual(data);
  });

  it('reads all ones beyond RAM and drops writes there', () => {
    const memory = new PhysicalMemory(2 << 20);
    memory.write32(0xfd000000, 1);
    expect(memory.read32(0xfd000000)).toBe(0xffffffff);
    expect(memory.read8(2 << 20)).toBe(0xff);
  });

  it('maps conventional and extended memory as available around the BIOS holes', () => {
    const map = new PhysicalMemory(64 << 20).memoryMap();
    const available = map.filter((r) => r.type === MEMORY_AVAILABLE).reduce((n, r) => n + r.length, 0);
    expect(available).toBe(0x9fc00 + (64 << 20) - 0x100000);
  });
});
