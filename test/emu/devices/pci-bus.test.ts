import { describe, expect, it } from 'vitest';
import { CottonPC } from '../../../src/emu/machine';

/** A machine that is never powered on: its devices, driven through its I/O bus. */
function machine(): CottonPC {
  return new CottonPC({
    kernel: { entry: function* () {}, image: new Uint8Array(0) },
    ramBytes: 4 << 20,
  });
}

const address = (device: number, fn: number, register: number): number =>
  (0x8000_0000 | (device << 11) | (fn << 8) | register) >>> 0;

function configRead(pc: CottonPC, device: number, fn: number, register: number): number {
  pc.io.out32(0xcf8, address(device, fn, register));
  return pc.io.in32(0xcfc);
}

function configWrite(
  pc: CottonPC,
  device: number,
  fn: number,
  register: number,
  value: number,
): void {
  pc.io.out32(0xcf8, address(device, fn, register));
  pc.io.out32(0xcfc, value);
}

/** Brute-force enumeration of bus 0, as a simple kernel does it. */
function enumerate(pc: CottonPC): string[] {
  const found: string[] = [];
  for (let device = 0; device < 32; device++) {
    for (let fn = 0; fn < 8; fn++) {
      const ids = configRead(pc, device, fn, 0);
      if ((ids & 0xffff) === 0xffff) {
        if (fn === 0) break;
        continue;
      }
      const hex = (n: number): string => n.toString(16).padStart(4, '0');
      const classCode = configRead(pc, device, fn, 8) >>> 8;
      found.push(
        `${device}.${fn} ${hex(ids & 0xffff)}:${hex(ids >>> 16)} class ${classCode.toString(16).padStart(6, '0')}`,
      );
      const headerType = (configRead(pc, device, fn, 0x0c) >>> 16) & 0xff;
      if (fn === 0 && !(headerType & 0x80)) break;
    }
  }
  return found;
}

describe('PCI configuration space', () => {
  it('lists the devices of bus 0 through 0xCF8/0xCFC', () => {
    expect(enumerate(machine())).toEqual([
      '0.0 8086:1237 class 060000',
      '1.0 8086:7000 class 060100',
      '1.1 8086:7010 class 010180',
      '2.0 1234:1111 class 030000',
      '3.0 10ec:8139 class 020000',
    ]);
  });

  it('reports the firmware-assigned BARs and the NIC interrupt line and pin', () => {
    const pc = machine();
    expect(configRead(pc, 2, 0, 0x10)).toBe(0xfd000008); // prefetchable memory
    expect(configRead(pc, 3, 0, 0x10)).toBe(0xc001); // I/O
    expect(configRead(pc, 3, 0, 0x14)).toBe(0xfebf1000);
    const interrupt = configRead(pc, 3, 0, 0x3c);
    expect(interrupt & 0xff).toBe(11);
    expect((interrupt >> 8) & 0xff).toBe(1);
  });

  it('answers the BAR sizing protocol and keeps the BAR where it was', () => {
    const pc = machine();
    configWrite(pc, 3, 0, 0x10, 0xffffffff);
    expect(configRead(pc, 3, 0, 0x10)).toBe(0xff01);
    configWrite(pc, 3, 0, 0x10, 0xc000);
    configWrite(pc, 2, 0, 0x10, 0xffffffff);
    expect(configRead(pc, 2, 0, 0x10)).toBe(0xff000008); // 16 MiB
    configWrite(pc, 2, 0, 0x10, 0xfd000000);
    expect(configRead(pc, 2, 0, 0x10)).toBe(0xfd000008);
  });

  it('sets bus mastering through the command register with a 16-bit write', () => {
    const pc = machine();
    pc.io.out32(0xcf8, address(3, 0, 0x04));
    pc.io.out16(0xcfc, pc.io.in16(0xcfc) | 0x04);
    expect(configRead(pc, 3, 0, 4) & 0x07).toBe(0x07);
  });

  it('reads all ones for an empty slot or with the enable bit clear, and leaves 0xCF9 to reset control', () => {
    const pc = machine();
    expect(configRead(pc, 9, 0, 0)).toBe(0xffffffff);
    pc.io.out32(0xcf8, 0x1800);
    expect(pc.io.in32(0xcfc)).toBe(0xffffffff);
    pc.io.out8(0xcf9, 0x06);
    expect(pc.power.request).toBe('reset');
  });

  it('shows the framebuffer at the VGA BAR address: a pixel stored there is on screen', () => {
    const pc = machine();
    pc.takeFramebufferUpdate();
    pc.memory.write32(0xfd000000 + 4 * 3, 0x00ff8000);
    const [patch] = pc.takeFramebufferUpdate().patches;
    expect(Array.from(patch!.rgba.subarray(12, 16))).toEqual([0xff, 0x80, 0x00, 0xff]);
  });
});
