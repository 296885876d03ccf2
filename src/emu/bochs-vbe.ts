/**
 * The Bochs/QEMU "VBE" display adapter (QEMU `-vga std`, PCI 1234:1111): a
 * linear framebuffer in a PCI memory BAR, with its mode set through the Bochs
 * VBE extension ("DISPI") registers: an index port 0x1CE and a data port
 * 0x1CF, 16 bits wide (Bochs source documentation, vbe.h / "VBE_DISPI_*").
 *
 * The firmware leaves it at 1024×768×32 with the linear framebuffer enabled,
 * which is what its Multiboot2 framebuffer tag reports (machine.ts). A kernel
 * can set another mode: disable, write XRES, YRES, BPP, enable with LFB
 * (optionally NOCLEARMEM); with GETCAPS set, XRES/YRES/BPP read back the
 * maxima. VIRT_WIDTH and X/Y_OFFSET pan a larger virtual screen (page
 * flipping). The legacy VGA registers, the banked window at 0xA0000 and the
 * 8-bit palette are not modelled; 8 bpp shows as grey levels.
 *
 * Host side: every store into video memory marks the 64×16-pixel tiles it
 * touches as dirty (16 rows: one line of the 8×16 console font), and
 * `takeUpdate()` returns only the changed rectangles, as RGBA pixels ready
 * for a canvas ImageData, so the page copies what changed and nothing more.
 * The patches of one update share one buffer, which the caller may supply:
 * a host that sends updates to another thread hands the buffers it got back
 * in again, as fresh memory for every frame is slow to touch.
 */
import { pieceDigests, type DeviceState } from './device-state';
import type { PortDevice } from './io-bus';
import type { MmioDevice } from './physical-memory';

export const VBE_DISPI_IOPORT_INDEX = 0x1ce;
export const VBE_DISPI_IOPORT_DATA = 0x1cf;

export const VBE_DISPI_INDEX_ID = 0x0;
export const VBE_DISPI_INDEX_XRES = 0x1;
export const VBE_DISPI_INDEX_YRES = 0x2;
export const VBE_DISPI_INDEX_BPP = 0x3;
export const VBE_DISPI_INDEX_ENABLE = 0x4;
export const VBE_DISPI_INDEX_BANK = 0x5;
export const VBE_DISPI_INDEX_VIRT_WIDTH = 0x6;
export const VBE_DISPI_INDEX_VIRT_HEIGHT = 0x7;
export const VBE_DISPI_INDEX_X_OFFSET = 0x8;
export const VBE_DISPI_INDEX_Y_OFFSET = 0x9;
export const VBE_DISPI_INDEX_VIDEO_MEMORY_64K = 0xa;

export const VBE_DISPI_ID0 = 0xb0c0;
export const VBE_DISPI_ID5 = 0xb0c5;
export const VBE_DISPI_DISABLED = 0x00;
export const VBE_DISPI_ENABLED = 0x01;
export const VBE_DISPI_GETCAPS = 0x02;
export const VBE_DISPI_8BIT_DAC = 0x20;
export const VBE_DISPI_LFB_ENABLED = 0x40;
export const VBE_DISPI_NOCLEARMEM = 0x80;

export const VBE_VRAM_BYTES = 16 * 1024 * 1024;
export const VBE_MAX_XRES = 2560;
export const VBE_MAX_YRES = 1600;
export const VBE_MAX_BPP = 32;
const SUPPORTED_BPP = [8, 15, 16, 24, 32];

/** Whether this host stores words low byte first (every browser's and Node's platform in practice). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Opaque black as one RGBA word in host byte order. */
const BLACK_RGBA = LITTLE_ENDIAN ? 0xff000000 : 0x000000ff;
const TILE_WIDTH = 64;
const TILE_HEIGHT = 16;

export interface FramebufferRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A changed rectangle of the visible screen, as RGBA bytes (width × height × 4). */
export interface FramebufferPatch extends FramebufferRect {
  readonly rgba: Uint8ClampedArray;
}

