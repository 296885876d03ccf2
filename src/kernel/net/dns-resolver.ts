/**
 * The DNS stub resolver: a name to an IPv4 address (RFC 1034 §5.3.1, "Stub
 * resolvers"; RFC 1035 §7, "Resolver implementation").
 *
 * A stub resolver does not walk the DNS tree itself. It sends one query
 * with "recursion desired" to the DNS server DHCP named (10.0.2.3 here),
 * which does the work and answers. The answer may be a chain: www.example.com
 * is a CNAME for example.com, which has an A record. The resolver follows
 * the chain through the answer section (at most DNS_MAX_CNAME_HOPS links,
 * against loops) and, if the server sent only the CNAME, asks again for the
 * name it points to.
 *
 * Answers are cached for their TTL (RFC 1035 §7.4), so a second `httpget`
 * costs no query. A query that gets no answer within DNS_TIMEOUT_MS is sent
 * again, DNS_ATTEMPTS times in all, each time with a fresh random ID: the
 * ID, the source port and the question must all match for an answer to
 * count (RFC 5452 §9.1), which is what makes forged answers hard to
 * slip in.
 */
import type { NetStack } from './net-stack';
import { createSocket, type UdpSocket } from './sockets';
import { formatIpv4Address, parseIpv4Address, type Ipv4Address } from './wire/addresses';
import {
  buildDnsQuery,
  DNS_CLASS_IN,
  DNS_PORT,
  DNS_RCODE_NAME_ERROR,
  DNS_RCODE_NO_ERROR,
  DNS_TYPE_A,
  DNS_TYPE_CNAME,
  parseDnsMessage,
  type DnsMessage,
} from './wire/dns';
import { MalformedPacket } from './wire/malformed';

export const DNS_TIMEOUT_MS = 1000;
export const DNS_ATTEMPTS = 3;
export const DNS_MAX_CNAME_HOPS = 8;
/** Names the cache keeps at most. */
const DNS_CACHE_SIZE = 128;

/** The name does not exist, the server failed, or nobody answered. */
export class DnsError extends Error {
  override name = 'DnsError';
}

interface CacheEntry {
  address: Ipv4Address;
  expiresAt: number;
}

/** What a lookup found: the address, and the CNAME chain that led to it. */
export interface DnsAnswer {
  readonly address: Ipv4Address;
  readonly chain: readonly string[];
  readonly ttlSeconds: number;
  readonly fromCache: boolean;
}

export class DnsResolver {
  private readonly cache = new Map<string, CacheEntry>();
  queriesSent = 0;

  constructor(private readonly net: NetStack) {}

  /** The address of `name` (a dotted quad is its own answer). Throws DnsError. */
  *resolve(name: string): Generator<void, Ipv4Address, void> {
    return (yield* this.lookup(name)).address;
  }

