// Helpers for the TLS server's tests: a seeded random source, the kernel's TLS client with an
// authenticator built from the kernel's PKI code and the book's trust store, and an in-memory
// pipe that moves records between a client and a server until both are quiet.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_START_TIME } from '../../../../src/emu/machine';
import {
  BOOK_CERTIFICATES,
  type BookCertificateName,
} from '../../../../src/emu/net/tls-server/book-certificates';
import { identityFromCertificate } from '../../../../src/emu/net/tls-server/server-identity';
import { TlsServer, type TlsServerOptions } from '../../../../src/emu/net/tls-server/tls-server';
import {
  parseCertificate,
  parsePem,
  validateChain,
  verifyTlsSignature,
} from '../../../../src/kernel/net/pki/index';
import type { PeerAuthenticator } from '../../../../src/kernel/net/tls/authenticator';
import { TlsClient } from '../../../../src/kernel/net/tls/tls-client';
import { seededRandom } from '../../../support/seeded-random';

export const TRUST_STORE_PATH = join(
  import.meta.dirname,
  '../../../../disk/etc/ssl/certs/cotton-book-root.pem',
);
export const TRUST_STORE_PEM = readFileSync(TRUST_STORE_PATH, 'utf8');

export const text = (s: string) => new TextEncoder().encode(s);
export const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** Judges chains with the kernel's validateChain against the book's trust store, at `now`. */
export function pkiAuthenticator(now = DEFAULT_START_TIME): PeerAuthenticator {
  const roots = parsePem(TRUST_STORE_PEM).map((der) => parseCertificate(der));
  return {
    verifyChain(certificates, serverName) {
      const verdict = validateChain(certificates, { serverName, now, roots });
      return verdict.ok
        ? { ok: true }
        : { ok: false, reason: `${verdict.failure}: ${verdict.message}` };
    },
    verifyHandshakeSignature: (leaf, scheme, content, signature) =>
      verifyTlsSignature(parseCertificate(leaf), scheme, content, signature),
  };
}

export function bookIdentity(name: BookCertificateName) {
  return identityFromCertificate(BOOK_CERTIFICATES[name]);
}

export function makeServer(
  certificate: BookCertificateName,
  options: Partial<TlsServerOptions> = {},
  seed = 1,
): TlsServer {
  return new TlsServer({
    identity: bookIdentity(certificate),
    random: seededRandom(seed).bytes,
    ...options,
  });
}

export function makeClient(
  serverName: string,
  seed = 2,
  keyLog?: (line: string) => void,
): TlsClient {
  return new TlsClient({
    serverName,
    random: seededRandom(seed).bytes,
    authenticator: pkiAuthenticator(),
    now: () => 0,
    ...(keyLog && { keyLog }),
  });
}

/** Moves records both ways until neither side has anything to send. */
export function pump(
  client: TlsClient,
  server: TlsServer,
  first: Uint8Array = new Uint8Array(0),
): void {
  let toServer = first.length > 0 ? first : client.takeOutput();
  for (let round = 0; round < 20; round++) {
    server.receive(toServer);
    client.receive(server.takeOutput());
    toServer = client.takeOutput();
    if (toServer.length === 0) return;
  }
  throw new Error('the client and the server are still talking after 20 rounds');
}

/** A handshake from the client's first ClientHello until both are quiet. */
export function connect(client: TlsClient, server: TlsServer): void {
  pump(client, server, client.start());
}
