// The emulator's TLS server against a real TLS 1.3 client: Node's OpenSSL, over a host socket on
// 127.0.0.1 that carries bytes to and from the server's TCP service (tls-service.ts with the
// virtual network's web server inside). OpenSSL checks the chain against the book's trust store
// at the host's real time (the good certificates are valid 2025-2035), its key log must match
// the server's, and it fetches a page. The broken hosts must fail in OpenSSL's words too.

import { createServer, type Server, type Socket } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../../src/emu/net/http-server';
import type { TcpApplication } from '../../../../src/emu/net/tcp-endpoint';
import {
  BOOK_HTTPS_HOSTS,
  type HttpsHost,
} from '../../../../src/emu/net/tls-server/book-https-hosts';
import { tlsService } from '../../../../src/emu/net/tls-server/tls-service';
import { GROUP_SECP256R1, GROUP_X25519 } from '../../../../src/emu/net/tls-server/tls-registry';
import type { TlsServerOptions } from '../../../../src/emu/net/tls-server/tls-server';
import { bookIdentity, TRUST_STORE_PEM } from './support';
import { seededRandom } from '../../../support/seeded-random';

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

function bookHost(name: string): HttpsHost {
  return BOOK_HTTPS_HOSTS.find((host) => host.name === name)!;
}

interface Listening {
  port: number;
  keyLog: string[];
  /** Each connection's service, for its saveState(). */
  connections: TcpApplication[];
}

/** A host socket server whose connections each run the emulator's HTTPS service. */
async function listen(
  host: HttpsHost,
  options: Partial<TlsServerOptions> = {},
): Promise<Listening> {
  const keyLog: string[] = [];
  const connections: TcpApplication[] = [];
  const service = tlsService(
    {
      identity: bookIdentity(host.certificate),
      random: seededRandom(servers.length + 1).bytes,
      groups: host.groups,
      keyLog: (line) => keyLog.push(line),
      ...options,
    },
    new HttpServer(host.site).service,
  );
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    const application: TcpApplication = service({
      id: {
        localAddress: new Uint8Array(4),
        localPort: 443,
        remoteAddress: new Uint8Array(4),
        remotePort: 1,
      },
      send: (bytes) => socket.write(bytes),
      end: () => socket.end(),
      abort: () => socket.destroy(),
    });
    connections.push(application);
    socket.on('data', (chunk) => application.data(new Uint8Array(chunk)));
    socket.on('end', () => application.end());
    socket.on('close', () => application.close('closed'));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, keyLog, connections };
}

interface Fetched {
  response: string;
  protocol: string | null;
  cipher: string;
  keyLog: string[];
}

/** OpenSSL fetches `/` from the server on `port`, trusting only the book's root. */
function fetchPage(
  port: number,
  serverName: string,
  options: ConnectionOptions = {},
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const keyLog: string[] = [];
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: serverName,
      ca: TRUST_STORE_PEM,
      minVersion: 'TLSv1.3',
      ...options,
    });
    let response = '';
    socket.on('keylog', (line) => keyLog.push(line.toString().trim()));
    socket.on('secureConnect', () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${serverName}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () =>
      resolve({
        response,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().standardName,
        keyLog,
      }),
    );
  });
}

describe('TLS server with an OpenSSL client', () => {
  let example: Listening;
  beforeAll(async () => {
    example = await listen(bookHost('example.com'));
  });

  for (const suite of [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
  ]) {
    for (const curve of ['X25519', 'P-256']) {
      it(`fetches example.com with ${suite} and ${curve}`, async () => {
        const before = example.keyLog.length;
        const fetched = await fetchPage(example.port, 'example.com', {
          ciphers: suite,
          ecdhCurve: curve,
        });
        expect(fetched.protocol).toBe('TLSv1.3');
        expect(fetched.cipher).toBe(suite);
        expect(fetched.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(fetched.response).toContain('<h1>Example Domain</h1>');
        // OpenSSL logs the same four traffic secrets (and an exporter secret, unused here).
        const serverLines = example.keyLog.slice(before);
        expect(serverLines).toHaveLength(4);
        for (const line of serverLines) expect(fetched.keyLog).toContain(line);
      });
    }
  }

  for (const [serverGroup, clientCurves, group] of [
    [GROUP_X25519, 'P-256:X25519', 'x25519'],
    [GROUP_SECP256R1, 'X25519:P-256', 'secp256r1'],
  ] as const) {
    it(`asks OpenSSL to retry with ${group} when it offers ${clientCurves}`, async () => {
      const listening = await listen(bookHost('example.com'), { groups: [serverGroup] });
      const fetched = await fetchPage(listening.port, 'www.example.com', {
        ecdhCurve: clientCurves,
      });
      expect(fetched.response).toContain('Example Domain');
      expect(listening.connections[0]!.saveState()).toMatchObject({
        tls: 'closed',
        group,
        helloRetry: true,
      });
    });
  }

  for (const name of [
    'valid.cotton.test',
    'ed25519.cotton.test',
    'p384.cotton.test',
    'hello-retry.cotton.test',
  ]) {
    it(`fetches ${name}`, async () => {
      const listening = await listen(bookHost(name));
      const fetched = await fetchPage(listening.port, name);
      expect(fetched.response).toContain(`${name}\n\nThis page came over TLS 1.3.`);
    });
  }

  for (const [name, code] of [
    ['expired.cotton.test', 'CERT_HAS_EXPIRED'],
    ['not-yet-valid.cotton.test', 'CERT_NOT_YET_VALID'],
    ['wrong-host.cotton.test', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['self-signed.cotton.test', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['untrusted-root.cotton.test', 'SELF_SIGNED_CERT_IN_CHAIN'],
    ['bad-signature.cotton.test', 'CERT_SIGNATURE_FAILURE'],
    ['incomplete-chain.cotton.test', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ]) {
    it(`OpenSSL refuses ${name} (${code})`, async () => {
      const listening = await listen(bookHost(name!));
      await expect(fetchPage(listening.port, name!)).rejects.toMatchObject({ code });
    });
  }

  it('refuses a TLS 1.2-only client with protocol_version', async () => {
    const fetched = fetchPage(example.port, 'example.com', {
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
    });
    await expect(fetched).rejects.toThrow(/protocol version|alert number 70/i);
  });
});
