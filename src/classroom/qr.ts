/**
 * A QR code encoder (ISO/IEC 18004), small and written for one job: the room
 * link a teacher shows so that students' phones can open it.
 *
 * So it does only what a URL needs: byte mode (§7.4.5), error correction
 * level M (recovers about 15 % of the symbol: enough for a projector photo),
 * versions 1 to 10 (up to 213 bytes, more than any room link). The steps are
 * the standard's, in order:
 *   1. data bits: mode indicator 0100, character count (8 bits up to version
 *      9, 16 from 10), the bytes, a terminator, padding to whole codewords
 *      with 0xEC 0x11 (§7.4.9–7.4.10);
 *   2. Reed–Solomon error correction over GF(256) with the field polynomial
 *      x^8+x^4+x^3+x^2+1 (0x11D) and generator ∏(x − α^i), per block, and
 *      the blocks interleaved (§7.5, Table 9);
 *   3. function patterns: finders with separators, timing, alignment
 *      patterns, the dark module, the reserved format and version areas
 *      (§6.3);
 *   4. the codeword bits placed in two-module columns zig-zagging up and down
 *      from the bottom right, skipping the vertical timing column (§7.7.3);
 *   5. each of the eight masks applied and scored with the four penalty rules;
 *      the lowest wins (§7.8);
 *   6. format information (level and mask, BCH(15,5), XOR 0x5412) and, from
 *      version 7, version information (BCH(18,6)) (§7.9–7.10).
 * DOM-free: the page renders `toSvg()`; the tests check the properties above.
 */

/** Level M in the format information's two bits (L 01, M 00, Q 11, H 10). */
const LEVEL_M_BITS = 0b00;
const FORMAT_GENERATOR = 0x537; // x^10+x^8+x^5+x^4+x^2+x+1
const FORMAT_MASK = 0x5412;
const VERSION_GENERATOR = 0x1f25; // x^12+x^11+x^10+x^9+x^8+x^5+x^2+1
const FIELD_POLYNOMIAL = 0x11d;
const MODE_BYTE = 0b0100;
const PAD_BYTES = [0xec, 0x11];
export const MAX_VERSION = 10;

/** Level M error correction per version (Table 9): EC codewords per block, and (count, data codewords) per block group. */
const LEVEL_M_BLOCKS: readonly { ec: number; groups: readonly (readonly [number, number])[] }[] = [
  { ec: 10, groups: [[1, 16]] },
  { ec: 16, groups: [[1, 28]] },
  { ec: 26, groups: [[1, 44]] },
  { ec: 18, groups: [[2, 32]] },
  { ec: 24, groups: [[2, 43]] },
  { ec: 16, groups: [[4, 27]] },
  { ec: 18, groups: [[4, 31]] },
  {
    ec: 22,
    groups: [
      [2, 38],
      [2, 39],
    ],
  },
  {
    ec: 22,
    groups: [
      [3, 36],
      [2, 37],
    ],
  },
  {
    ec: 26,
    groups: [
      [4, 43],
      [1, 44],
    ],
  },
];

/** Centres of the alignment patterns per version (Annex E); version 1 has none. */
const ALIGNMENT_CENTRES: readonly (readonly number[])[] = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
];

// ---- GF(256) and Reed–Solomon ------------------------------------------------

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= FIELD_POLYNOMIAL;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

function gfMultiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

/** Coefficients of ∏_{i<degree} (x − α^i), highest power first, leading 1 included. */
export function generatorPolynomial(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j]! ^= poly[j]!; // × x
      next[j + 1]! ^= gfMultiply(poly[j]!, EXP[i]!); // × α^i (minus is plus in GF(2^8))
    }
    poly = next;
  }
  return poly;
}

/** The `ecCount` error correction codewords of `data`: the remainder of data(x)·x^ecCount divided by the generator. */
export function reedSolomon(data: readonly number[], ecCount: number): number[] {
  const generator = generatorPolynomial(ecCount);
  const remainder = new Array<number>(ecCount).fill(0);
  for (const byte of data) {
    const factor = byte ^ remainder.shift()!;
    remainder.push(0);
    for (let i = 0; i < ecCount; i++) remainder[i]! ^= gfMultiply(generator[i + 1]!, factor);
  }
  return remainder;
}

// ---- sizes -------------------------------------------------------------------

export const sizeOf = (version: number): number => 17 + 4 * version;

const dataCodewords = (version: number): number =>
  LEVEL_M_BLOCKS[version - 1]!.groups.reduce((sum, [count, data]) => sum + count * data, 0);

const countBits = (version: number): number => (version <= 9 ? 8 : 16);

/** Bytes that fit in a version at level M (byte mode). */
export function byteCapacity(version: number): number {
  return Math.floor((dataCodewords(version) * 8 - 4 - countBits(version)) / 8);
}

// ---- step 1: data codewords ------------------------------------------------------

class BitWriter {
  readonly bits: number[] = [];
  put(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits.push((value >>> i) & 1);
  }
}

