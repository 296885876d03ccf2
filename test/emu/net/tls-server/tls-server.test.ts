// The emulator's TLS 1.3 server against the kernel's TLS client, over an in-memory pipe, with the
// kernel's certificate validation and the book's trust store: every suite and group, a
// HelloRetryRequest each way the client can meet one, every key type, application data both
// ways, key updates, close_notify, and the alerts each side sends when the other misbehaves.

import { describe, expect, it } from 'vitest';
import {
  cipherSuite,
  TLS_AES_128_GCM_SHA256,
  TLS_AES_256_GCM_SHA384,
  TLS_CHACHA20_POLY1305_SHA256,
} from '../../../../src/emu/net/tls-server/cipher-suites';
import { RecordLayer } from '../../../../src/emu/net/tls-server/record-layer';
import { handshakeMessage } from '../../../../src/emu/net/tls-server/server-messages';
import { GROUP_SECP256R1, GROUP_X25519 } from '../../../../src/emu/net/tls-server/tls-registry';
import { RFC8448 } from '../../../kernel/net/tls/support/rfc8448-trace';
import { connect, makeClient, makeServer, pump, str, text } from './support';

const SUITES = [
  [TLS_AES_128_GCM_SHA256, 'TLS_AES_128_GCM_SHA256'],
  [TLS_AES_256_GCM_SHA384, 'TLS_AES_256_GCM_SHA384'],
  [TLS_CHACHA20_POLY1305_SHA256, 'TLS_CHACHA20_POLY1305_SHA256'],
] as const;

describe('TLS server with the kernel client', () => {
  for (const [code, name] of SUITES) {
    for (const [group, groupLabel, helloRetry] of [
      [GROUP_X25519, 'x25519', false],
      [GROUP_SECP256R1, 'secp256r1', true],
    ] as const) {
      const retry = helloRetry ? ' after a HelloRetryRequest' : '';
      it(`completes ${name} with ${groupLabel}${retry}`, () => {
        const server = makeServer('example.com', { cipherSuites: [code], groups: [group] });
        const client = makeClient('example.com');
        connect(client, server);
        expect(client.error).toBeUndefined();
        expect(client.state).toBe('connected');
        expect(server.state).toBe('connected');
        expect(server.negotiated).toEqual({
          cipherSuite: name,
          group: groupLabel,
          signatureScheme: 0x0403,
          helloRetry,
        });
        const steps = client.handshakeLog.map((step) => step.kind);
        expect(steps.includes('hello-retry')).toBe(helloRetry);

        client.write(text('GET / HTTP/1.1\r\n\r\n'));
        pump(client, server);
        expect(str(server.readApplicationData())).toBe('GET / HTTP/1.1\r\n\r\n');
        server.write(text('HTTP/1.1 200 OK\r\n\r\n'));
        client.receive(server.takeOutput());
        expect(str(client.readApplicationData())).toBe('HTTP/1.1 200 OK\r\n\r\n');
      });
    }
  }

  it('takes the server preferred suite among those offered', () => {
    const server = makeServer('example.com', {
      cipherSuites: [TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256],
    });
    const client = makeClient('www.example.com');
    connect(client, server);
    expect(server.negotiated?.cipherSuite).toBe('TLS_CHACHA20_POLY1305_SHA256');
    expect(server.negotiated?.helloRetry).toBe(false);
  });

  for (const [certificate, host, scheme] of [
    ['ed25519.cotton.test', 'ed25519.cotton.test', 0x0807],
    ['p384.cotton.test', 'p384.cotton.test', 0x0503],
    ['wildcard.cotton.test', 'valid.cotton.test', 0x0403],
  ] as const) {
    it(`signs with the ${certificate} key (scheme 0x${scheme.toString(16)})`, () => {
      const server = makeServer(certificate);
      const client = makeClient(host);
      connect(client, server);
      expect(client.error).toBeUndefined();
      expect(client.state).toBe('connected');
      expect(server.negotiated?.signatureScheme).toBe(scheme);
    });
  }

  it('gives both sides the same secrets (the key logs agree)', () => {
    const serverLog: string[] = [];
    const clientLog: string[] = [];
    const server = makeServer('example.com', { keyLog: (line) => serverLog.push(line) });
    const client = makeClient('example.com', 2, (line) => clientLog.push(line));
    connect(client, server);
    expect(serverLog).toHaveLength(4);
    expect([...serverLog].sort()).toEqual([...clientLog].sort());
  });

  it('is deterministic: the same seeds give the same bytes', () => {
    const run = () => {
      const server = makeServer('example.com', {}, 7);
      const client = makeClient('example.com', 8);
      server.receive(client.start());
      return server.takeOutput();
    };
    expect(run()).toEqual(run());
  });

  it('carries data larger than a record both ways, and survives key updates', () => {
    const server = makeServer('example.com');
    const client = makeClient('example.com');
    connect(client, server);
    const big = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7) & 0xff);
    server.write(big);
    client.receive(server.takeOutput());
    expect(client.readApplicationData()).toEqual(big);
    client.updateKeys();
    client.write(big);
    pump(client, server);
    expect(server.readApplicationData()).toEqual(big);
    server.write(text('after the update'));
    client.receive(server.takeOutput());
    expect(str(client.readApplicationData())).toBe('after the update');
    expect(client.state).toBe('connected');
  });

  it('ends with close_notify each way', () => {
    const server = makeServer('example.com');
    const client = makeClient('example.com');
    connect(client, server);
    client.close();
    server.receive(client.takeOutput());
    expect(server.peerClosed).toBe(true);
    server.write(text('last words'));
    server.close();
    expect(server.state).toBe('closed');
    client.receive(server.takeOutput());
    expect(str(client.readApplicationData())).toBe('last words');
    expect(client.error).toBeUndefined();
  });
});