/** A buffer of at least `bytes` bytes for an update's RGBA pixels (its patches are views into it). */
export type RgbaBuffer = (bytes: number) => ArrayBuffer;

const freshBuffer: RgbaBuffer = (bytes) => new ArrayBuffer(bytes);

/** What changed on screen since the previous update. */
export interface FramebufferUpdate {
  /** The visible mode now (the canvas should have this size). */
  readonly width: number;
  readonly height: number;
  readonly enabled: boolean;
  readonly patches: FramebufferPatch[];
}

export class BochsVbe implements PortDevice, MmioDevice {
  readonly name = 'Bochs VBE display';
  private index = 0;
  private id = VBE_DISPI_ID5;
  private xres = 1024;
  private yres = 768;
  private bpp = 32;
  private enable = VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED;
  private bank = 0;
  private virtWidth = 1024;
  private xOffset = 0;
  private yOffset = 0;
  private vram: Uint8Array | null = null;
  private tilesPerRow = 0;
  private dirtyTiles = new Uint8Array(0);
  private anyDirty = false;

  constructor(readonly vramBytes = VBE_VRAM_BYTES) {
    this.applyMode(false);
  }

  // ---- geometry ----

  get enabled(): boolean {
    return (this.enable & VBE_DISPI_ENABLED) !== 0;
  }
  get width(): number {
    return this.xres;
  }
  get height(): number {
    return this.yres;
  }
  get bitsPerPixel(): number {
    return this.bpp;
  }
  private get bytesPerPixel(): number {
    return (this.bpp + 7) >> 3;
  }
  /** Bytes per scanline of the virtual screen. */
  get pitch(): number {
    return this.virtWidth * this.bytesPerPixel;
  }
  private get virtHeight(): number {
    return Math.floor(this.vramBytes / this.pitch);
  }

  /** The DISPI registers and video memory (as piece digests); the dirty tiles are the host's business. */
  saveState(): DeviceState {
    const { index, id, xres, yres, bpp, enable, bank, virtWidth, xOffset, yOffset } = this;
    const vram = pieceDigests(this.vram ? [[0, this.vram]] : []);
    return { index, id, xres, yres, bpp, enable, bank, virtWidth, xOffset, yOffset, vram };
  }

  // ---- the DISPI ports ----

  in8(port: number): number {
    return this.in16(port) & 0xff;
  }
  out8(port: number, value: number): void {
    this.out16(port, value);
  }
  in16(port: number): number {
    return port === VBE_DISPI_IOPORT_INDEX ? this.index : this.readRegister(this.index);
  }
  out16(port: number, value: number): void {
    if (port === VBE_DISPI_IOPORT_INDEX) this.index = value;
    else this.writeRegister(this.index, value);
  }

  private readRegister(index: number): number {
    const caps = (this.enable & VBE_DISPI_GETCAPS) !== 0;
    switch (index) {
      case VBE_DISPI_INDEX_ID:
        return this.id;
      case VBE_DISPI_INDEX_XRES:
        return caps ? VBE_MAX_XRES : this.xres;
      case VBE_DISPI_INDEX_YRES:
        return caps ? VBE_MAX_YRES : this.yres;
      case VBE_DISPI_INDEX_BPP:
        return caps ? VBE_MAX_BPP : this.bpp;
      case VBE_DISPI_INDEX_ENABLE:
        return this.enable;
      case VBE_DISPI_INDEX_BANK:
        return this.bank;
      case VBE_DISPI_INDEX_VIRT_WIDTH:
        return this.virtWidth;
      case VBE_DISPI_INDEX_VIRT_HEIGHT:
        return Math.min(this.virtHeight, 0xffff);
      case VBE_DISPI_INDEX_X_OFFSET:
        return this.xOffset;
      case VBE_DISPI_INDEX_Y_OFFSET:
        return this.yOffset;
      case VBE_DISPI_INDEX_VIDEO_MEMORY_64K:
        return this.vramBytes >>> 16;
      default:
        return 0;
    }
  }

