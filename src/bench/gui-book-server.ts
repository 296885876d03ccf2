/**
 * The built book served on a free loopback port, as any static host would
 * serve it, for the benchmarks that open it in Chromium.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentType, resolveFile } from '../classroom/static-files';

export interface BookServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveBook(root: string): Promise<BookServer> {
  const server = createServer((request, response) => {
    const file = resolveFile(root, request.url ?? '/', '/');
    if (!file) return void response.writeHead(404).end();
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
