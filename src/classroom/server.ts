/**
 * The classroom server (`npm run classroom`, `cotton classroom --port N`): one
 * Node HTTP server that serves the built book (dist/) and, on the same port,
 * the relay's WebSocket endpoint (/classroom/ws). Serving both from one origin
 * is what lets a chapter's Share button find the relay (GET /classroom/info)
 * and lets students open the room link, and the recordings the teacher plays,
 * without any cross-origin setup.
 *
 * It does not build the book: a missing dist/ is reported with the command
 * that makes it (`npm run build`), since a build takes minutes and belongs to
 * the person who changed the sources.
 *
 * Static files are served by path (index.html for directories), with the MIME
 * types module scripts and workers need; paths that leave dist/ are refused.
 * The relay's clock ticks once a second (expiry, slow viewers).
 *
 * It listens on localhost unless asked otherwise (`--lan`, or `--host
 * ADDRESS`): a relay open to the network lets anyone there open rooms, so
 * serving a classroom's phones is a choice the teacher makes, not a default.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { INFO_PATH, RELAY_PATH, type ClassroomInfo } from './protocol';
import { Relay, type RelayLimits } from './relay';
import { contentType, resolveFile, sendFile } from './static-files';

export const DEFAULT_PORT = 8080;
/** Where the server listens by default: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
/** `--lan`: every interface, so phones on the local network can reach it. */
export const LAN_HOST = '0.0.0.0';
const SWEEP_MS = 1000;
/** ws closes a connection whose frame is larger than this outright; smaller oversized ones get an error message. */
const HARD_PAYLOAD_FACTOR = 4;

export interface ClassroomOptions {
  readonly dist: string;
  /** The base path the book was built for (BOOK_BASE, docs/publishing.md); `/` by default. */
  readonly base?: string;
  readonly port?: number;
  readonly host?: string;
  readonly limits?: Partial<RelayLimits>;
  readonly clock?: () => number;
}

export interface ClassroomServer {
  readonly url: string;
  /** The addresses on the local network, when the server listens there (else none). */
  readonly lanUrls: readonly string[];
  readonly relay: Relay;
  close(): Promise<void>;
}

/** http://ADDRESS:PORT for each IPv4 address of this machine on a network (what a phone can reach). */
export function lanUrls(port: number): string[] {
  const urls: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal)
        urls.push(`http://${address.address}:${port}`);
    }
  }
  return urls;
}

export function distMissingMessage(dist: string): string | null {
  return existsSync(join(dist, 'index.html'))
    ? null
    : `the built book is missing (${join(dist, 'index.html')}): run \`npm run build\` first`;
}

export async function startClassroom(options: ClassroomOptions): Promise<ClassroomServer> {
  const root = resolve(options.dist);
  const missing = distMissingMessage(root);
  if (missing) throw new Error(missing);
  const relay = new Relay(options.limits, options.clock);
  let port = options.port ?? DEFAULT_PORT;
  const listenHost = options.host ?? DEFAULT_HOST;
  const listensEverywhere = listenHost === LAN_HOST || listenHost === '::';

  const serveFile = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    if (url.split('?')[0] === INFO_PATH) {
      // Addresses on the network only when the server listens there (not when bound to loopback).
      const info: ClassroomInfo = { classroom: 1, lanUrls: listensEverywhere ? lanUrls(port) : [] };
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(info));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    const file = resolveFile(root, url, options.base);
    if (!file) {
      const notFound = resolveFile(root, '/404.html');
      response.writeHead(404, {
        'content-type': notFound ? contentType('index.html') : 'text/plain',
      });
      if (notFound && request.method === 'GET') createReadStream(notFound).pipe(response);
      else response.end('not found');
      return;
    }
    sendFile(request, response, file);
  };

  const server: Server = createServer(serveFile);
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: relay.limits.maxMessageBytes * HARD_PAYLOAD_FACTOR,
  });
  server.on('upgrade', (request, socket, head) => {
    if ((request.url ?? '').split('?')[0] !== RELAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      attach(relay, ws, request.socket.remoteAddress ?? ''),
    );
  });
  const sweeper = setInterval(() => relay.sweep(), SWEEP_MS);
  sweeper.unref();

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, listenHost, () => done());
  });
  port = (server.address() as AddressInfo).port;
  const host = listensEverywhere ? '127.0.0.1' : listenHost;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    lanUrls: listensEverywhere ? lanUrls(port) : [],
    relay,
    close: () =>
      new Promise<void>((done) => {
        clearInterval(sweeper);
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Plug one WebSocket into the relay; `address` is the client's IP address (the per-address room limit). */
function attach(relay: Relay, ws: WebSocket, address: string): void {
  const connection = relay.connect(
    {
      send: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      close: (code, reason) => ws.close(code, reason),
    },
    address,
  );
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    connection.receive(isBinary ? null : bytes.toString('utf8'), bytes.length);
  });
  ws.on('close', () => connection.closed());
  ws.on('error', () => ws.terminate());
}