  private writeRegister(index: number, value: number): void {
    switch (index) {
      case VBE_DISPI_INDEX_ID:
        if (value >= VBE_DISPI_ID0 && value <= VBE_DISPI_ID5) this.id = value;
        return;
      case VBE_DISPI_INDEX_XRES:
        if (!this.enabled && value > 0 && value <= VBE_MAX_XRES) this.xres = value & ~7;
        return;
      case VBE_DISPI_INDEX_YRES:
        if (!this.enabled && value > 0 && value <= VBE_MAX_YRES) this.yres = value;
        return;
      case VBE_DISPI_INDEX_BPP:
        if (!this.enabled && SUPPORTED_BPP.includes(value)) this.bpp = value;
        return;
      case VBE_DISPI_INDEX_ENABLE:
        return this.writeEnable(value);
      case VBE_DISPI_INDEX_BANK:
        this.bank = value;
        return;
      case VBE_DISPI_INDEX_VIRT_WIDTH:
        if (value >= this.xres && value * this.bytesPerPixel * this.yres <= this.vramBytes)
          this.virtWidth = value;
        return this.resetDirtyTracking();
      case VBE_DISPI_INDEX_X_OFFSET:
        this.xOffset = value;
        return this.markAllDirty();
      case VBE_DISPI_INDEX_Y_OFFSET:
        this.yOffset = value;
        return this.markAllDirty();
    }
  }

  private writeEnable(value: number): void {
    const wasEnabled = this.enabled;
    this.enable =
      value &
      (VBE_DISPI_ENABLED |
        VBE_DISPI_GETCAPS |
        VBE_DISPI_8BIT_DAC |
        VBE_DISPI_LFB_ENABLED |
        VBE_DISPI_NOCLEARMEM);
    if (this.enabled && !wasEnabled) this.applyMode(!(value & VBE_DISPI_NOCLEARMEM));
    else this.markAllDirty();
  }

  /** A mode was set: the virtual screen is as wide as the mode, the view starts at the top left. */
  private applyMode(clear: boolean): void {
    this.virtWidth = this.xres;
    this.xOffset = 0;
    this.yOffset = 0;
    if (clear) this.vram?.fill(0);
    this.resetDirtyTracking();
  }

  private resetDirtyTracking(): void {
    this.tilesPerRow = Math.ceil(this.virtWidth / TILE_WIDTH);
    this.dirtyTiles = new Uint8Array(this.tilesPerRow * Math.ceil(this.virtHeight / TILE_HEIGHT));
    this.markAllDirty();
  }

  private markAllDirty(): void {
    this.dirtyTiles.fill(1);
    this.anyDirty = true;
  }

  // ---- video memory (the LFB BAR) ----

  private memory(): Uint8Array {
    this.vram ??= new Uint8Array(this.vramBytes);
    return this.vram;
  }

  /** Mark the tile holding byte `offset` of video memory. The hot path of every pixel store. */
  private touch(offset: number): void {
    const pitch = this.pitch;
    const y = (offset / pitch) | 0;
    const x = ((offset - y * pitch) / this.bytesPerPixel) | 0;
    const tile = ((y / TILE_HEIGHT) | 0) * this.tilesPerRow + ((x / TILE_WIDTH) | 0);
    if (tile < this.dirtyTiles.length) this.dirtyTiles[tile] = 1;
    this.anyDirty = true;
  }

  /** Mark a byte range: partial rows at the ends, whole rows between. */
  private touchRange(offset: number, length: number): void {
    if (length <= 0) return;
    const pitch = this.pitch;
    const firstRow = (offset / pitch) | 0;
    const lastRow = ((offset + length - 1) / pitch) | 0;
    if (firstRow === lastRow) {
      for (let at = offset; at < offset + length; at += TILE_WIDTH * this.bytesPerPixel)
        this.touch(at);
      this.touch(offset + length - 1);
      return;
    }
    const firstTileRow = (firstRow / TILE_HEIGHT) | 0;
    const lastTileRow = Math.min(
      (lastRow / TILE_HEIGHT) | 0,
      this.dirtyTiles.length / this.tilesPerRow - 1,
    );
    this.dirtyTiles.fill(1, firstTileRow * this.tilesPerRow, (lastTileRow + 1) * this.tilesPerRow);
    this.anyDirty = true;
  }

