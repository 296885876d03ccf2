/**
 * Driver for the Bochs/QEMU VBE display adapter: mode setting and the linear
 * framebuffer.
 *
 * Models: the Bochs VBE extension ("DISPI" interface, Bochs' vbe.h and
 * QEMU's hw/display/vga.c), which QEMU's `-vga std` also implements. Its
 * registers sit behind two 16-bit ports: write a register number to the index
 * port 0x1CE, then read or write its value at the data port 0x1CF. A mode is
 * set in four steps: disable the display, write the resolution and the colour
 * depth, enable it again with the LFB flag, which maps video memory as one
 * linear framebuffer in a PCI memory BAR. Resolution writes are ignored
 * while the display is enabled, hence the order; the driver reads the
 * registers back to check the adapter took the mode.
 *
 * In a 32 bpp mode pixel (x, y) is the four bytes B, G, R, unused at
 * framebuffer + y × pitch + x × 4, the pitch being width × 4 right after a
 * mode set. A compositor surface already has this layout (0x00RRGGBB stored
 * little-endian), so each row of a rectangle is one bulk store into video
 * memory, and a rectangle as wide as the screen is a single store.
 *
 * The framebuffer's physical address is not found here: the firmware reports
 * it in the Multiboot2 framebuffer tag (it is the adapter's PCI BAR 0).
 */
import type { MachineInterface } from '../../emu/machine-interface';

export const VBE_DISPI_IOPORT_INDEX = 0x1ce;
export const VBE_DISPI_IOPORT_DATA = 0x1cf;

export const VBE_DISPI_INDEX_ID = 0x0;
export const VBE_DISPI_INDEX_XRES = 0x1;
export const VBE_DISPI_INDEX_YRES = 0x2;
export const VBE_DISPI_INDEX_BPP = 0x3;
export const VBE_DISPI_INDEX_ENABLE = 0x4;

/** The ID register holds the interface version; 32 bpp and the LFB need 0xB0C2 or later. */
export const VBE_DISPI_ID2 = 0xb0c2;
export const VBE_DISPI_ID5 = 0xb0c5;
export const VBE_DISPI_DISABLED = 0x00;
export const VBE_DISPI_ENABLED = 0x01;
export const VBE_DISPI_LFB_ENABLED = 0x40;

export const VBE_BITS_PER_PIXEL = 32;
const BYTES_PER_PIXEL = 4;

/**
 * Pixels in memory, row after row, 0x00RRGGBB each: what the driver copies
 * from. (The GUI's surfaces have this shape; the driver, a layer below the
 * GUI, names only what it needs of them.)
 */
export interface PixelRows {
  readonly pixels: Uint32Array;
  readonly width: number;
  readonly height: number;
}

/** A rectangle of the screen, in pixels. */
export interface ScreenArea {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export class VbeError extends Error {
  override readonly name = 'VbeError';
}

export class VbeFramebuffer {
  private modeWidth = 0;
  private modeHeight = 0;

  /** `framebufferAddress`: the physical address from the Multiboot2 framebuffer tag. */
  constructor(
    private readonly cpu: MachineInterface,
    readonly framebufferAddress: number,
  ) {}

  get width(): number {
    return this.modeWidth;
  }
  get height(): number {
    return this.modeHeight;
  }
  /** Bytes from one row of pixels to the next. */
  get pitch(): number {
    return this.modeWidth * BYTES_PER_PIXEL;
  }

  private readRegister(index: number): number {
    this.cpu.outw(VBE_DISPI_IOPORT_INDEX, index);
    return this.cpu.inw(VBE_DISPI_IOPORT_DATA);
  }

  private writeRegister(index: number, value: number): void {
    this.cpu.outw(VBE_DISPI_IOPORT_INDEX, index);
    this.cpu.outw(VBE_DISPI_IOPORT_DATA, value);
  }

  /** Switch to width × height at 32 bpp with the linear framebuffer; throws VbeError if refused. */
  setMode(width: number, height: number): void {
    const id = this.readRegister(VBE_DISPI_INDEX_ID);
    if (id < VBE_DISPI_ID2 || id > VBE_DISPI_ID5) {
      throw new VbeError(`no Bochs VBE adapter (ID register reads 0x${id.toString(16)})`);
    }
    this.writeRegister(VBE_DISPI_INDEX_ENABLE, VBE_DISPI_DISABLED);
    this.writeRegister(VBE_DISPI_INDEX_XRES, width);
    this.writeRegister(VBE_DISPI_INDEX_YRES, height);
    this.writeRegister(VBE_DISPI_INDEX_BPP, VBE_BITS_PER_PIXEL);
    this.writeRegister(VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    const actual = [VBE_DISPI_INDEX_XRES, VBE_DISPI_INDEX_YRES, VBE_DISPI_INDEX_BPP].map((index) =>
      this.readRegister(index),
    );
    if (actual[0] !== width || actual[1] !== height || actual[2] !== VBE_BITS_PER_PIXEL) {
      throw new VbeError(`adapter refused ${width}×${height}×32, set ${actual.join('×')}`);
    }
    this.modeWidth = width;
    this.modeHeight = height;
  }

  /**
   * Copy `area` of `source` (a back buffer as large as the screen) to the
   * same place in video memory, leaving out what lies outside either. Rows are
   * copied as byte views of the pixels: on a little-endian CPU 0x00RRGGBB is
   * stored B, G, R, 0.
   */
  writeRect(source: PixelRows, area: ScreenArea): void {
    const x0 = Math.max(area.x, 0);
    const y0 = Math.max(area.y, 0);
    const x1 = Math.min(area.x + area.width, source.width, this.modeWidth);
    const y1 = Math.min(area.y + area.height, source.height, this.modeHeight);
    if (x1 <= x0 || y1 <= y0) return;
    const wholeRows = x0 === 0 && x1 === this.modeWidth && source.width === this.modeWidth;
    if (wholeRows) return this.writePixels(source, 0, y0, this.modeWidth * (y1 - y0));
    for (let y = y0; y < y1; y++) this.writePixels(source, x0, y, x1 - x0);
  }

  /** `count` pixels of `source` from (x, y) onwards, stored at the same position on screen. */
  private writePixels(source: PixelRows, x: number, y: number, count: number): void {
    const pixels = source.pixels;
    const firstByte = pixels.byteOffset + (y * source.width + x) * BYTES_PER_PIXEL;
    const bytes = new Uint8Array(pixels.buffer, firstByte, count * BYTES_PER_PIXEL);
    this.cpu.writeBytes(this.framebufferAddress + y * this.pitch + x * BYTES_PER_PIXEL, bytes);
  }
}
