/**
 * PC Screen Font version 2 (PSF2): the bitmap font format of the Linux
 * console (kbd's `setfont`, "The PC Screen Font File Format", psf.txt in kbd's
 * documentation), and the font the desktop draws every character with.
 *
 * A PSF2 file is a 32-byte header, then the glyphs, then an optional Unicode
 * table. All header fields are 32-bit little-endian:
 *
 *   0  magic         0x864AB572 (bytes 72 B5 4A 86)
 *   4  version       0
 *   8  headersize    offset of the first glyph (32 for version 0)
 *  12  flags         bit 0: the file has a Unicode table
 *  16  length        number of glyphs
 *  20  charsize      bytes per glyph = height × ⌈width / 8⌉
 *  24  height        pixel rows per glyph
 *  28  width         pixel columns per glyph
 *
 * Each glyph is `height` rows; each row is ⌈width / 8⌉ bytes, the leftmost
 * pixel in the most significant bit of the first byte, a set bit drawn in the
 * text colour. Glyph order is the font designer's choice: the Unicode table
 * says which characters each glyph draws. For every glyph, in order, it lists
 * the UTF-8 encoded characters it stands for, then 0xFE-prefixed sequences of
 * several characters (a letter plus combining accents), and ends with 0xFF.
 * A font without the table maps character n to glyph n.
 *
 * The file comes from disk, so it is checked before it is believed: a wrong
 * magic, a glyph size that does not match the width and height, glyphs or a
 * table that run past the end of the file, or broken UTF-8 all end in a
 * MalformedFontError that says what is wrong.
 */

export const PSF2_MAGIC = 0x864ab572;
export const PSF2_VERSION = 0;
export const PSF2_HEADER_SIZE = 32;
export const PSF2_HAS_UNICODE_TABLE = 0x01;
/** Ends one glyph's entry in the Unicode table. */
export const PSF2_SEPARATOR = 0xff;
/** Starts a multi-character sequence inside a glyph's entry. */
export const PSF2_START_SEQUENCE = 0xfe;

/** Sanity bounds: larger glyphs or counts mean a corrupt header, not a font. */
const MAX_GLYPH_SIDE = 256;
const MAX_GLYPHS = 65536;

const REPLACEMENT_CHARACTER = 0xfffd;
const QUESTION_MARK = 0x3f;

export class MalformedFontError extends Error {
  override readonly name = 'MalformedFontError';
}

export interface Psf2Header {
  readonly version: number;
  readonly headerSize: number;
  readonly flags: number;
  readonly glyphCount: number;
  readonly bytesPerGlyph: number;
  readonly height: number;
  readonly width: number;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! |
      (bytes[offset + 1]! << 8) |
      (bytes[offset + 2]! << 16) |
      (bytes[offset + 3]! << 24)) >>>
    0
  );
}

/** Read and check the header; the glyphs it announces must fit in the file. */
export function parsePsf2Header(bytes: Uint8Array): Psf2Header {
  if (bytes.length < PSF2_HEADER_SIZE) {
    throw new MalformedFontError(`file is ${bytes.length} bytes, shorter than a PSF2 header`);
  }
  const magic = readU32(bytes, 0);
  if (magic !== PSF2_MAGIC) {
    throw new MalformedFontError(`bad magic 0x${magic.toString(16)}, expected 0x864ab572`);
  }
  const header: Psf2Header = {
    version: readU32(bytes, 4),
    headerSize: readU32(bytes, 8),
    flags: readU32(bytes, 12),
    glyphCount: readU32(bytes, 16),
    bytesPerGlyph: readU32(bytes, 20),
    height: readU32(bytes, 24),
    width: readU32(bytes, 28),
  };
  checkHeader(header, bytes.length);
  return header;
}

function checkHeader(h: Psf2Header, fileSize: number): void {
  if (h.version !== PSF2_VERSION) throw new MalformedFontError(`unknown version ${h.version}`);
  if (h.headerSize < PSF2_HEADER_SIZE || h.headerSize > fileSize) {
    throw new MalformedFontError(`header size ${h.headerSize} outside 32…${fileSize}`);
  }
  if (h.width < 1 || h.width > MAX_GLYPH_SIDE || h.height < 1 || h.height > MAX_GLYPH_SIDE) {
    throw new MalformedFontError(`glyph size ${h.width}×${h.height} outside 1…${MAX_GLYPH_SIDE}`);
  }
  if (h.bytesPerGlyph !== h.height * Math.ceil(h.width / 8)) {
    throw new MalformedFontError(
      `glyph size ${h.bytesPerGlyph} bytes does not match ${h.width}×${h.height} pixels`,
    );
  }
  if (h.glyphCount < 1 || h.glyphCount > MAX_GLYPHS) {
    throw new MalformedFontError(`glyph count ${h.glyphCount} outside 1…${MAX_GLYPHS}`);
  }
  if (h.headerSize + h.glyphCount * h.bytesPerGlyph > fileSize) {
    throw new MalformedFontError(
      `${h.glyphCount} glyphs of ${h.bytesPerGlyph} bytes run past the end of the file`,
    );
  }
}