  read8(offset: number): number {
    return this.vram?.[offset] ?? 0;
  }
  read16(offset: number): number {
    return this.read8(offset) | (this.read8(offset + 1) << 8);
  }
  read32(offset: number): number {
    return (this.read16(offset) | (this.read16(offset + 2) << 16)) >>> 0;
  }
  write8(offset: number, value: number): void {
    this.memory()[offset] = value;
    this.touch(offset);
  }
  write16(offset: number, value: number): void {
    const vram = this.memory();
    vram[offset] = value;
    vram[offset + 1] = value >> 8;
    this.touch(offset);
  }
  write32(offset: number, value: number): void {
    const vram = this.memory();
    vram[offset] = value;
    vram[offset + 1] = value >> 8;
    vram[offset + 2] = value >> 16;
    vram[offset + 3] = value >>> 24;
    this.touch(offset);
  }
  readBytes(offset: number, length: number): Uint8Array {
    return this.vram ? this.vram.slice(offset, offset + length) : new Uint8Array(length);
  }
  writeBytes(offset: number, data: Uint8Array): void {
    this.memory().set(data, offset);
    this.touchRange(offset, data.length);
  }

  // ---- host side: what changed on screen ----

  /** The dirty parts of the visible screen, in screen coordinates, and forget them. */
  takeDirtyRects(): FramebufferRect[] {
    if (!this.anyDirty) return [];
    const runs = this.dirtyTileRuns();
    this.dirtyTiles.fill(0);
    this.anyDirty = false;
    const rects: FramebufferRect[] = [];
    for (const run of runs) {
      const visible = this.toScreen(run);
      if (visible) rects.push(visible);
    }
    return rects;
  }

  /** Dirty tiles as rectangles in video-memory pixels: runs along each tile row, merged downwards when they line up. */
  private dirtyTileRuns(): FramebufferRect[] {
    const done: FramebufferRect[] = [];
    let open: { x: number; y: number; width: number; height: number }[] = [];
    const tileRows = this.dirtyTiles.length / this.tilesPerRow;
    for (let row = 0; row < tileRows; row++) {
      const next: typeof open = [];
      for (let col = 0; col < this.tilesPerRow; col++) {
        if (!this.dirtyTiles[row * this.tilesPerRow + col]) continue;
        const start = col;
        while (col + 1 < this.tilesPerRow && this.dirtyTiles[row * this.tilesPerRow + col + 1])
          col++;
        const x = start * TILE_WIDTH;
        const width = (col + 1 - start) * TILE_WIDTH;
        const above = open.findIndex((r) => r.x === x && r.width === width);
        if (above >= 0) {
          const grown = open.splice(above, 1)[0]!;
          grown.height += TILE_HEIGHT;
          next.push(grown);
        } else {
          next.push({ x, y: row * TILE_HEIGHT, width, height: TILE_HEIGHT });
        }
      }
      done.push(...open);
      open = next;
    }
    return done.concat(open);
  }

  /** A video-memory rectangle clipped to the visible screen, in screen coordinates. */
  private toScreen(r: FramebufferRect): FramebufferRect | null {
    const x0 = Math.max(r.x - this.xOffset, 0);
    const y0 = Math.max(r.y - this.yOffset, 0);
    const x1 = Math.min(r.x + r.width - this.xOffset, this.xres);
    const y1 = Math.min(r.y + r.height - this.yOffset, this.yres);
    return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
  }

