/**
 * The kernel's HTTP/1.1 client: what `httpget` runs (RFC 9110, semantics;
 * RFC 9112, the message syntax in http-message.ts).
 *
 * One GET is: resolve the host (dns-resolver.ts), open a TCP connection to
 * port 80 (or the URL's port), send the request with a Host field and
 * "Connection: close", read the head, then the body as the head frames it
 * (chunked, Content-Length, or until the server closes). A redirect (301,
 * 302, 303, 307, 308) with a Location is followed, at most
 * HTTP_MAX_REDIRECTS times, as browsers and curl -L do; a relative Location
 * is resolved against the URL that gave it (RFC 9110 §10.2.2).
 *
 * An https:// URL (port 443) runs the same HTTP over a TLS session that the
 * caller opens on the connected socket (a TlsConnector: tls-socket.ts's
 * startTls, given the machine), as `httpsget` does.
 */
import type { DnsResolver } from './dns-resolver';
import {
  bodyFraming,
  buildGetRequest,
  concat,
  decodeChunked,
  HttpParseError,
  parseResponseHead,
  type HttpResponseHead,
} from './http-message';
import type { NetStack } from './net-stack';
import { createSocket, type TcpSocket } from './sockets';

export const HTTP_MAX_REDIRECTS = 5;
export const HTTP_DEFAULT_PORT = 80;
export const HTTPS_DEFAULT_PORT = 443;
/** Bodies larger than this are refused: the kernel keeps the whole body in memory. */
export const HTTP_MAX_BODY_BYTES = 16 * 1024 * 1024;
const RECEIVE_CHUNK = 16 * 1024;
const USER_AGENT = 'CottonOS-httpget/0.1';
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export interface HttpUrl {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** Path and query, starting with "/". */
  readonly path: string;
}

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  /** The URLs redirected to, in order. */
  readonly redirects: readonly string[];
}

/** Names to addresses: the DNS resolver, or a fixed answer (httpsget --connect). */
export type HostResolver = Pick<DnsResolver, 'resolve'>;

/** Turns a connected TCP socket into a TLS one for `serverName` (https). */
export type TlsConnector = (
  socket: TcpSocket,
  serverName: string,
) => Generator<void, TcpSocket, void>;

/** A URL the client cannot fetch, too many redirects, or a response it cannot read. */
export class HttpError extends Error {
  override name = 'HttpError';
}

/** "http://host:8080/a?b", "https://host/", "host/a" or "host" (`scheme` unless named) → its parts. */
export function parseHttpUrl(url: string, defaultScheme: HttpUrl['scheme'] = 'http'): HttpUrl {
  const match = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#\s]+)(?::(\d{1,5}))?([^#\s]*)/.exec(
    url,
  );
  if (!match || match[0] !== url.replace(/#.*$/, '')) throw new HttpError(`bad URL "${url}"`);
  const scheme = (match[1] ?? defaultScheme).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new HttpError(`${scheme}: only http:// and https:// URLs are supported`);
  }
  const port = match[3] === undefined ? defaultPort(scheme) : Number(match[3]);
  if (port < 1 || port > 65535) throw new HttpError(`bad port in "${url}"`);
  const rest = match[4] ?? '';
  const path = rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}`;
  return { scheme, host: match[2]!, port, path };
}

function defaultPort(scheme: HttpUrl['scheme']): number {
  return scheme === 'https' ? HTTPS_DEFAULT_PORT : HTTP_DEFAULT_PORT;
}

export function formatHttpUrl(url: HttpUrl): string {
  const port = url.port === defaultPort(url.scheme) ? '' : `:${url.port}`;
  return `${url.scheme}://${url.host}${port}${url.path}`;
}

/**
 * GET `url`, following redirects; https:// needs `tls`. Throws HttpError,
 * DnsError or SyscallError (from the socket, TLS failures included).
 */
