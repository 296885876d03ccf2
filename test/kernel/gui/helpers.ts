/** Shared by the GUI tests: the shipped font, hand-made PSF2 files, a seeded random source. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Psf2Font } from '../../../src/kernel/gui/psf2-font';
import type { Rect } from '../../../src/kernel/gui/rect';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

export const FONT_PATH = fileURLToPath(
  new URL('../../../disk/usr/share/fonts/cotton-8x16.psf', import.meta.url),
);

export function shippedFontBytes(): Uint8Array {
  return new Uint8Array(readFileSync(FONT_PATH));
}

export function shippedFont(): Psf2Font {
  return Psf2Font.parse(shippedFontBytes());
}

/** The seed for a random test: SEED from the environment, else `fallback`. */
export function testSeed(fallback: number): number {
  return process.env.SEED ? Number(process.env.SEED) : fallback;
}

export function random(seed: number): { int(below: number): number; next(): number } {
  const next = uniformRandom(seed);
  return { next, int: (below) => Math.floor(next() * below) };
}

export interface Psf2Spec {
  width: number;
  height: number;
  /** One bitmap per glyph, `height` rows of ⌈width / 8⌉ bytes. */
  glyphs: number[][];
  /** Per glyph, the characters it draws (a Unicode table is written when given). */
  characters?: string[];
}

/** Bytes of a PSF2 file, written independently of the parser from the format's description. */
export function buildPsf2(spec: Psf2Spec): Uint8Array {
  const bytesPerGlyph = spec.height * Math.ceil(spec.width / 8);
  const header = new DataView(new ArrayBuffer(32));
  const fields = [
    0x864ab572,
    0,
    32,
    spec.characters ? 1 : 0,
    spec.glyphs.length,
    bytesPerGlyph,
    spec.height,
    spec.width,
  ];
  fields.forEach((value, i) => header.setUint32(i * 4, value, true));
  const table: number[] = [];
  for (const chars of spec.characters ?? []) table.push(...new TextEncoder().encode(chars), 0xff);
  return Uint8Array.from([...new Uint8Array(header.buffer), ...spec.glyphs.flat(), ...table]);
}

/** Whether `inner` lies entirely inside `outer`. */
export function containsRect(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}