export function encodeData(bytes: Uint8Array, version: number): number[] {
  const capacityBits = dataCodewords(version) * 8;
  const writer = new BitWriter();
  writer.put(MODE_BYTE, 4);
  writer.put(bytes.length, countBits(version));
  for (const byte of bytes) writer.put(byte, 8);
  writer.put(0, Math.min(4, capacityBits - writer.bits.length)); // terminator
  writer.put(0, (8 - (writer.bits.length % 8)) % 8);
  const codewords: number[] = [];
  for (let i = 0; i < writer.bits.length; i += 8)
    codewords.push(writer.bits.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
  for (let i = 0; codewords.length < capacityBits / 8; i++) codewords.push(PAD_BYTES[i % 2]!);
  return codewords;
}

// ---- step 2: blocks and interleaving --------------------------------------------

/** Data codewords cut into blocks, each followed by its EC codewords, interleaved into the final sequence. */
export function interleave(data: readonly number[], version: number): number[] {
  const { ec, groups } = LEVEL_M_BLOCKS[version - 1]!;
  const blocks: number[][] = [];
  let at = 0;
  for (const [count, size] of groups) {
    for (let i = 0; i < count; i++) {
      blocks.push(data.slice(at, at + size));
      at += size;
    }
  }
  const ecBlocks = blocks.map((block) => reedSolomon(block, ec));
  const out: number[] = [];
  const longest = Math.max(...blocks.map((block) => block.length));
  for (let i = 0; i < longest; i++)
    for (const block of blocks) if (i < block.length) out.push(block[i]!);
  for (let i = 0; i < ec; i++) for (const block of ecBlocks) out.push(block[i]!);
  return out;
}

// ---- steps 3–6: the symbol -----------------------------------------------------------

/** BCH code of `data` (shifted left by the generator's degree) with `generator`: the remainder bits appended. */
function bch(data: number, generator: number): number {
  const degree = 31 - Math.clz32(generator);
  let value = data << degree;
  for (let bit = 31 - Math.clz32(value); bit >= degree; bit--)
    if (value & (1 << bit)) value ^= generator << (bit - degree);
  return (data << degree) | value;
}

/** The 15 format bits for level M and `mask`. */
export function formatBits(mask: number): number {
  return bch((LEVEL_M_BITS << 3) | mask, FORMAT_GENERATOR) ^ FORMAT_MASK;
}

/** The 18 version bits (versions 7 and up). */
export function versionBits(version: number): number {
  return bch(version, VERSION_GENERATOR);
}

const MASKS: readonly ((row: number, col: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

export class QrCode {
  /** dark[row][col]: true for a dark module. */
  readonly dark: boolean[][];
  /** Modules that are function patterns (not data). */
  private readonly reserved: boolean[][];
  readonly size: number;
  mask = -1;

  constructor(readonly version: number) {
    this.size = sizeOf(version);
    this.dark = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.reserved = Array.from({ length: this.size }, () =>
      new Array<boolean>(this.size).fill(false),
    );
  }

  isFunction(row: number, col: number): boolean {
    return this.reserved[row]![col]!;
  }

  private setFunction(row: number, col: number, dark: boolean): void {
    this.dark[row]![col] = dark;
    this.reserved[row]![col] = true;
  }

  drawFunctionPatterns(): void {
    const n = this.size;
    for (const [row, col] of [
      [3, 3],
      [3, n - 4],
      [n - 4, 3],
    ] as const)
      this.drawFinder(row, col);
    for (let i = 8; i < n - 8; i++) {
      this.setFunction(6, i, i % 2 === 0);
      this.setFunction(i, 6, i % 2 === 0);
    }
    const centres = ALIGNMENT_CENTRES[this.version - 1]!;
    for (const row of centres) {
      for (const col of centres) {
        const onFinder =
          (row === 6 && col === 6) ||
          (row === 6 && col === centres.at(-1)) ||
          (row === centres.at(-1) && col === 6);
        if (!onFinder) this.drawAlignment(row, col);
      }
    }
    this.drawFormat(0); // reserves the areas; the real bits are drawn once the mask is chosen
    this.drawVersion();
  }

  /** A 7×7 finder centred at (row, col) and its light separator, clipped to the symbol. */
  private drawFinder(row: number, col: number): void {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const r = row + dr;
        const c = col + dc;
        if (r < 0 || c < 0 || r >= this.size || c >= this.size) continue;
        const ring = Math.max(Math.abs(dr), Math.abs(dc));
        this.setFunction(r, c, ring !== 2 && ring !== 4);
      }
    }
  }

  private drawAlignment(row: number, col: number): void {
    for (let dr = -2; dr <= 2; dr++) {
      for (let dc = -2; dc <= 2; dc++)
        this.setFunction(row + dr, col + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }

  /** Both copies of the format bits (bit 14 first along the reading order), and the dark module. */
  drawFormat(mask: number): void {
    const bits = formatBits(mask);
    const n = this.size;
    const bit = (i: number): boolean => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) this.setFunction(i, 8, bit(i));
    this.setFunction(7, 8, bit(6));
    this.setFunction(8, 8, bit(7));
    this.setFunction(8, 7, bit(8));
    for (let i = 9; i < 15; i++) this.setFunction(8, 14 - i, bit(i));
    for (let i = 0; i < 8; i++) this.setFunction(8, n - 1 - i, bit(i));
    for (let i = 8; i < 15; i++) this.setFunction(n - 15 + i, 8, bit(i));
    this.setFunction(n - 8, 8, true);
  }

  private drawVersion(): void {
    if (this.version < 7) return;
    const bits = versionBits(this.version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = this.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      this.setFunction(b, a, dark);
      this.setFunction(a, b, dark);
    }
  }

  /** The codeword bits, most significant first, in the zig-zag order; remainder modules stay light. */
  placeCodewords(codewords: readonly number[]): void {
    const n = this.size;
    let index = 0;
    const total = codewords.length * 8;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5; // the vertical timing pattern is skipped as a whole column
      const upward = ((n - 1 - right) >> 1) % 2 === 0;
      for (let step = 0; step < n; step++) {
        const row = upward ? n - 1 - step : step;
        for (const col of [right, right - 1]) {
          if (this.isFunction(row, col)) continue;
          if (index < total)
            this.dark[row]![col] = ((codewords[index >>> 3]! >>> (7 - (index & 7))) & 1) === 1;
          index++;
        }
      }
    }
  }

  /** XOR mask `mask` onto the data modules (applying it twice undoes it). */
  applyMask(mask: number): void {
    const test = MASKS[mask]!;
    for (let row = 0; row < this.size; row++) {
      for (let col = 0; col < this.size; col++)
        if (!this.isFunction(row, col) && test(row, col))
          this.dark[row]![col] = !this.dark[row]![col];
    }
  }

  /** The four penalty rules of §7.8.3 (N1 = 3, N2 = 3, N3 = 40, N4 = 10). */
  penalty(): number {
    const n = this.size;
    const at = (row: number, col: number, transpose: boolean): boolean =>
      transpose ? this.dark[col]![row]! : this.dark[row]![col]!;
    let score = 0;
    for (const transpose of [false, true]) {
      for (let row = 0; row < n; row++) {
        let run = 1;
        for (let col = 1; col <= n; col++) {
          if (col < n && at(row, col, transpose) === at(row, col - 1, transpose)) run++;
          else {
            if (run >= 5) score += 3 + (run - 5);
            run = 1;
          }
        }
        // 1:1:3:1:1 finder-like patterns with four light modules on one side.
        for (let col = 0; col + 7 <= n; col++) {
          const finder = [true, false, true, true, true, false, true].every(
            (dark, k) => at(row, col + k, transpose) === dark,
          );
          if (!finder) continue;
          const lightBefore = [1, 2, 3, 4].every(
            (k) => col - k < 0 || !at(row, col - k, transpose),
          );
          const lightAfter = [0, 1, 2, 3].every(
            (k) => col + 7 + k >= n || !at(row, col + 7 + k, transpose),
          );
          if (lightBefore) score += 40;
          if (lightAfter) score += 40;
        }
      }
    }
    let dark = 0;
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        if (this.dark[row]![col]) dark++;
        if (row + 1 < n && col + 1 < n) {
          const d = this.dark[row]![col];
          if (
            this.dark[row]![col + 1] === d &&
            this.dark[row + 1]![col] === d &&
            this.dark[row + 1]![col + 1] === d
          )
            score += 3;
        }
      }
    }
    score += 10 * Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5);
    return score;
  }
}