export function* httpGet(
  net: NetStack,
  dns: HostResolver,
  url: string,
  tls?: TlsConnector,
): Generator<void, HttpResponse, void> {
  const redirects: string[] = [];
  let target = parseHttpUrl(url, tls ? 'https' : 'http');
  for (;;) {
    const { head, body } = yield* fetchOnce(net, dns, target, tls);
    const location = head.headers.get('location');
    if (!REDIRECT_STATUSES.includes(head.status) || location === undefined) {
      return { url: formatHttpUrl(target), ...head, body, redirects };
    }
    if (redirects.length >= HTTP_MAX_REDIRECTS) {
      throw new HttpError(`more than ${HTTP_MAX_REDIRECTS} redirects`);
    }
    target = resolveLocation(target, location);
    redirects.push(formatHttpUrl(target));
  }
}

/** RFC 9110 §10.2.2: an absolute URL, an absolute path, or a path relative to the last one. */
function resolveLocation(base: HttpUrl, location: string): HttpUrl {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location)) return parseHttpUrl(location);
  if (location.startsWith('/')) return { ...base, path: location };
  const directory = base.path.slice(0, base.path.lastIndexOf('/') + 1);
  return { ...base, path: directory + location };
}

function* fetchOnce(
  net: NetStack,
  dns: HostResolver,
  url: HttpUrl,
  tls: TlsConnector | undefined,
): Generator<void, { head: HttpResponseHead; body: Uint8Array }, void> {
  if (url.scheme === 'https' && !tls) throw new HttpError('https:// URLs need TLS: use httpsget');
  const address = yield* dns.resolve(url.host);
  const tcp = createSocket(net, 'stream');
  let stream = tcp;
  try {
    yield* tcp.connect(address, url.port);
    if (url.scheme === 'https') stream = yield* tls!(tcp, url.host);
    yield* stream.send(buildGetRequest(url.host, url.path, USER_AGENT));
    return yield* readResponse(stream);
  } finally {
    stream.release();
    if (stream !== tcp) tcp.release();
  }
}

function* readResponse(
  socket: TcpSocket,
): Generator<void, { head: HttpResponseHead; body: Uint8Array }, void> {
  const received: Uint8Array[] = [];
  let size = 0;
  let head: HttpResponseHead | null = null;
  let ended = false;
  for (;;) {
    const all = received.length === 1 ? received[0]! : concat(received);
    received.length = 0;
    received.push(all);
    head ??= parseHead(all);
    if (head) {
      const body = bodyIfComplete(head, all.subarray(head.length), ended);
      if (body) return { head, body };
    } else if (ended) {
      throw new HttpError('the server closed the connection before the response head');
    }
    if (ended) throw new HttpError('the server closed the connection in the middle of the body');
    const data = yield* socket.recv(RECEIVE_CHUNK);
    if (data.length === 0) ended = true;
    size += data.length;
    if (size > HTTP_MAX_BODY_BYTES) throw new HttpError('response larger than 16 MiB');
    received.push(data);
  }
}

function parseHead(bytes: Uint8Array): HttpResponseHead | null {
  try {
    return parseResponseHead(bytes);
  } catch (error) {
    if (error instanceof HttpParseError) throw new HttpError(error.message);
    throw error;
  }
}

/** The body if everything of it has arrived (by the head's framing), else null. */
function bodyIfComplete(
  head: HttpResponseHead,
  bytes: Uint8Array,
  ended: boolean,
): Uint8Array | null {
  try {
    const framing = bodyFraming(head);
    switch (framing.kind) {
      case 'none':
        return new Uint8Array(0);
      case 'length':
        return bytes.length >= framing.length ? bytes.slice(0, framing.length) : null;
      case 'until-close':
        return ended ? bytes.slice() : null;
      case 'chunked': {
        const decoded = decodeChunked(bytes);
        return decoded.complete ? decoded.body : null;
      }
    }
  } catch (error) {
    if (error instanceof HttpParseError) throw new HttpError(error.message);
    throw error;
  }
}