/** One UTF-8 character (RFC 3629 §3) at `offset`: its code point and length, strictly checked. */
function decodeUtf8(bytes: Uint8Array, offset: number): { codePoint: number; length: number } {
  const lead = bytes[offset]!;
  const length =
    lead < 0x80
      ? 1
      : lead >= 0xc2 && lead < 0xe0
        ? 2
        : lead >= 0xe0 && lead < 0xf0
          ? 3
          : lead >= 0xf0 && lead < 0xf5
            ? 4
            : 0;
  if (length === 0)
    throw new MalformedFontError(`bad UTF-8 lead byte 0x${lead.toString(16)} at ${offset}`);
  if (offset + length > bytes.length)
    throw new MalformedFontError(`UTF-8 character cut off at ${offset}`);
  let codePoint = length === 1 ? lead : lead & (0x7f >> length);
  for (let i = 1; i < length; i++) {
    const next = bytes[offset + i]!;
    if ((next & 0xc0) !== 0x80)
      throw new MalformedFontError(`bad UTF-8 continuation at ${offset + i}`);
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const shortest = [0, 0, 0x80, 0x800, 0x10000][length]!;
  if (
    codePoint < shortest ||
    codePoint > 0x10ffff ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff)
  ) {
    throw new MalformedFontError(
      `invalid UTF-8 character U+${codePoint.toString(16)} at ${offset}`,
    );
  }
  return { codePoint, length };
}

/**
 * The Unicode table from `offset`: code point → glyph index. Single
 * characters are kept; the multi-character sequences after 0xFE are skipped
 * (checked, but the desktop draws one glyph per character).
 */
export function parseUnicodeTable(
  bytes: Uint8Array,
  offset: number,
  glyphCount: number,
): Map<number, number> {
  const glyphOf = new Map<number, number>();
  let at = offset;
  for (let glyph = 0; glyph < glyphCount; glyph++) {
    let inSequence = false;
    for (;;) {
      if (at >= bytes.length)
        throw new MalformedFontError(`Unicode table ends inside glyph ${glyph}'s entry`);
      const byte = bytes[at]!;
      if (byte === PSF2_SEPARATOR) {
        at++;
        break;
      }
      if (byte === PSF2_START_SEQUENCE) {
        inSequence = true;
        at++;
        continue;
      }
      const { codePoint, length } = decodeUtf8(bytes, at);
      if (!inSequence && !glyphOf.has(codePoint)) glyphOf.set(codePoint, glyph);
      at += length;
    }
  }
  return glyphOf;
}

export class Psf2Font {
  readonly width: number;
  readonly height: number;
  readonly glyphCount: number;
  /** Bytes in one row of a glyph's bitmap. */
  readonly bytesPerRow: number;
  private readonly glyphs: Uint8Array;
  private readonly bytesPerGlyph: number;
  /** Code point → glyph index, or null when glyph n draws character n. */
  private readonly unicode: Map<number, number> | null;
  /** The glyph drawn for characters the font lacks. */
  private readonly fallbackGlyph: number;

  private constructor(header: Psf2Header, bytes: Uint8Array) {
    this.width = header.width;
    this.height = header.height;
    this.glyphCount = header.glyphCount;
    this.bytesPerRow = Math.ceil(header.width / 8);
    this.bytesPerGlyph = header.bytesPerGlyph;
    const glyphsEnd = header.headerSize + header.glyphCount * header.bytesPerGlyph;
    this.glyphs = bytes.slice(header.headerSize, glyphsEnd);
    this.unicode =
      header.flags & PSF2_HAS_UNICODE_TABLE
        ? parseUnicodeTable(bytes, glyphsEnd, header.glyphCount)
        : null;
    this.fallbackGlyph = this.lookup(REPLACEMENT_CHARACTER) ?? this.lookup(QUESTION_MARK) ?? 0;
  }

  /** Parse a PSF2 file; throws MalformedFontError if it is not one. */
  static parse(bytes: Uint8Array): Psf2Font {
    return new Psf2Font(parsePsf2Header(bytes), bytes);
  }

  /** Whether the font has a glyph of its own for this character. */
  has(codePoint: number): boolean {
    return this.lookup(codePoint) !== null;
  }

  /** The glyph index for a character, or the fallback glyph if the font lacks it. */
  glyphIndex(codePoint: number): number {
    return this.lookup(codePoint) ?? this.fallbackGlyph;
  }

  /** A character's bitmap: `height` rows of `bytesPerRow` bytes, leftmost pixel in bit 7. */
  glyph(codePoint: number): Uint8Array {
    const start = this.glyphIndex(codePoint) * this.bytesPerGlyph;
    return this.glyphs.subarray(start, start + this.bytesPerGlyph);
  }

  /** Whether pixel (x, y) of a glyph bitmap is set. */
  pixelSet(bitmap: Uint8Array, x: number, y: number): boolean {
    return (bitmap[y * this.bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
  }

  private lookup(codePoint: number): number | null {
    if (this.unicode) return this.unicode.get(codePoint) ?? null;
    return codePoint >= 0 && codePoint < this.glyphCount ? codePoint : null;
  }
}