export const CLASSROOM_USAGE = `usage: cotton classroom [--port N] [--lan | --host ADDRESS] [--dist DIR] [--base PATH]

Serve the built book (dist/, made by \`npm run build\`) and the classroom relay.
  --port N         the port (default ${DEFAULT_PORT})
  --lan            listen on every interface, so students' phones on the local network can join
  --host ADDRESS   listen on this address only (default ${DEFAULT_HOST}: this machine)
  --dist DIR       the built book to serve (default: the repository's dist/)
  --base PATH      the base path the book was built for (default: BOOK_BASE, or /)`;

/** A base path as the server matches it: one leading and one trailing slash ("book" -> "/book/"). */
export function normalizeBase(base: string): string {
  const inner = base.replace(/^\/+|\/+$/g, '');
  return inner === '' ? '/' : `/${inner}/`;
}

/** `cotton classroom [--port N] [--lan | --host ADDRESS] [--dist DIR] [--base PATH]`: serve until interrupted. */
export async function classroomCommand(args: readonly string[]): Promise<number> {
  let port = DEFAULT_PORT;
  let host: string | undefined;
  let dist = join(import.meta.dirname, '..', '..', 'dist');
  let base = process.env.BOOK_BASE || '/';
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${CLASSROOM_USAGE}\n`);
      return 0;
    }
    if (flag === '--lan') {
      if (host !== undefined)
        throw new Error(`--lan and --host exclude each other\n${CLASSROOM_USAGE}`);
      host = LAN_HOST;
      continue;
    }
    const value = args[i + 1];
    if (flag !== '--port' && flag !== '--host' && flag !== '--dist' && flag !== '--base')
      throw new Error(`classroom: unknown argument '${flag}'\n${CLASSROOM_USAGE}`);
    if (value === undefined) throw new Error(`${flag} needs a value\n${CLASSROOM_USAGE}`);
    if (flag === '--port') port = Number(value);
    else if (flag === '--dist') dist = value;
    else if (flag === '--base') base = value;
    else if (host !== undefined)
      throw new Error(`--lan and --host exclude each other\n${CLASSROOM_USAGE}`);
    else host = value;
    i++;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('--port must be a port number (0 to 65535)');
  base = normalizeBase(base);
  const server = await startClassroom({ dist, base, port, host: host ?? DEFAULT_HOST });
  const port_ = Number(new URL(server.url).port);
  process.stdout.write(`CottonOS classroom: the book and the relay on port ${port_}\n`);
  process.stdout.write(`  open ${server.url}${base} (this machine)\n`);
  for (const url of server.lanUrls)
    process.stdout.write(`  or   ${url}${base} (the local network: students' phones)\n`);
  if (server.lanUrls.length === 0 && host === undefined)
    process.stdout.write(
      '  (this machine only; add --lan so phones on the local network can join)\n',
    );
  process.stdout.write('Open a chapter and press Share on its machine. Ctrl-C stops the server.\n');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
}
