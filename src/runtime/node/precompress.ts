/**
 * Pre-compressed copies of the built book's large text files: x.js.br and
 * x.js.gz beside x.js, so a server can send them as they are
 * (src/classroom/static-files.ts, nginx's gzip_static/brotli_static, Netlify,
 * Cloudflare …) instead of compressing on every request or not at all.
 *
 * Brotli at its best quality and gzip at level 9: slow once at build time,
 * smallest on the wire for every reader. A copy that would not be smaller is
 * not written. Recordings (.nex) are ZIP archives, already compressed.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Formats worth compressing: text, and the book's own uncompressed binaries. */
export const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.txt',
  '.xml',
  '.wasm',
  '.ttf',
  '.bin', // book-files.bin: the user programs' ELF code and the disk's files, about 7:1
]);
/** Smaller files gain less than the extra request headers cost. */
export const MIN_BYTES = 1024;

export interface CompressionReport {
  readonly files: number;
  readonly bytes: number;
  readonly brotliBytes: number;
  readonly gzipBytes: number;
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function compressOne(file: string): Promise<{ bytes: number; br: number; gz: number }> {
  const bytes = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipAsync(bytes, { level: 9 }),
  ]);
  if (br.length < bytes.length) await writeFile(`${file}.br`, br);
  if (gz.length < bytes.length) await writeFile(`${file}.gz`, gz);
  return {
    bytes: bytes.length,
    br: Math.min(br.length, bytes.length),
    gz: Math.min(gz.length, bytes.length),
  };
}

/** Write the .br and .gz copies of the compressible files under `dir` of MIN_BYTES or more. */
export async function precompress(dir: string): Promise<CompressionReport> {
  const candidates: string[] = [];
  for (const path of await listFiles(dir)) {
    const file = join(dir, path);
    if (COMPRESSIBLE.has(extname(path)) && (await stat(file)).size >= MIN_BYTES)
      candidates.push(file);
  }
  let bytes = 0;
  let brotliBytes = 0;
  let gzipBytes = 0;
  // A few at a time: zlib works on the thread pool, so the cores share the largest files.
  const queue = [...candidates];
  const worker = async (): Promise<void> => {
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      const sizes = await compressOne(file);
      bytes += sizes.bytes;
      brotliBytes += sizes.br;
      gzipBytes += sizes.gz;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { files: candidates.length, bytes, brotliBytes, gzipBytes };
}