  *lookup(name: string): Generator<void, DnsAnswer, void> {
    const literal = parseIpv4Address(name);
    if (literal !== null) return { address: literal, chain: [], ttlSeconds: 0, fromCache: true };
    const key = normalize(name);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.net.now()) {
      const ttlSeconds = Math.ceil((cached.expiresAt - this.net.now()) / 1000);
      return { address: cached.address, chain: [], ttlSeconds, fromCache: true };
    }
    const chain: string[] = [];
    let target = key;
    for (let hop = 0; hop <= DNS_MAX_CNAME_HOPS; hop++) {
      const response = yield* this.query(target);
      const followed = followChain(response, target);
      chain.push(...followed.chain);
      if (followed.address !== null) {
        this.remember(key, followed.address, followed.ttlSeconds);
        return {
          address: followed.address,
          chain,
          ttlSeconds: followed.ttlSeconds,
          fromCache: false,
        };
      }
      if (followed.chain.length === 0) throw new DnsError(`${name}: no address (no A record)`);
      target = followed.chain[followed.chain.length - 1]!;
    }
    throw new DnsError(`${name}: CNAME chain longer than ${DNS_MAX_CNAME_HOPS}`);
  }

  /** The cache, for the `dns` command: name, address, seconds left. */
  entries(): { name: string; address: Ipv4Address; ttlSeconds: number }[] {
    const now = this.net.now();
    return [...this.cache]
      .filter(([, entry]) => entry.expiresAt > now)
      .map(([name, entry]) => ({
        name,
        address: entry.address,
        ttlSeconds: Math.ceil((entry.expiresAt - now) / 1000),
      }));
  }

  /** One question to the configured server, with retries; the matching response. */
  private *query(name: string): Generator<void, DnsMessage, void> {
    const server = this.net.interface.dnsServer;
    if (server === 0) throw new DnsError('no DNS server configured (run dhcp or setdns)');
    const socket = createSocket(this.net, 'datagram');
    try {
      for (let attempt = 0; attempt < DNS_ATTEMPTS; attempt++) {
        const id = this.net.options.random32() & 0xffff;
        this.queriesSent++;
        yield* socket.sendTo(buildDnsQuery(id, name, DNS_TYPE_A), server, DNS_PORT);
        const response = yield* this.awaitResponse(socket, server, id, name);
        if (response) return checkResponseCode(response, name);
      }
    } finally {
      socket.release();
    }
    throw new DnsError(`${name}: no answer from ${formatIpv4Address(server)}`);
  }

  private *awaitResponse(
    socket: UdpSocket,
    server: Ipv4Address,
    id: number,
    name: string,
  ): Generator<void, DnsMessage | null, void> {
    const deadline = this.net.now() + DNS_TIMEOUT_MS;
    for (;;) {
      const datagram = yield* socket.recvFromBefore(1500, deadline);
      if (!datagram) return null;
      if (datagram.address !== server || datagram.port !== DNS_PORT) continue;
      const message = parseResponse(datagram.data);
      const question = message?.questions[0];
      if (message && message.id === id && question && normalize(question.name) === name) {
        return message;
      }
    }
  }

  private remember(name: string, address: Ipv4Address, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    if (!this.cache.has(name) && this.cache.size >= DNS_CACHE_SIZE) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(name, { address, expiresAt: this.net.now() + ttlSeconds * 1000 });
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function checkResponseCode(response: DnsMessage, name: string): DnsMessage {
  if (response.responseCode === DNS_RCODE_NAME_ERROR) throw new DnsError(`${name}: no such name`);
  if (response.responseCode !== DNS_RCODE_NO_ERROR) {
    throw new DnsError(`${name}: the server answered with error ${response.responseCode}`);
  }
  return response;
}

/** Walk the answer section from `name`: the CNAMEs passed, and the A record found (or null). */
function followChain(
  response: DnsMessage,
  name: string,
): { address: Ipv4Address | null; chain: string[]; ttlSeconds: number } {
  const chain: string[] = [];
  let current = name;
  let ttlSeconds = Number.POSITIVE_INFINITY;
  for (let hop = 0; hop <= DNS_MAX_CNAME_HOPS; hop++) {
    const records = response.answers.filter(
      (record) => record.class === DNS_CLASS_IN && normalize(record.name) === current,
    );
    const a = records.find((record) => record.type === DNS_TYPE_A && record.data.kind === 'a');
    if (a && a.data.kind === 'a') {
      return { address: a.data.address, chain, ttlSeconds: Math.min(ttlSeconds, a.ttlSeconds) };
    }
    const cname = records.find((record) => record.type === DNS_TYPE_CNAME);
    if (!cname || cname.data.kind !== 'cname') break;
    ttlSeconds = Math.min(ttlSeconds, cname.ttlSeconds);
    current = normalize(cname.data.name);
    chain.push(current);
  }
  return { address: null, chain, ttlSeconds: 0 };
}

function parseResponse(bytes: Uint8Array): DnsMessage | null {
  try {
    const message = parseDnsMessage(bytes);
    return message.isResponse ? message : null;
  } catch (error) {
    if (error instanceof MalformedPacket) return null;
    throw error;
  }
}
