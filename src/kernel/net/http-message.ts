/**
 * HTTP/1.1 messages as the kernel's client needs them: a GET request, a
 * response's status line and headers, and the chunked transfer coding
 * (RFC 9112 §3, request line; §4, status line; §5, field lines; §6, message
 * body length; §7.1, chunked).
 *
 * A response's body ends in one of three ways (RFC 9112 §6.3): a
 * Transfer-Encoding of chunked (chunks, each with its size in hex, then a
 * zero-size chunk), a Content-Length, or - neither given - the server
 * closing the connection. The client (http-client.ts) reads until the head
 * is complete, then until the body is, as the head says.
 *
 * Parsing is strict and bounded: a head longer than HTTP_MAX_HEAD_BYTES, a
 * status line that is not "HTTP/1.x NNN reason", a field line without a
 * colon, a chunk size that is not hex, or a Content-Length that is not a
 * number all throw HttpParseError.
 */

export const HTTP_MAX_HEAD_BYTES = 16 * 1024;
const CRLF = '\r\n';
const HEAD_END = [0x0d, 0x0a, 0x0d, 0x0a];

export class HttpParseError extends Error {
  override name = 'HttpParseError';
}

export interface HttpResponseHead {
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** Field names in lower case; repeated fields joined with ", " (RFC 9110 §5.3). */
  readonly headers: ReadonlyMap<string, string>;
  /** Bytes of the head, blank line included: where the body starts. */
  readonly length: number;
}

/** The body's framing, from the head (RFC 9112 §6.3). */
export type BodyFraming =
  | { kind: 'chunked' }
  | { kind: 'length'; length: number }
  | { kind: 'until-close' }
  | { kind: 'none' };

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

/** "GET /path HTTP/1.1" with Host, User-Agent and Connection: close. */
export function buildGetRequest(host: string, path: string, userAgent: string): Uint8Array {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    `User-Agent: ${userAgent}`,
    'Accept: */*',
    'Connection: close',
    '',
    '',
  ];
  return encoder.encode(lines.join(CRLF));
}

/** The response head if `bytes` holds all of it, null if more must come. */
export function parseResponseHead(bytes: Uint8Array): HttpResponseHead | null {
  const end = indexOfHeadEnd(bytes);
  if (end < 0) {
    if (bytes.length > HTTP_MAX_HEAD_BYTES) throw new HttpParseError('response head too long');
    return null;
  }
  const lines = decoder.decode(bytes.subarray(0, end)).split(CRLF);
  const statusLine = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new HttpParseError(`bad status line "${lines[0]}"`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpParseError(`bad header line "${line}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return {
    version: statusLine[1]!,
    status: Number(statusLine[2]),
    reason: statusLine[3] ?? '',
    headers,
    length: end + HEAD_END.length,
  };
}

/** How the body of a response to GET ends. */
export function bodyFraming(head: HttpResponseHead): BodyFraming {
  if (head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) {
    return { kind: 'none' };
  }
  const transferEncoding = head.headers.get('transfer-encoding');
  if (transferEncoding !== undefined) {
    if (transferEncoding.toLowerCase().split(',').at(-1)?.trim() === 'chunked') {
      return { kind: 'chunked' };
    }
    return { kind: 'until-close' };
  }
  const contentLength = head.headers.get('content-length');
  if (contentLength !== undefined) {
    if (!/^\d{1,12}$/.test(contentLength)) {
      throw new HttpParseError(`bad Content-Length "${contentLength}"`);
    }
    return { kind: 'length', length: Number(contentLength) };
  }
  return { kind: 'until-close' };
}

/**
 * Decode a chunked body (RFC 9112 §7.1) from what has arrived so far:
 * the data of every complete chunk, and whether the last chunk (and the
 * trailer section) has been seen.
 */
export function decodeChunked(bytes: Uint8Array): { body: Uint8Array; complete: boolean } {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = indexOfCrlf(bytes, offset);
    if (lineEnd < 0) return { body: concat(pieces), complete: false };
    const sizeText = decoder.decode(bytes.subarray(offset, lineEnd)).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText))
      throw new HttpParseError(`bad chunk size "${sizeText}"`);
    const size = Number.parseInt(sizeText, 16);
    const dataStart = lineEnd + 2;
    if (size === 0) return { body: concat(pieces), complete: trailerEnded(bytes, dataStart) };
    if (dataStart + size + 2 > bytes.length) return { body: concat(pieces), complete: false };
    if (bytes[dataStart + size] !== 0x0d || bytes[dataStart + size + 1] !== 0x0a) {
      throw new HttpParseError('chunk data not followed by CRLF');
    }
    pieces.push(bytes.subarray(dataStart, dataStart + size));
    offset = dataStart + size + 2;
  }
}

/** The trailer section (field lines, then an empty line) after the last chunk is complete. */
function trailerEnded(bytes: Uint8Array, offset: number): boolean {
  for (let at = offset; ; ) {
    const lineEnd = indexOfCrlf(bytes, at);
    if (lineEnd < 0) return false;
    if (lineEnd === at) return true;
    at = lineEnd + 2;
  }
}

export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + HEAD_END.length <= bytes.length; i++) {
    if (HEAD_END.every((byte, k) => bytes[i + k] === byte)) return i;
  }
  return -1;
}

function indexOfCrlf(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) return i;
  }
  return -1;
}
