/**
 * A tiny static file server for the built book (dist/), for the browser tests.
 *
 * The book is a static site, so the tests serve it the way any static host
 * would: files by path, `index.html` for directories, the right MIME type
 * (module scripts and workers refuse to load with a wrong one), 404 otherwise.
 * It listens on a free loopback port. A book built under a base path
 * (BOOK_BASE=/book/) is served under that path, and nothing else is.
 * A test can publish a new version of one file (`publish`), as a host would
 * after a new build, to see what a reader's open page makes of it.
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentType, resolveFile } from '../../src/classroom/static-files';

export interface StaticServer {
  readonly url: string;
  /** Serve `text` at `path` (a URL path, base included) from now on, instead of the built file. */
  publish(path: string, text: string): void;
  close(): Promise<void>;
}

export async function serveStatic(root: string, base = '/'): Promise<StaticServer> {
  const published = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const text = published.get(path);
    if (text !== undefined) {
      response.writeHead(200, { 'content-type': contentType(path) }).end(text);
      return;
    }
    const file = resolveFile(root, request.url ?? '/', base);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': contentType(file) });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publish: (path, text) => published.set(path, text),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
