/**
 * A PNG encoder for screenshots of the machine's screen.
 *
 * Models: PNG (ISO/IEC 15948:2004, W3C "Portable Network Graphics
 * Specification", 2nd edition), in its simplest valid form: a signature, an
 * IHDR chunk (8-bit RGBA, no interlace), one IDAT chunk holding the zlib
 * stream (fflate's deflate) of the scanlines, each prefixed with filter type
 * 0 (None), and IEND. Every chunk ends with the CRC-32 of its type and data
 * (§5.5, the polynomial of ISO 3309). No filtering heuristics: a screenshot
 * is mostly flat colour, which deflate compresses well as it is. The same
 * pixels always give the same bytes.
 */
import { zlibSync } from 'fflate';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BIT_DEPTH = 8;
const COLOUR_TYPE_RGBA = 6;
const FILTER_NONE = 0;
const BYTES_PER_PIXEL = 4;
const CRC32_POLYNOMIAL = 0xedb88320;

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? CRC32_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** PNG bytes of a width × height image given as RGBA bytes, row after row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const rowBytes = width * BYTES_PER_PIXEL;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new RangeError(`PNG: bad size ${width}x${height}`);
  if (rgba.length !== rowBytes * height)
    throw new RangeError(`PNG: ${rgba.length} bytes of pixels for ${width}x${height}`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([BIT_DEPTH, COLOUR_TYPE_RGBA, 0, 0, 0], 8); // compression, filter method, no interlace
  const scanlines = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (rowBytes + 1)] = FILTER_NONE;
    scanlines.set(rgba.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(scanlines, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
