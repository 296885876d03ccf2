/**
 * Serving the built book as static files: which file answers a URL path, and
 * with which Content-Type (module scripts and workers refuse to load with a
 * wrong one). Shared by the classroom server and the browser tests' server.
 */
import { statSync } from 'node:fs';
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

/** The file that serves `urlPath`, or null (none, or the path escapes the root). */
export function resolveFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  const path = normalize(join(root, decoded));
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
