/**
 * A tiny static file server for the built book (dist/), for the browser tests.
 *
 * The book is a static site, so the tests serve it the way any static host
 * would: files by path, `index.html` for directories, the right MIME type
 * (module scripts and workers refuse to load with a wrong one), 404 otherwise.
 * It listens on a free loopback port. A book built under a base path
 * (BOOK_BASE=/book/) is served under that path, and nothing else is.
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentType, resolveFile } from '../../src/classroom/static-files';

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string, base = '/'): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