/** The smallest version (up to 10) that holds `byteLength` bytes at level M. */
export function chooseVersion(byteLength: number): number {
  for (let version = 1; version <= MAX_VERSION; version++)
    if (byteCapacity(version) >= byteLength) return version;
  throw new RangeError(
    `a QR code here holds at most ${byteCapacity(MAX_VERSION)} bytes; this text has ${byteLength}`,
  );
}

/** Encode `text` (UTF-8, byte mode, level M) with the best mask; `forceMask` picks one (for tests). */
export function encodeQr(text: string, forceMask?: number): QrCode {
  const bytes = new TextEncoder().encode(text);
  const version = chooseVersion(bytes.length);
  const codewords = interleave(encodeData(bytes, version), version);
  const qr = new QrCode(version);
  qr.drawFunctionPatterns();
  qr.placeCodewords(codewords);
  let best = forceMask ?? 0;
  if (forceMask === undefined) {
    let bestScore = Infinity;
    for (let mask = 0; mask < MASKS.length; mask++) {
      qr.applyMask(mask);
      qr.drawFormat(mask);
      const score = qr.penalty();
      if (score < bestScore) {
        bestScore = score;
        best = mask;
      }
      qr.applyMask(mask);
    }
  }
  qr.applyMask(best);
  qr.drawFormat(best);
  qr.mask = best;
  return qr;
}

/** The symbol as an SVG image, one unit per module, with the standard four-module quiet zone. */
export function toSvg(qr: QrCode, quiet = 4): string {
  const size = qr.size + 2 * quiet;
  let path = '';
  for (let row = 0; row < qr.size; row++) {
    for (let col = 0; col < qr.size; col++)
      if (qr.dark[row]![col]) path += `M${col + quiet},${row + quiet}h1v1h-1z`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
