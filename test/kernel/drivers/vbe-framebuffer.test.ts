import { describe, expect, it } from 'vitest';
import { VbeError, VbeFramebuffer } from '../../../src/kernel/drivers/vbe-framebuffer';
import { rect } from '../../../src/kernel/gui/rect';
import { Surface } from '../../../src/kernel/gui/surface';
import { LFB_ADDRESS, driverMachine } from './machine';

function rgbaAt(m: ReturnType<typeof driverMachine>, x: number, y: number): number[] {
  return Array.from(m.display.readRgba(rect(x, y, 1, 1)));
}

describe('VBE framebuffer driver on the emulated Bochs VBE adapter', () => {
  it('sets a 32 bpp mode with the linear framebuffer through the DISPI ports', () => {
    const m = driverMachine();
    const vbe = new VbeFramebuffer(m.cpu, LFB_ADDRESS);
    vbe.setMode(800, 600);
    expect([m.display.width, m.display.height, m.display.bitsPerPixel, m.display.enabled]).toEqual([
      800,
      600,
      32,
      true,
    ]);
    expect([vbe.width, vbe.height, vbe.pitch]).toEqual([800, 600, 3200]);
    expect(m.display.pitch).toBe(vbe.pitch);
  });

  it('writes a rectangle of a surface into video memory, as the screen shows it', () => {
    const m = driverMachine();
    const vbe = new VbeFramebuffer(m.cpu, LFB_ADDRESS);
    vbe.setMode(640, 480);
    m.display.takeDirtyRects(); // the mode set repainted everything
    const screen = new Surface(640, 480);
    screen.fillRect(screen.bounds, 0x123456);
    screen.setPixel(100, 50, 0xff8000);
    vbe.writeRect(screen, rect(96, 48, 8, 4));
    expect(rgbaAt(m, 100, 50)).toEqual([0xff, 0x80, 0x00, 0xff]);
    expect(rgbaAt(m, 96, 48)).toEqual([0x12, 0x34, 0x56, 0xff]);
    expect(rgbaAt(m, 95, 48)).toEqual([0, 0, 0, 0xff]); // just outside: untouched
    expect(rgbaAt(m, 96, 52)).toEqual([0, 0, 0, 0xff]);
    expect(m.display.takeDirtyRects()).toEqual([rect(64, 48, 64, 16)]); // one tile of the device
  });

  it('copies whole-width rectangles in one store and clips rectangles to the screen', () => {
    const m = driverMachine();
    const screen = new Surface(320, 200);
    screen.fillRect(screen.bounds, 0x00ff00);
    let stores = 0;
    const cpu = m.cpu;
    const counting = new VbeFramebuffer(
      Object.assign(Object.create(cpu) as typeof cpu, {
        writeBytes: (addr: number, bytes: Uint8Array) => (stores++, cpu.writeBytes(addr, bytes)),
      }),
      LFB_ADDRESS,
    );
    counting.setMode(320, 200);
    counting.writeRect(screen, rect(0, 10, 320, 20));
    expect(stores).toBe(1);
    counting.writeRect(screen, rect(300, 190, 100, 100)); // 20×10 of it is on screen
    expect(stores).toBe(11);
    expect(rgbaAt(m, 319, 199)).toEqual([0, 0xff, 0, 0xff]);
  });

  it('refuses a mode the adapter does not take', () => {
    const m = driverMachine();
    expect(() => new VbeFramebuffer(m.cpu, LFB_ADDRESS).setMode(4000, 3000)).toThrow(VbeError);
  });

  it('reports a missing adapter by its ID register', () => {
    const m = driverMachine({ display: false });
    expect(() => new VbeFramebuffer(m.cpu, LFB_ADDRESS).setMode(640, 480)).toThrow(
      /no Bochs VBE adapter/,
    );
  });
});
