/**
 * The built book served on a free loopback port, for the benchmarks that
 * open it in Chromium: files as the classroom server sends them (the
 * precompressed copies when the browser takes them), 404 otherwise.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveFile, sendFile } from '../classroom/static-files';

export interface BookServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveBook(root: string): Promise<BookServer> {
  const server = createServer((request, response) => {
    const file = resolveFile(root, request.url ?? '/', '/');
    if (file) sendFile(request, response, file);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
