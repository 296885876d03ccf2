/**
 * The book's "Internet": the named hosts the guest can reach through the
 * gateway, and the DNS zone that names them. Like QEMU's slirp, the gateway
 * itself answers for every address here (virtual-network.ts binds each
 * host's services to it), so the guest reaches them the way it reaches any
 * remote host: an IPv4 datagram with the destination's address in a frame
 * for the gateway's MAC.
 *
 * example.com keeps the address it had in the real world when the book was
 * written; the book's own hosts are in TEST-NET-3 (203.0.113.0/24, RFC
 * 5737), which no real host uses, under the reserved test domain
 * `cotton.test` (RFC 2606 §2). Adding a name is adding a line to BOOK_ZONE;
 * a name without services answers pings and refuses connections until a
 * service is bound to it. The TLS chapter's hosts (203.0.113.20-30) serve
 * HTTPS on port 443, as does example.com (tls-server/book-https-hosts.ts).
 */

export const EXAMPLE_COM_ADDRESS = '93.184.215.14';
export const ECHO_HOST_ADDRESS = '203.0.113.7';
export const FILES_HOST_ADDRESS = '203.0.113.8';

export interface ZoneEntry {
  readonly name: string;
  readonly type: 'A' | 'CNAME';
  /** An IPv4 address for A, a name for CNAME. */
  readonly value: string;
  /** Seconds a resolver may cache the record. */
  readonly ttl: number;
}

export const BOOK_ZONE: readonly ZoneEntry[] = [
  { name: 'example.com', type: 'A', value: EXAMPLE_COM_ADDRESS, ttl: 3600 },
  { name: 'www.example.com', type: 'CNAME', value: 'example.com', ttl: 3600 },
  { name: 'echo.cotton.test', type: 'A', value: ECHO_HOST_ADDRESS, ttl: 300 },
  { name: 'files.cotton.test', type: 'A', value: FILES_HOST_ADDRESS, ttl: 300 },
  // The TLS chapter's certificate tests: one host per way a certificate can fail.
  { name: 'valid.cotton.test', type: 'A', value: '203.0.113.20', ttl: 300 },
  { name: 'expired.cotton.test', type: 'A', value: '203.0.113.21', ttl: 300 },
  { name: 'not-yet-valid.cotton.test', type: 'A', value: '203.0.113.22', ttl: 300 },
  { name: 'wrong-host.cotton.test', type: 'A', value: '203.0.113.23', ttl: 300 },
  { name: 'self-signed.cotton.test', type: 'A', value: '203.0.113.24', ttl: 300 },
  { name: 'untrusted-root.cotton.test', type: 'A', value: '203.0.113.25', ttl: 300 },
  { name: 'bad-signature.cotton.test', type: 'A', value: '203.0.113.26', ttl: 300 },
  { name: 'incomplete-chain.cotton.test', type: 'A', value: '203.0.113.27', ttl: 300 },
  // Valid certificates with other keys, and a server that asks for a HelloRetryRequest.
  { name: 'ed25519.cotton.test', type: 'A', value: '203.0.113.28', ttl: 300 },
  { name: 'p384.cotton.test', type: 'A', value: '203.0.113.29', ttl: 300 },
  { name: 'hello-retry.cotton.test', type: 'A', value: '203.0.113.30', ttl: 300 },
];

/** The domains the zone is authoritative for: answers under them carry the AA flag. */
export const BOOK_ZONE_APEXES: readonly string[] = ['example.com', 'cotton.test'];
