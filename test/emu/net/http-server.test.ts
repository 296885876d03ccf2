import { describe, expect, it } from 'vitest';
import {
  CHUNKED_PAGE,
  EXAMPLE_PAGE,
  largePage,
  LARGE_PAGE_BYTES,
  patternFile,
} from '../../../src/emu/net/book-sites';
import { concat, expectSameBytes, TestGuest, type TestTcpClient } from './test-guest';

interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
  /** Bytes after this response (the next pipelined one). */
  rest: Uint8Array;
}

/** The test's own HTTP/1.1 response reader (Content-Length, chunked, or up to the end). */
function parseResponse(bytes: Uint8Array, headOnly = false): ParsedResponse {
  const text = new TextDecoder('latin1').decode(bytes);
  const headEnd = text.indexOf('\r\n\r\n');
  expect(headEnd).toBeGreaterThan(0);
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const status = Number(statusLine!.split(' ')[1]);
  const headers = new Map(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  let at = headEnd + 4;
  if (headOnly) return { status, headers, body: new Uint8Array(0), rest: bytes.subarray(at) };
  if (headers.get('transfer-encoding') === 'chunked') {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const lineEnd = text.indexOf('\r\n', at);
      const size = parseInt(text.slice(at, lineEnd), 16);
      at = lineEnd + 2;
      if (size === 0)
        return { status, headers, body: concat(chunks), rest: bytes.subarray(at + 2) };
      chunks.push(bytes.subarray(at, at + size));
      expect(text.slice(at + size, at + size + 2)).toBe('\r\n');
      at += size + 2;
    }
  }
  const length = Number(headers.get('content-length') ?? bytes.length - at);
  return {
    status,
    headers,
    body: bytes.subarray(at, at + length),
    rest: bytes.subarray(at + length),
  };
}

function get(
  path: string,
  extra = 'Connection: close\r\n',
  host = 'example.com',
  method = 'GET',
  version = 'HTTP/1.1',
): string {
  return `${method} ${path} ${version}\r\nHost: ${host}\r\nUser-Agent: test\r\n${extra}\r\n`;
}

/** One request on a fresh connection to example.com, the client closing when the server does. */
function fetch(guest: TestGuest, request: string, address = '93.184.215.14'): TestTcpClient {
  const client = guest.connect(address, 80);
  client.send(request);
  expect(guest.runUntil(() => client.peerFin)).toBe(true);
  client.close();
  expect(guest.runUntil(() => client.allAcknowledged)).toBe(true);
  return client;
}

describe('HTTP server behind the gateway', () => {
  it("serves example.com's page with Content-Length and closes on Connection: close", () => {
    const guest = new TestGuest();
    const client = fetch(guest, get('/'));
    const response = parseResponse(client.data);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('connection')).toBe('close');
    expect(Number(response.headers.get('content-length'))).toBe(EXAMPLE_PAGE.length);
    expect(new TextDecoder().decode(response.body)).toBe(EXAMPLE_PAGE);
    expect(response.headers.has('date')).toBe(false);
    guest.runFor(3000); // past TIME-WAIT
    expect(guest.network.gateway.saveState().tcp).toEqual([]);
  });

  it('answers two requests on one keep-alive connection, and HEAD without a body', () => {
    const guest = new TestGuest();
    const client = guest.connect('93.184.215.14', 80);
    client.send(get('/', '') + get('/large', '', 'example.com', 'HEAD'));
    guest.runFor(500);
    expect(client.peerFin).toBe(false);
    const first = parseResponse(client.data);
    expect(first.headers.get('connection')).toBe('keep-alive');
    const second = parseResponse(first.rest, true);
    expect(second.status).toBe(200);
    expect(Number(second.headers.get('content-length'))).toBe(LARGE_PAGE_BYTES);
    expect(second.rest.length).toBe(0);
    client.close();
    expect(guest.runUntil(() => client.peerFin && client.allAcknowledged)).toBe(true);
  });

  it('sends the 100 KiB page in full over a clean link', () => {
    const guest = new TestGuest();
    const response = parseResponse(fetch(guest, get('/large')).data);
    expectSameBytes(response.body, largePage());
  });

  it('sends the chunked page in chunks that decode to the text', () => {
    const guest = new TestGuest();
    const response = parseResponse(fetch(guest, get('/chunked')).data);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.has('content-length')).toBe(false);
    expect(new TextDecoder().decode(response.body)).toBe(CHUNKED_PAGE);
  });

  it('sends the chunked page with Content-Length to an HTTP/1.0 client', () => {
    const guest = new TestGuest();
    const response = parseResponse(
      fetch(guest, get('/chunked', '', 'example.com', 'GET', 'HTTP/1.0')).data,
    );
    expect(response.headers.has('transfer-encoding')).toBe(false);
    expect(response.headers.get('connection')).toBe('close');
    expect(new TextDecoder().decode(response.body)).toBe(CHUNKED_PAGE);
  });

  it('redirects /redirect with 301 to /', () => {
    const guest = new TestGuest();
    const response = parseResponse(fetch(guest, get('/redirect')).data);
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/');
  });

  it('answers 404, 405 with Allow, and 400 for a request without Host', () => {
    const guest = new TestGuest();
    expect(parseResponse(fetch(guest, get('/missing')).data).status).toBe(404);
    const post = parseResponse(
      fetch(guest, get('/', 'Connection: close\r\n', 'example.com', 'POST')).data,
    );
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const noHost = parseResponse(fetch(guest, 'GET / HTTP/1.1\r\n\r\n').data);
    expect(noHost.status).toBe(400);
    expect(noHost.headers.get('connection')).toBe('close');
    expect(parseResponse(fetch(guest, 'NONSENSE\r\n\r\n').data).status).toBe(400);
  });

  it('serves files.cotton.test, with its 1 MiB file', () => {
    const guest = new TestGuest();
    const response = parseResponse(
      fetch(guest, get('/1m.bin', 'Connection: close\r\n', 'files.cotton.test'), '203.0.113.8')
        .data,
    );
    expect(response.status).toBe(200);
    expectSameBytes(response.body, patternFile());
  });

  it('delivers the 100 KiB page over a link losing 10% of frames each way', () => {
    const seed = Number(process.env.NET_SEED ?? 7);
    const guest = new TestGuest({ seed, link: { lossPercent: 10 } });
    const client = fetch(guest, get('/large'));
    const response = parseResponse(client.data);
    expectSameBytes(response.body, largePage(), `seed ${seed}`);
    const stats = guest.network.link.statistics('to guest');
    expect(stats.dropped, `seed ${seed}`).toBeGreaterThan(0);
  });

  it('delivers it over a link that also duplicates, reorders and delays', () => {
    const guest = new TestGuest({
      seed: 3,
      link: { lossPercent: 5, duplicatePercent: 5, reorderPercent: 10, delayMs: 20 },
    });
    const response = parseResponse(fetch(guest, get('/large')).data);
    expectSameBytes(response.body, largePage());
  });
});
