// The TLS client against a real TLS 1.3 server: Node's OpenSSL on 127.0.0.1, fed through a
// host socket. Every suite, both groups (secp256r1 only on the server forces a
// HelloRetryRequest) and three kinds of server key; the server's own key log is the judge of
// the client's secrets.

import { connect, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket, type TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsClient } from '../../../../src/kernel/net/tls/tls-client.ts';
import {
  type KeyKind,
  makeIdentity,
  type TestIdentity,
  trustingAuthenticator,
} from './support/test-identities.ts';
import { seededRandom } from '../../../support/seeded-random';

const HOST = 'openssl.cotton';
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

const identities = new Map<KeyKind, TestIdentity>();

beforeAll(async () => {
  for (const kind of ['ecdsa-p256', 'rsa', 'ed25519'] as const) {
    identities.set(kind, await makeIdentity(kind, HOST));
  }
}, 60_000);

interface RunningServer {
  port: number;
  keyLog: string[];
  sockets: TLSSocket[];
  server: Server;
}

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** An OpenSSL server that greets, then echoes each chunk back as "echo:<chunk>". */
async function startServer(identity: TestIdentity, options: TlsOptions): Promise<RunningServer> {
  const keyLog: string[] = [];
  const sockets: TLSSocket[] = [];
  const server = createServer(
    { key: identity.privateKeyPem, cert: identity.certificatePem, ...options },
    (socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.write('hello from openssl');
      socket.on('data', (chunk) => socket.write(`echo:${chunk.toString()}`));
    },
  );
  server.on('keylog', (line) => keyLog.push(line.toString().trim()));
  server.on('tlsClientError', () => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, keyLog, sockets, server };
}

/** Moves bytes between a host socket and the sans-I/O client. */
class Driver {
  private readonly socket: Socket;
  private received = '';
  private waiters: (() => void)[] = [];

  constructor(
    port: number,
    readonly client: TlsClient,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('connect', () => this.socket.write(client.start()));
    this.socket.on('data', (chunk) => {
      client.receive(new Uint8Array(chunk));
      this.received += str(client.readApplicationData());
      this.flush();
    });
    this.socket.on('end', () => {
      client.transportClosed();
      this.notify();
    });
    this.socket.on('error', () => {});
  }

  get text(): string {
    return this.received;
  }

  flush(): void {
    const output = this.client.takeOutput();
    if (output.length > 0 && !this.socket.destroyed) this.socket.write(output);
    this.notify();
  }

