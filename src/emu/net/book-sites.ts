/**
 * The pages the book's web servers hold (http-server.ts serves them).
 *
 * example.com (93.184.215.14) has a page like the real example.com's, and
 * what the networking chapter's experiments need: a 100 KiB page for bulk
 * transfers, a page sent in chunks, and an old address that redirects.
 * files.cotton.test (203.0.113.8) is a plain file server with a 1 MiB file
 * for throughput measurements. Every body is made from fixed text or a
 * fixed formula, so a guest can check what it received byte for byte.
 */
import { asciiBytes } from './bytes';
import type { WebSite } from './http-server';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

export const EXAMPLE_PAGE = `<!doctype html>
<html>
<head>
    <title>Example Domain</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
</head>
<body>
<div>
    <h1>Example Domain</h1>
    <p>This domain is kept for use in examples in documents, such as this book.
    Use it in examples without asking anyone first.</p>
    <p><a href="https://www.iana.org/domains/example">More information...</a></p>
</div>
</body>
</html>
`;

/** Size of the bulk-transfer page. */
export const LARGE_PAGE_BYTES = 100 * 1024;
const LARGE_PAGE_LINE_BYTES = 64;

/** LARGE_PAGE_BYTES of numbered 64-byte lines: "line 0001 of 1600: ..." padded with dots. */
export function largePage(): Uint8Array {
  const lines = LARGE_PAGE_BYTES / LARGE_PAGE_LINE_BYTES;
  let text = '';
  for (let n = 1; n <= lines; n++) {
    const start = `line ${String(n).padStart(4, '0')} of ${lines}: `;
    text += `${start.padEnd(LARGE_PAGE_LINE_BYTES - 1, '.')}\n`;
  }
  return asciiBytes(text);
}

/** The chunked page's text and the size of its chunks. */
export const CHUNKED_PAGE = Array.from(
  { length: 20 },
  (_, i) => `This is part ${i + 1} of a page sent in chunks.\n`,
).join('');
export const CHUNKED_PAGE_CHUNK_BYTES = 100;

export const FILE_BYTES_1M = 1024 * 1024;

/** 1 MiB where byte i is (i + (i >> 8) * 7) mod 256: easy to check, hard to get right by accident. */
export function patternFile(length = FILE_BYTES_1M): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i + (i >> 8) * 7) & 0xff);
}

const text = (content: string) => () => asciiBytes(content);

export const EXAMPLE_COM_SITE: WebSite = new Map([
  ['/', { contentType: HTML, body: text(EXAMPLE_PAGE) }],
  ['/index.html', { contentType: HTML, body: text(EXAMPLE_PAGE) }],
  ['/large', { contentType: TEXT, body: largePage }],
  [
    '/chunked',
    { contentType: TEXT, body: text(CHUNKED_PAGE), chunkSize: CHUNKED_PAGE_CHUNK_BYTES },
  ],
  ['/redirect', { redirectTo: '/' }],
]);

export const FILES_SITE: WebSite = new Map([
  ['/', { contentType: TEXT, body: text('hello.txt\nlarge.txt\n1m.bin\n') }],
  ['/hello.txt', { contentType: TEXT, body: text('Hello from files.cotton.test!\n') }],
  ['/large.txt', { contentType: TEXT, body: largePage }],
  ['/1m.bin', { contentType: 'application/octet-stream', body: () => patternFile() }],
]);
