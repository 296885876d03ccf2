import { describe, expect, it } from 'vitest';
import { BochsVbe } from '../../../src/emu/bochs-vbe';
import { IoBus } from '../../../src/emu/io-bus';
import { PhysicalMemory } from '../../../src/emu/physical-memory';

const INDEX = 0x1ce;
const DATA = 0x1cf;
const LFB = 0xfd000000;

function setup() {
  const vbe = new BochsVbe();
  const io = new IoBus();
  io.attach(vbe, INDEX, 2);
  const memory = new PhysicalMemory(2 << 20);
  memory.mapDevice(LFB, vbe.vramBytes, vbe);
  const read = (index: number): number => (io.out16(INDEX, index), io.in16(DATA));
  const write = (index: number, value: number): void => (
    io.out16(INDEX, index), io.out16(DATA, value)
  );
  /** How a driver sets a mode: disable, resolution and depth, enable with the LFB. */
  const setMode = (width: number, height: number, bpp: number): void => {
    write(4, 0x00);
    write(1, width);
    write(2, height);
    write(3, bpp);
    write(4, 0x41);
  };
  return { vbe, io, memory, read, write, setMode };
}

describe('Bochs VBE display', () => {
  it('identifies as 0xB0C5 and starts in the firmware mode 1024×768×32 with the LFB on', () => {
    const s = setup();
    expect(s.read(0)).toBe(0xb0c5);
    expect([s.read(1), s.read(2), s.read(3)]).toEqual([1024, 768, 32]);
    expect(s.read(4) & 0x41).toBe(0x41);
    expect(s.read(0xa)).toBe(256); // 16 MiB of video memory
  });

  it('reports its maxima with GETCAPS', () => {
    const s = setup();
    s.write(4, 0x02);
    expect([s.read(1), s.read(2), s.read(3)]).toEqual([2560, 1600, 32]);
  });

  it('sets a mode through the index/data ports and clears the screen', () => {
    const s = setup();
    s.memory.write32(LFB, 0x00ffffff);
    s.setMode(800, 600, 32);
    expect([s.vbe.width, s.vbe.height, s.vbe.pitch]).toEqual([800, 600, 3200]);
    expect(s.memory.read32(LFB)).toBe(0);
    const update = s.vbe.takeUpdate();
    expect([update.width, update.height]).toEqual([800, 600]);
    expect(update.patches.reduce((n, p) => n + p.width * p.height, 0)).toBe(800 * 600);
  });

  it('ignores resolution writes while enabled, as Bochs does', () => {
    const s = setup();
    s.write(1, 640);
    expect(s.read(1)).toBe(1024);
  });

  it('shows pixels written to the LFB at the PCI BAR address as RGBA, in dirty rectangles only', () => {
    const s = setup();
    s.vbe.takeDirtyRects(); // the initial full-screen repaint
    expect(s.vbe.takeDirtyRects()).toEqual([]);
    const pitch = 4096;
    s.memory.write32(LFB + 100 * pitch + 200 * 4, 0x00112233); // (200, 100): R=0x11 G=0x22 B=0x33
    s.memory.write32(LFB + 700 * pitch + 1000 * 4, 0x00ff0000); // (1000, 700)
    const update = s.vbe.takeUpdate();
    expect(update.patches.map(({ x, y, width, height }) => ({ x, y, width, height }))).toEqual([
      { x: 192, y: 96, width: 64, height: 16 },
      { x: 960, y: 688, width: 64, height: 16 },
    ]);
    const first = update.patches[0]!;
    const at = ((100 - 96) * first.width + (200 - 192)) * 4;
    expect(Array.from(first.rgba.subarray(at, at + 4))).toEqual([0x11, 0x22, 0x33, 0xff]);
    expect(s.vbe.takeUpdate().patches).toEqual([]);
  });

  it('puts the patches of an update one after another in a buffer the caller gives, overwriting it', () => {
    const s = setup();
    s.vbe.takeDirtyRects();
    s.memory.write32(LFB + 100 * 4096 + 200 * 4, 0x00112233);
    s.memory.write32(LFB + 700 * 4096 + 1000 * 4, 0x00ff0000);
    const fresh = s.vbe.readRgba({ x: 192, y: 96, width: 64, height: 16 });
    const reused = new ArrayBuffer(1 << 20);
    new Uint8Array(reused).fill(0x5a); // what an earlier frame left there
    const asked: number[] = [];
    const update = s.vbe.takeUpdate((bytes) => (asked.push(bytes), reused));
    expect(asked).toEqual([2 * 64 * 16 * 4]);
    const [first, second] = update.patches;
    expect(first!.rgba.buffer).toBe(reused);
    expect(second!.rgba.buffer).toBe(reused);
    expect(second!.rgba.byteOffset).toBe(first!.rgba.byteLength);
    expect(first!.rgba).toEqual(fresh);
    expect(Array.from(second!.rgba.subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });

  it('asks for no buffer when nothing changed', () => {
    const s = setup();
    s.vbe.takeDirtyRects();
    expect(s.vbe.takeUpdate(() => expect.unreachable('no buffer needed')).patches).toEqual([]);
  });

  it('merges a bulk copy of whole rows into one rectangle', () => {
    const s = setup();
    s.vbe.takeDirtyRects();
    s.memory.writeBytes(LFB + 32 * 4096, new Uint8Array(4096 * 32).fill(0x80));
    expect(s.vbe.takeDirtyRects()).toEqual([{ x: 0, y: 32, width: 1024, height: 32 }]);
  });

  it('pans with the Y offset (page flipping) and repaints the whole screen', () => {
    const s = setup();
    s.memory.write32(LFB + 768 * 4096, 0x00abcdef); // first pixel of the second page
    s.vbe.takeDirtyRects();
    s.write(9, 768);
    const rects = s.vbe.takeDirtyRects();
    expect(rects).toEqual([{ x: 0, y: 0, width: 1024, height: 768 }]);
    expect(Array.from(s.vbe.readRgba({ x: 0, y: 0, width: 1, height: 1 }))).toEqual([
      0xab, 0xcd, 0xef, 0xff,
    ]);
  });

  it('converts 16-bit RGB565 pixels', () => {
    const s = setup();
    s.setMode(640, 480, 16);
    s.memory.write16(LFB, 0xf800);
    expect(Array.from(s.vbe.readRgba({ x: 0, y: 0, width: 1, height: 1 }))).toEqual([
      255, 0, 0, 255,
    ]);
  });
});