  async until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

function makeClient(seed: number, keyLog?: (line: string) => void): TlsClient {
  return new TlsClient({
    serverName: HOST,
    random: seededRandom(seed).bytes,
    authenticator: trustingAuthenticator([...identities.values()].map((i) => i.certificateDer)),
    now: () => 0,
    keyLog,
  });
}

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const CURVES = ['X25519', 'P-256'];
const KINDS: KeyKind[] = ['ecdsa-p256', 'rsa', 'ed25519'];
const cases = SUITES.flatMap((suite, i) =>
  CURVES.map((curve, j) => [suite, curve, KINDS[(i + j) % 3]!] as const),
).concat(KINDS.map((kind) => ['TLS_AES_128_GCM_SHA256', 'X25519', kind] as const));

describe('TLS 1.3 client against OpenSSL (node:tls)', () => {
  it.each(cases)(
    '%s over %s with a %s key: handshake, data both ways',
    async (suite, curve, kind) => {
      const running = await startServer(identities.get(kind)!, {
        minVersion: 'TLSv1.3',
        ciphers: suite, // node:tls takes TLS 1.3 suites in `ciphers` (there is no `ciphersuites`)
        ecdhCurve: curve,
      });
      const clientKeyLog: string[] = [];
      const driver = new Driver(
        running.port,
        makeClient(7, (line) => clientKeyLog.push(line)),
      );
      try {
        await driver.until(() => driver.text.includes('hello from openssl'), 'the greeting');
        const client = driver.client;
        expect(client.state).toBe('connected');
        const negotiated = client.handshakeLog.find((s) => s.kind === 'negotiated');
        expect(negotiated).toMatchObject({
          cipherSuite: suite,
          group: curve === 'X25519' ? 'x25519' : 'secp256r1',
        });
        const retried = client.handshakeLog.some((s) => s.kind === 'hello-retry');
        expect(retried).toBe(curve === 'P-256');
        expect(running.sockets[0]!.getCipher().standardName).toBe(suite);
        expect(running.sockets[0]!.getProtocol()).toBe('TLSv1.3');

        client.write(text('ping'));
        driver.flush();
        await driver.until(() => driver.text.includes('echo:ping'), 'the echo');

        // The server's key log must hold every line the client logged, byte for byte.
        expect(clientKeyLog).toHaveLength(4);
        for (const line of clientKeyLog) expect(running.keyLog).toContain(line);
      } finally {
        driver.destroy();
      }
    },
  );

  it('rekeys both ways with KeyUpdate: OpenSSL answers update_requested with its own', async () => {
    const running = await startServer(identities.get('ecdsa-p256')!, { minVersion: 'TLSv1.3' });
    const driver = new Driver(running.port, makeClient(8));
    try {
      await driver.until(() => driver.text.includes('hello from openssl'), 'the greeting');
      const client = driver.client;
      client.updateKeys();
      client.write(text('after update'));
      driver.flush();
      await driver.until(
        () => driver.text.includes('echo:after update'),
        'the echo after rekeying',
      );
      const received = client.handshakeLog.filter((s) => s.kind === 'received');
      const messages = received.map((s) => s.kind === 'received' && s.message);
      expect(messages).toContain('KeyUpdate');
      // OpenSSL sends session tickets after the handshake; the client reads past them.
      expect(messages).toContain('NewSessionTicket');
      client.write(text('twice'));
      driver.flush();
      await driver.until(() => driver.text.includes('echo:twice'), 'the second echo');
      expect(client.state).toBe('connected');
    } finally {
      driver.destroy();
    }
  });

  it('close() sends close_notify and the server ends the connection', async () => {
    const running = await startServer(identities.get('ed25519')!, { minVersion: 'TLSv1.3' });
    const driver = new Driver(running.port, makeClient(9));
    try {
      await driver.until(() => driver.text.includes('hello from openssl'), 'the greeting');
      const ended = new Promise<void>((resolve) => running.sockets[0]!.on('end', resolve));
      driver.client.close();
      driver.flush();
      await ended;
      expect(driver.client.state).toBe('closed');
    } finally {
      driver.destroy();
    }
  });

  it('a TLS 1.2-only server ends in protocol_version', async () => {
    const running = await startServer(identities.get('ecdsa-p256')!, {
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
    });
    const driver = new Driver(running.port, makeClient(10));
    try {
      await driver.until(() => driver.client.state === 'failed', 'the failure');
      expect(driver.client.error?.alert).toBe('protocol_version');
      expect(driver.client.error?.sentByServer).toBe(true);
      expect(driver.client.error?.reason).toMatch(/does not speak TLS 1\.3/);
    } finally {
      driver.destroy();
    }
  });

  it('an untrusted certificate ends in bad_certificate, and OpenSSL hears the alert', async () => {
    const stranger = await makeIdentity('ecdsa-p256', HOST);
    const running = await startServer(stranger, { minVersion: 'TLSv1.3' });
    const serverError = new Promise<Error>((resolve) =>
      running.server.on('tlsClientError', resolve),
    );
    const driver = new Driver(running.port, makeClient(11));
    try {
      await driver.until(() => driver.client.state === 'failed', 'the failure');
      expect(driver.client.error?.alert).toBe('bad_certificate');
      expect(String(await serverError)).toMatch(/bad certificate/i);
    } finally {
      driver.destroy();
    }
  });
});
