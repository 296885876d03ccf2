/**
 * The book's HTTPS hosts: which certificate each one presents on port 443 and the page it
 * serves, for the TLS chapter's experiments. example.com serves its usual site over TLS with a
 * valid chain (its own certificate and the book's intermediate CA); the hosts under
 * cotton.test are a small "badssl" matrix, one host per way a certificate can fail, plus hosts
 * with other key types and one that asks for a HelloRetryRequest. Their addresses are the A
 * records of book-hosts.ts; their certificates come from the test fixtures
 * (book-certificates.ts), whose good certificates are valid 2025-01-01..2035-01-01, around the
 * machine's default clock (2026-01-01).
 */
import { asciiBytes } from '../bytes';
import { BOOK_ZONE } from '../book-hosts';
import { EXAMPLE_COM_SITE } from '../book-sites';
import type { HttpServer, WebSite } from '../http-server';
import type { TcpService } from '../tcp-endpoint';
import { BOOK_CERTIFICATES, type BookCertificateName } from './book-certificates';
import { identityFromCertificate } from './server-identity';
import { tlsService } from './tls-service';
import { GROUP_SECP256R1 } from './tls-registry';

export const HTTPS_PORT = 443;

export interface HttpsHost {
  readonly name: string;
  /** Its address, from the book's DNS zone. */
  readonly address: string;
  readonly certificate: BookCertificateName;
  readonly site: WebSite;
  /** Key exchange groups the host accepts, when not the server's default (both). */
  readonly groups?: readonly number[];
}

function zoneAddress(name: string): string {
  const entry = BOOK_ZONE.find((record) => record.name === name && record.type === 'A');
  if (!entry) throw new RangeError(`${name} has no A record in BOOK_ZONE`);
  return entry.value;
}

/** One page that says where the reader is and what the certificate is like. */
function testHost(
  name: string,
  certificate: BookCertificateName,
  presents: string,
  groups?: readonly number[],
): HttpsHost {
  const page = `${name}\n\nThis page came over TLS 1.3. The server presents ${presents}\n`;
  const site: WebSite = new Map([
    ['/', { contentType: 'text/plain; charset=utf-8', body: () => asciiBytes(page) }],
  ]);
  return { name, address: zoneAddress(name), certificate, site, ...(groups && { groups }) };
}

export const BOOK_HTTPS_HOSTS: readonly HttpsHost[] = [
  {
    name: 'example.com',
    address: zoneAddress('example.com'),
    certificate: 'example.com',
    site: EXAMPLE_COM_SITE,
  },
  testHost(
    'valid.cotton.test',
    'wildcard.cotton.test',
    "a certificate for *.cotton.test, issued by the book's intermediate CA: every check passes.",
  ),
  testHost('expired.cotton.test', 'expired.cotton.test', 'a certificate that expired in 2021.'),
  testHost(
    'not-yet-valid.cotton.test',
    'not-yet-valid.cotton.test',
    'a certificate that becomes valid only in 2040.',
  ),
  testHost(
    'wrong-host.cotton.test',
    'wrong-host.cotton.test',
    'a certificate for example.net, not for this name.',
  ),
  testHost(
    'self-signed.cotton.test',
    'self-signed.cotton.test',
    'a certificate signed by its own key: no authority vouches for it.',
  ),
  testHost(
    'untrusted-root.cotton.test',
    'untrusted-root.cotton.test',
    'a certificate from a root CA that the book does not trust.',
  ),
  testHost(
    'bad-signature.cotton.test',
    'bad-signature.cotton.test',
    'a certificate whose signature was altered after it was signed.',
  ),
  testHost(
    'incomplete-chain.cotton.test',
    'incomplete-chain.cotton.test',
    'its certificate without the intermediate CA certificate that links it to the root.',
  ),
  testHost(
    'ed25519.cotton.test',
    'ed25519.cotton.test',
    'a valid certificate with an Ed25519 key.',
  ),
  testHost('p384.cotton.test', 'p384.cotton.test', 'a valid certificate with a P-384 key.'),
  testHost(
    'hello-retry.cotton.test',
    'wildcard.cotton.test',
    'a valid certificate, and accepts only secp256r1 key shares: a client that offers ' +
      'x25519 first is sent a HelloRetryRequest.',
    [GROUP_SECP256R1],
  ),
];

/** What `host` runs on HTTPS_PORT: TLS with its certificate, then `server` inside it. */
export function httpsService(
  host: HttpsHost,
  server: HttpServer,
  random: (length: number) => Uint8Array,
): TcpService {
  const identity = identityFromCertificate(BOOK_CERTIFICATES[host.certificate]);
  return tlsService({ identity, random, groups: host.groups }, server.service);
}