  /**
   * The pixels of a screen rectangle as RGBA (alpha 255), for a canvas
   * ImageData: into `out` (width × height × 4 bytes at a multiple of 4), or a new array.
   */
  readRgba(
    rect: FramebufferRect,
    out = new Uint8ClampedArray(rect.width * rect.height * 4),
  ): Uint8ClampedArray {
    const vram = this.vram;
    if (!vram || !this.enabled) {
      new Uint32Array(out.buffer, out.byteOffset, out.length >> 2).fill(BLACK_RGBA);
      return out;
    }
    if (this.bpp === 32 && LITTLE_ENDIAN) {
      this.readRgba32(vram, rect, new Uint32Array(out.buffer, out.byteOffset, out.length >> 2));
      return out;
    }
    const bytesPerPixel = this.bytesPerPixel;
    for (let row = 0; row < rect.height; row++) {
      let src =
        (this.yOffset + rect.y + row) * this.pitch + (this.xOffset + rect.x) * bytesPerPixel;
      let dst = row * rect.width * 4;
      for (let col = 0; col < rect.width; col++, src += bytesPerPixel, dst += 4)
        this.pixelToRgba(vram, src, out, dst);
    }
    return out;
  }

  /**
   * The common mode, a word at a time: memory holds B, G, R, X, which a
   * little-endian word reads as 0xXXRRGGBB; ImageData wants R, G, B, A, the
   * word 0xAABBGGRR. So red and blue trade places and alpha is set. This is
   * the hot path of every frame the page shows (a dragged window is a third
   * of the screen per frame).
   */
  private readRgba32(vram: Uint8Array, rect: FramebufferRect, out: Uint32Array): void {
    const words = new Uint32Array(vram.buffer, vram.byteOffset, vram.length >> 2);
    const pitchWords = this.pitch >> 2;
    for (let row = 0; row < rect.height; row++) {
      let src = (this.yOffset + rect.y + row) * pitchWords + this.xOffset + rect.x;
      const end = (row + 1) * rect.width;
      for (let dst = row * rect.width; dst < end; dst++, src++) {
        const bgrx = words[src]!;
        // All 32-bit integer operations; a negative result is stored modulo 2^32, as wanted.
        out[dst] = 0xff000000 | ((bgrx & 0xff) << 16) | (bgrx & 0xff00) | ((bgrx >> 16) & 0xff);
      }
    }
  }

  private pixelToRgba(vram: Uint8Array, src: number, out: Uint8ClampedArray, dst: number): void {
    if (this.bpp >= 24) {
      out[dst] = vram[src + 2]!; // memory order is B, G, R (, X)
      out[dst + 1] = vram[src + 1]!;
      out[dst + 2] = vram[src]!;
    } else if (this.bpp >= 15) {
      const pixel = vram[src]! | (vram[src + 1]! << 8);
      const greenBits = this.bpp === 16 ? 6 : 5;
      out[dst] = (((pixel >> (5 + greenBits)) & 0x1f) * 255) / 31;
      out[dst + 1] = (((pixel >> 5) & ((1 << greenBits) - 1)) * 255) / ((1 << greenBits) - 1);
      out[dst + 2] = ((pixel & 0x1f) * 255) / 31;
    } else {
      out[dst] = out[dst + 1] = out[dst + 2] = vram[src]!;
    }
    out[dst + 3] = 255;
  }

  /**
   * Everything the page needs to bring its canvas up to date; patches are
   * empty when nothing changed. Their pixels lie one after another in one
   * buffer from `buffer` (a new one by default).
   */
  takeUpdate(buffer: RgbaBuffer = freshBuffer): FramebufferUpdate {
    const rects = this.takeDirtyRects();
    const bytes = rects.reduce((sum, r) => sum + r.width * r.height * 4, 0);
    const pixels = bytes > 0 ? buffer(bytes) : null;
    let offset = 0;
    const patches = rects.map((rect) => {
      const rgba = new Uint8ClampedArray(pixels!, offset, rect.width * rect.height * 4);
      offset += rgba.length;
      return { ...rect, rgba: this.readRgba(rect, rgba) };
    });
    return { width: this.xres, height: this.yres, enabled: this.enabled, patches };
  }
}
