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
    expect([0xfffe, 0xffff, 0x10000, 0x10001].map((a) => memory.read8(a))).toEqual([
      0x11, 0x22, 0x33, 0x44,
    ]);
    expect(memory.read32(0xfffe)).toBe(0x44332211);
    expect(memory.read16(0xffff)).toBe(0x3322);
    memory.write64(0x1fffc, 2 ** 40 + 5);
    expect(memory.read64(0x1fffc)).toBe(2 ** 40 + 5);
  });

  it('copies byte ranges across chunks', () => {
    const memory = new PhysicalMemory(4 << 20);
    const data = Uint8Array.from({ length: 200_000 }, (_, i) => i & 0xff);
    memory.writeBytes(0x1234, data);
    // Buffer.equals rather than toEqual: a deep comparison of 200 000 elements takes seconds.
    expect(Buffer.from(memory.readBytes(0x1234, data.length)).equals(Buffer.from(data))).toBe(true);
  });

  it('reads all ones beyond RAM and drops writes there', () => {
    const memory = new PhysicalMemory(2 << 20);
    memory.write32(0xfd000000, 1);
    expect(memory.read32(0xfd000000)).toBe(0xffffffff);
    expect(memory.read8(2 << 20)).toBe(0xff);
  });

  it('maps conventional and extended memory as available around the BIOS holes', () => {
    const map = new PhysicalMemory(64 << 20).memoryMap();
    const available = map
      .filter((r) => r.type === MEMORY_AVAILABLE)
      .reduce((n, r) => n + r.length, 0);
    expect(available).toBe(0x9fc00 + (64 << 20) - 0x100000);
  });
});

describe('physical memory: device windows', () => {
  function withDevice() {
    const memory = new PhysicalMemory(2 << 20);
    const regs = new DataView(new ArrayBuffer(0x100));
    const log: string[] = [];
    memory.mapDevice(0xfebf0000, 0x100, {
      name: 'test device',
      read8: (o) => regs.getUint8(o),
      read16: (o) => regs.getUint16(o, true),
      read32: (o) => regs.getUint32(o, true),
      write8: (o, v) => regs.setUint8(o, v),
      write16: (o, v) => regs.setUint16(o, v, true),
      write32: (o, v) => (log.push(`w32 ${o}`), regs.setUint32(o, v, true)),
    });
    return { memory, regs, log };
  }

  it('routes loads and stores in a mapped window to the device at their offset and width', () => {
    const { memory, regs, log } = withDevice();
    memory.write32(0xfebf0010, 0x12345678);
    expect(log).toEqual(['w32 16']);
    expect(regs.getUint32(0x10, true)).toBe(0x12345678);
    expect(memory.read16(0xfebf0012)).toBe(0x1234);
    expect(memory.read8(0xfebf0010)).toBe(0x78);
    memory.writeBytes(0xfebf0020, Uint8Array.of(1, 2, 3));
    expect(memory.readBytes(0xfebf0020, 3)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('still floats outside the window and refuses windows over RAM or over each other', () => {
    const { memory } = withDevice();
    expect(memory.read32(0xfebf0100)).toBe(0xffffffff);
    const device = {
      name: 'x',
      read8: () => 0,
      read16: () => 0,
      read32: () => 0,
      write8() {},
      write16() {},
      write32() {},
    };
    expect(() => memory.mapDevice(0x1000, 0x100, device)).toThrow(/overlaps RAM/);
    expect(() => memory.mapDevice(0xfebf0080, 0x100, device)).toThrow(/overlaps/);
  });
});
