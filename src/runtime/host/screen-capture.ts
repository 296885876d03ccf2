/**
 * The machine's screen as the host sees it: RGBA pixels, a PNG, a digest.
 *
 * `cotton boot --screenshot`, the desktop's golden tests and the GUI
 * benchmark read the display adapter's framebuffer through here, never
 * the kernel's own buffers, so they check what a reader would see.
 */
import type { CottonPC } from '../../emu/machine';
import { sha256, toHex } from '../../emu/sha256';
import { encodePng } from './png-encoder';

export interface ScreenPixels {
  readonly width: number;
  readonly height: number;
  /** RGBA, row after row (alpha 255). */
  readonly rgba: Uint8Array;
}

/** The visible screen now (black 1×1 if the display was never enabled). */
export function captureScreen(machine: CottonPC): ScreenPixels {
  const display = machine.display;
  const width = display.enabled ? display.width : 1;
  const height = display.enabled ? display.height : 1;
  const rgba = display.readRgba({ x: 0, y: 0, width, height });
  return { width, height, rgba: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length) };
}

export function screenshotPng(machine: CottonPC): Uint8Array {
  const { width, height, rgba } = captureScreen(machine);
  return encodePng(width, height, rgba);
}

/** SHA-256 of the screen's RGBA pixels, as hex: the golden tests' fingerprint of a frame. */
export function screenDigest(machine: CottonPC): string {
  return toHex(sha256(captureScreen(machine).rgba));
}
