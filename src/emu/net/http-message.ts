/**
 * HTTP/1.1 messages as bytes (RFC 9112): the request a server reads - a
 * request line, header fields, an empty line (§2.1), and a body only when
 * Content-Length says so (§6.3) - and the response it writes, with either
 * a Content-Length or the chunked transfer coding (§7.1: each chunk's size
 * in hex, CRLF, the data, CRLF; a zero-size chunk ends the body).
 *
 * The parser works on a growing buffer: it says "incomplete" until the
 * whole head (and body) has arrived, and how many bytes the request took,
 * so requests sent back to back on one connection are read in turn.
 */
import { asciiBytes, concatBytes } from './bytes';

/** Longest request head the simulated servers accept. */
export const HTTP_MAX_HEAD_BYTES = 8192;
const CRLF = '\r\n';

export interface HttpRequest {
  readonly method: string;
  /** The request target as sent: "/path?query", or "http://host/path" in absolute form. */
  readonly target: string;
  /** "HTTP/1.1" or "HTTP/1.0". */
  readonly version: string;
  /** Field names in lower case; repeated fields joined with ", " (RFC 9110 §5.3). */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

export type HttpRequestParse =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'request'; readonly request: HttpRequest; readonly length: number }
  | { readonly kind: 'invalid'; readonly status: number; readonly reason: string };

const HEAD_END = Uint8Array.of(13, 10, 13, 10);

function indexOfHeadEnd(bytes: Uint8Array): number {
  outer: for (let i = 0; i + HEAD_END.length <= bytes.length; i++) {
    for (let j = 0; j < HEAD_END.length; j++) if (bytes[i + j] !== HEAD_END[j]) continue outer;
    return i;
  }
  return -1;
}

/** The first request in `bytes`. */
export function parseHttpRequest(bytes: Uint8Array): HttpRequestParse {
  const headEnd = indexOfHeadEnd(bytes.subarray(0, HTTP_MAX_HEAD_BYTES + HEAD_END.length));
  if (headEnd < 0) {
    return bytes.length > HTTP_MAX_HEAD_BYTES
      ? { kind: 'invalid', status: 431, reason: 'request head too large' }
      : { kind: 'incomplete' };
  }
  const [requestLine = '', ...fieldLines] = String.fromCharCode(
    ...bytes.subarray(0, headEnd),
  ).split(CRLF);
  const parts = requestLine.split(' ');
  const [method = '', target = '', version = ''] = parts;
  if (parts.length !== 3 || !/^[A-Z]+$/.test(method) || target === '') {
    return {
      kind: 'invalid',
      status: 400,
      reason: `bad request line: ${requestLine.slice(0, 80)}`,
    };
  }
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0')
    return { kind: 'invalid', status: 505, reason: `version ${version}` };
  const headers = new Map<string, string>();
  for (const line of fieldLines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line[colon - 1]!))
      return { kind: 'invalid', status: 400, reason: `bad header line: ${line.slice(0, 80)}` };
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if (headers.has('transfer-encoding'))
    return { kind: 'invalid', status: 501, reason: 'request bodies in transfer codings' };
  const contentLength = headers.get('content-length') ?? '0';
  if (!/^\d{1,9}$/.test(contentLength))
    return { kind: 'invalid', status: 400, reason: `bad Content-Length: ${contentLength}` };
  const bodyStart = headEnd + HEAD_END.length;
  const length = bodyStart + Number(contentLength);
  if (bytes.length < length) return { kind: 'incomplete' };
  return {
    kind: 'request',
    request: { method, target, version, headers, body: bytes.slice(bodyStart, length) },
    length,
  };
}

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  /** Fields in the order to send; Content-Length or Transfer-Encoding is added by `buildHttpResponse`. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  /** Send the body in chunks of this many bytes (Transfer-Encoding: chunked) instead of with a length. */
  readonly chunkSize?: number;
  /** For HEAD: the fields the body would have, without the body. */
  readonly headOnly?: boolean;
}

/** The response's bytes: status line, fields, empty line, body. */
export function buildHttpResponse(response: HttpResponse): Uint8Array {
  const fields: (readonly [string, string])[] = [...response.headers];
  if (response.chunkSize) fields.push(['Transfer-Encoding', 'chunked']);
  else fields.push(['Content-Length', String(response.body.length)]);
  const head = [
    `HTTP/1.1 ${response.status} ${response.reason}`,
    ...fields.map(([name, value]) => `${name}: ${value}`),
  ];
  const headBytes = asciiBytes(head.join(CRLF) + CRLF + CRLF);
  if (response.headOnly) return headBytes;
  const body = response.chunkSize
    ? encodeChunked(response.body, response.chunkSize)
    : response.body;
  return concatBytes([headBytes, body]);
}

/** `body` in the chunked transfer coding, `chunkSize` bytes a chunk, no trailer fields. */
export function encodeChunked(body: Uint8Array, chunkSize: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += chunkSize) {
    const chunk = body.subarray(at, at + chunkSize);
    parts.push(asciiBytes(chunk.length.toString(16) + CRLF), chunk, asciiBytes(CRLF));
  }
  parts.push(asciiBytes(`0${CRLF}${CRLF}`));
  return concatBytes(parts);
}
