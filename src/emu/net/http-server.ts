/**
 * The named hosts' web server: HTTP/1.1 (RFC 9112) GET and HEAD over the
 * host-side TCP (tcp-endpoint.ts), serving a small site of fixed pages
 * (book-sites.ts).
 *
 * - Requests on one connection are answered in turn (pipelined ones too);
 *   HTTP/1.1 connections stay open unless the client sends
 *   "Connection: close", HTTP/1.0 ones close unless it sends
 *   "Connection: keep-alive" (RFC 9112 §9.3).
 * - An HTTP/1.1 request without Host is a 400 (RFC 9112 §3.2); other
 *   methods are 405 with Allow; unknown paths 404; a malformed request is
 *   answered with its error and the connection closed.
 * - Redirects are 301 with a Location; a page marked chunked is sent with
 *   Transfer-Encoding: chunked to HTTP/1.1 clients, with Content-Length
 *   to HTTP/1.0 ones, which do not know chunking.
 * - No Date field: a server without a clock it can trust must not send
 *   one (RFC 9110 §6.6.1), and the virtual network knows only virtual time.
 */
import type { DeviceState } from '../device-state';
import { asciiBytes, concatBytes } from './bytes';
import {
  buildHttpResponse,
  parseHttpRequest,
  type HttpRequest,
  type HttpResponse,
} from './http-message';
import type { TcpApplication, TcpService, TcpSocket } from './tcp-endpoint';

export const HTTP_PORT = 80;
export const HTTP_SERVER_NAME = 'cotton-virtual-network';

/** A page: its media type and its bytes (made on demand: some are large). */
export interface WebPage {
  readonly contentType: string;
  readonly body: () => Uint8Array;
  /** Send with Transfer-Encoding: chunked, in chunks of this many bytes. */
  readonly chunkSize?: number;
}

/** A path that has moved: answered with 301 and this Location. */
export interface WebRedirect {
  readonly redirectTo: string;
}

/** Path → what is there. */
export type WebSite = ReadonlyMap<string, WebPage | WebRedirect>;

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

/** The path of a request target: absolute form loses scheme and authority, any form its query. */
function targetPath(target: string): string {
  const path = target.replace(/^https?:\/\/[^/]*/i, '') || '/';
  return path.split(/[?#]/)[0]!;
}

function wantsKeepAlive(request: HttpRequest): boolean {
  const connection = (request.headers.get('connection') ?? '').toLowerCase();
  return request.version === 'HTTP/1.1'
    ? !connection.includes('close')
    : connection.includes('keep-alive');
}

export class HttpServer {
  requestsServed = 0;
  readonly service: TcpService = (socket) => new HttpConnection(this, socket);

  constructor(private readonly site: WebSite) {}

  /** The response to one request (without its Connection field), and whether the connection stays open after it. */
  respond(request: HttpRequest): { response: HttpResponse; keepAlive: boolean } {
    this.requestsServed++;
    const keepAlive = wantsKeepAlive(request);
    const headOnly = request.method === 'HEAD';
    const path = targetPath(request.target);
    if (request.version === 'HTTP/1.1' && !request.headers.has('host')) {
      return { response: errorResponse(400, 'no Host field'), keepAlive: false };
    }
    if (request.method !== 'GET' && !headOnly) {
      const response = errorResponse(405, `${request.method} is not served here`);
      return {
        response: { ...response, headers: [...response.headers, ['Allow', 'GET, HEAD']] },
        keepAlive,
      };
    }
    const entry = this.site.get(path);
    if (!entry)
      return { response: { ...errorResponse(404, `nothing at ${path}`), headOnly }, keepAlive };
    if ('redirectTo' in entry)
      return { response: { ...redirectResponse(entry.redirectTo), headOnly }, keepAlive };
    const headers: [string, string][] = [
      ['Server', HTTP_SERVER_NAME],
      ['Content-Type', entry.contentType],
    ];
    const chunkSize = request.version === 'HTTP/1.1' ? entry.chunkSize : undefined;
    return {
      response: {
        status: 200,
        reason: REASONS[200]!,
        headers,
        body: entry.body(),
        chunkSize,
        headOnly,
      },
      keepAlive,
    };
  }
}

function redirectResponse(location: string): HttpResponse {
  const body = asciiBytes(
    `<html><body>Moved to <a href="${location}">${location}</a>.</body></html>\n`,
  );
  const headers: [string, string][] = [
    ['Server', HTTP_SERVER_NAME],
    ['Location', location],
    ['Content-Type', 'text/html; charset=utf-8'],
  ];
  return { status: 301, reason: REASONS[301]!, headers, body };
}

/** A short plain-text error. */
function errorResponse(status: number, detail: string): HttpResponse {
  const headers: [string, string][] = [
    ['Server', HTTP_SERVER_NAME],
    ['Content-Type', 'text/plain; charset=utf-8'],
  ];
  const body = asciiBytes(`${status} ${REASONS[status]}: ${detail}\n`);
  return { status, reason: REASONS[status]!, headers, body };
}

function withConnection(response: HttpResponse, keepAlive: boolean): HttpResponse {
  return {
    ...response,
    headers: [...response.headers, ['Connection', keepAlive ? 'keep-alive' : 'close']],
  };
}

/** One TCP connection's requests, read from its byte stream as they complete. */
class HttpConnection implements TcpApplication {
  private pending: Uint8Array = new Uint8Array(0);
  private finished = false;

  constructor(
    private readonly server: HttpServer,
    private readonly socket: TcpSocket,
  ) {}

  data(bytes: Uint8Array): void {
    if (this.finished) return;
    this.pending = concatBytes([this.pending, bytes]);
    this.answerCompleteRequests();
  }

  end(): void {
    this.finish();
  }

  close(): void {
    this.finished = true;
  }

  saveState(): DeviceState {
    return { pendingBytes: this.pending.length, finished: this.finished };
  }

  private answerCompleteRequests(): void {
    while (!this.finished) {
      const parsed = parseHttpRequest(this.pending);
      if (parsed.kind === 'incomplete') return;
      if (parsed.kind === 'invalid') {
        this.socket.send(
          buildHttpResponse(withConnection(errorResponse(parsed.status, parsed.reason), false)),
        );
        return this.finish();
      }
      this.pending = this.pending.slice(parsed.length);
      const { response, keepAlive } = this.server.respond(parsed.request);
      this.socket.send(buildHttpResponse(withConnection(response, keepAlive)));
      if (!keepAlive) return this.finish();
    }
  }

  private finish(): void {
    this.finished = true;
    this.pending = new Uint8Array(0);
    this.socket.end();
  }
}
