/**
 * The build's pre-compressed copies: .br and .gz beside the large text files
 * and the book's binaries, each of which decompresses to the original; none
 * for small files, recordings (already ZIP) or copies that would not shrink.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MIN_BYTES, precompress } from '../../../src/runtime/node/precompress';
import { mulberry32 } from '../../../src/runtime/host/seeded-random';

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cotton-precompress-'));
  mkdirSync(join(dir, '_astro'));
  writeFileSync(join(dir, '_astro', 'page.js'), 'export const answer = 42;\n'.repeat(400));
  writeFileSync(join(dir, '_astro', 'book-files.bin'), new Uint8Array(8192).fill(0x13));
  writeFileSync(join(dir, 'small.css'), 'a{}'.repeat(10));
  writeFileSync(join(dir, 'boot.nex'), 'PK'.repeat(MIN_BYTES));
  const next = mulberry32(7);
  writeFileSync(
    join(dir, 'noise.json'),
    Uint8Array.from({ length: 4096 }, () => next() & 0xff),
  );
  return dir;
}

describe('precompress', () => {
  it('writes .br and .gz beside large text and binary files, each the same bytes once decompressed', async () => {
    const dir = site();
    const report = await precompress(dir);
    for (const file of ['_astro/page.js', '_astro/book-files.bin']) {
      const original = readFileSync(join(dir, file));
      expect(brotliDecompressSync(readFileSync(join(dir, `${file}.br`)))).toEqual(original);
      expect(gunzipSync(readFileSync(join(dir, `${file}.gz`)))).toEqual(original);
    }
    expect(report.files).toBe(3); // page.js, book-files.bin and noise.json were tried
    expect(report.brotliBytes).toBeLessThan(report.bytes);
  });

  it('leaves small files, recordings and copies that would not shrink alone', async () => {
    const dir = site();
    await precompress(dir);
    for (const file of ['small.css', 'boot.nex', 'noise.json']) {
      expect(existsSync(join(dir, `${file}.br`)), file).toBe(false);
      expect(existsSync(join(dir, `${file}.gz`)), file).toBe(false);
    }
  });
});
