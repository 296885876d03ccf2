/**
 * Serving the built book as static files: which file answers a URL path, and
 * with which Content-Type (module scripts and workers refuse to load with a
 * wrong one). Shared by the classroom server and the browser tests' server.
 *
 * A book built under a base path (`BOOK_BASE=/book/`) is served under it.
 * sendFile() answers with the pre-compressed twin of a file (x.js.br, x.js.gz,
 * made at build time by src/runtime/node/precompress.ts) when the client
 * accepts that encoding, and lets browsers keep hashed assets (/_astro/) for a
 * year: their names change whenever their content does.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.nex': 'application/zip',
  '.cast': 'text/plain; charset=utf-8',
  '.pf_meta': 'application/octet-stream',
};

/** The Content-Type for a file, by its extension. */
export function contentType(file: string): string {
  return MIME_TYPES[extname(file)] ?? 'application/octet-stream';
}

/**
 * The file that serves `urlPath` for a book built under `base` (`/`, `/book/`),
 * or null (none, outside the base, or the path escapes the root).
 */
export function resolveFile(root: string, urlPath: string, base = '/'): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  if (`${decoded}/` === base) decoded = base;
  if (!decoded.startsWith(base)) return null;
  const path = normalize(join(root, decoded.slice(base.length - 1)));
  if (path !== root && !path.startsWith(root + sep)) return null;
  for (const candidate of [path, join(path, 'index.html')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: try the next candidate
    }
  }
  return null;
}

/** The encodings build-time compression writes, best first, with the suffix of their files. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Whether an Accept-Encoding header accepts `encoding` (listed, and not with q=0). */
export function acceptsEncoding(acceptEncoding: string | undefined, encoding: string): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [name, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    return name === encoding && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** The file to send for `file` and its Content-Encoding: a pre-compressed twin the client accepts, else itself. */
export function pickEncoding(
  file: string,
  acceptEncoding: string | undefined,
): { readonly path: string; readonly encoding: string | null } {
  for (const { encoding, suffix } of PRECOMPRESSED) {
    if (!acceptsEncoding(acceptEncoding, encoding)) continue;
    try {
      if (statSync(file + suffix).isFile()) return { path: file + suffix, encoding };
    } catch {
      // no twin in this encoding: try the next one
    }
  }
  return { path: file, encoding: null };
}

/** Answer a GET or HEAD with `file` (found by resolveFile), compressed when the client allows. */
export function sendFile(request: IncomingMessage, response: ServerResponse, file: string): void {
  const { path, encoding } = pickEncoding(file, request.headers['accept-encoding']);
  const headers: OutgoingHttpHeaders = {
    'content-type': contentType(file),
    vary: 'accept-encoding',
  };
  if (encoding) headers['content-encoding'] = encoding;
  if (file.includes(`${sep}_astro${sep}`))
    headers['cache-control'] = `public, max-age=${YEAR_SECONDS}, immutable`;
  response.writeHead(200, headers);
  if (request.method === 'HEAD') response.end();
  else createReadStream(path).pipe(response);
}