describe('TLS server alerts', () => {
  it('hears the client refuse its certificate (bad_certificate)', () => {
    const server = makeServer('wrong-host.cotton.test');
    const client = makeClient('wrong-host.cotton.test');
    connect(client, server);
    expect(client.state).toBe('failed');
    expect(client.error?.reason).toMatch(/^hostname-mismatch/);
    expect(server.state).toBe('failed');
    expect(server.failure).toEqual({
      alert: 'bad_certificate',
      reason: 'the client sent the alert bad_certificate',
      sentBy: 'client',
    });
  });

  it('refuses a client with no suite in common (handshake_failure)', () => {
    const server = makeServer('example.com', { cipherSuites: [TLS_AES_256_GCM_SHA384] });
    const client = makeClient('example.com');
    // The kernel client offers all three; drop AES-256 from its hello on the way.
    const hello = client.start();
    const at = findBytes(hello, [0x13, 0x02]);
    hello[at + 1] = 0x04; // TLS_AES_128_CCM_SHA256, which neither side speaks
    server.receive(hello);
    expect(server.failure).toMatchObject({ alert: 'handshake_failure', sentBy: 'server' });
    client.receive(server.takeOutput());
    expect(client.error?.alert).toBe('handshake_failure');
  });

  it('refuses a record that does not decrypt (bad_record_mac)', () => {
    const server = makeServer('example.com');
    const client = makeClient('example.com');
    server.receive(client.start());
    client.receive(server.takeOutput());
    const flight = client.takeOutput();
    flight[flight.length - 1]! ^= 1; // inside the record's tag
    server.receive(flight);
    expect(server.failure?.alert).toBe('bad_record_mac');
  });

  it('refuses a client Finished that does not match the handshake (decrypt_error)', () => {
    const secrets = new Map<string, Uint8Array>();
    const server = makeServer('example.com', {
      keyLog: (line) => {
        const [label, , secret] = line.split(' ');
        secrets.set(label!, Uint8Array.from(Buffer.from(secret!, 'hex')));
      },
    });
    const client = makeClient('example.com');
    server.receive(client.start());
    server.takeOutput();
    const forger = new RecordLayer();
    forger.setWriteSecret(
      cipherSuite(TLS_AES_128_GCM_SHA256)!,
      secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!,
    );
    server.receive(forger.encode(22, handshakeMessage(20, new Uint8Array(32))));
    expect(server.failure?.alert).toBe('decrypt_error');
  });

  it('refuses application data before the handshake (unexpected_message)', () => {
    const server = makeServer('example.com');
    server.receive(Uint8Array.of(23, 3, 3, 0, 2, 1, 2));
    expect(server.failure?.alert).toBe('unexpected_message');
    expect(server.takeOutput()).toEqual(Uint8Array.of(21, 3, 3, 0, 2, 2, 10));
  });

  it('refuses change_cipher_spec before the ClientHello (unexpected_message)', () => {
    const server = makeServer('example.com');
    server.receive(Uint8Array.of(20, 3, 3, 0, 1, 1));
    expect(server.failure?.alert).toBe('unexpected_message');
  });

  it('drops the compatibility change_cipher_spec after the ClientHello', () => {
    const server = makeServer('example.com');
    const client = makeClient('example.com');
    server.receive(client.start());
    client.receive(server.takeOutput());
    server.receive(Uint8Array.from([20, 3, 3, 0, 1, 1, ...client.takeOutput()]));
    expect(server.state).toBe('connected');
  });

  it('refuses a record longer than 2^14 + 256 bytes (record_overflow)', () => {
    const server = makeServer('example.com');
    server.receive(Uint8Array.of(22, 3, 1, 0x41, 0x01));
    expect(server.failure?.alert).toBe('record_overflow');
  });

  it('answers plain HTTP on the TLS port with an alert', () => {
    const server = makeServer('example.com');
    server.receive(text('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'));
    expect(server.failure?.alert).toBe('unexpected_message');
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((byte, j) => haystack[i + j] === byte)) return i;
  }
  throw new Error('not found');
}

describe('TLS server against RFC 8448 section 3 (simple 1-RTT handshake)', () => {
  it('answers the trace ClientHello with its ServerHello and derives its handshake secrets', () => {
    const hex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));
    const serverHello = hex(RFC8448.serverHello);
    const draws = [serverHello.slice(6, 38), hex(RFC8448.serverPrivateKey)];
    const secrets: string[] = [];
    const server = makeServer('example.com', {
      random: (length) => {
        const next = draws.shift()!;
        expect(next.length).toBe(length);
        return next;
      },
      keyLog: (line) => secrets.push(line.split(' ')[2]!),
    });
    const hello = hex(RFC8448.clientHello);
    server.receive(Uint8Array.from([22, 3, 1, hello.length >> 8, hello.length & 0xff, ...hello]));
    const output = server.takeOutput();
    expect(output.subarray(0, 5)).toEqual(Uint8Array.of(22, 3, 3, 0, serverHello.length));
    expect(Buffer.from(output.subarray(5, 5 + serverHello.length)).toString('hex')).toBe(
      RFC8448.serverHello,
    );
    expect(secrets.slice(0, 2)).toEqual([
      RFC8448.clientHandshakeTrafficSecret,
      RFC8448.serverHandshakeTrafficSecret,
    ]);
  });
});
