/**
 * The ARP cache: which MAC address owns which IPv4 address on the local
 * wire (RFC 826; RFC 1122 §2.3.2.1, "ARP Cache Validation", and §2.3.2.2,
 * "ARP Packet Queue").
 *
 * Before an IPv4 datagram can leave on Ethernet, the next hop's MAC address
 * must be known. The cache keeps what it learned for ARP_ENTRY_LIFETIME_MS,
 * then forgets it, so a host that changed cards is found again. A datagram
 * for an address not in the cache is not dropped: it waits in a short queue
 * (ARP_QUEUE_LIMIT per address, as RFC 1122 asks "at least one") while a
 * request is broadcast; the reply releases the queue. Without a reply the
 * request is repeated every ARP_RETRY_MS, at most ARP_MAX_REQUESTS times
 * (RFC 1122 §2.3.2.1 forbids flooding the wire with requests), and then the
 * queued datagrams are dropped and counted.
 *
 * Sans-I/O, like the TCP code: the cache never sends anything. It answers
 * what to do - send now, a request is needed, these datagrams may go - and
 * the stack (net-stack.ts) does it. Time is the kernel's virtual
 * milliseconds.
 */
import type { Ipv4Address, MacAddress } from './wire/addresses';

export const ARP_ENTRY_LIFETIME_MS = 60_000;
export const ARP_RETRY_MS = 1000;
export const ARP_MAX_REQUESTS = 3;
/** Datagrams held per unresolved address; a TCP window's worth of segments fits. */
export const ARP_QUEUE_LIMIT = 64;
/** Addresses the cache remembers at most; the oldest entry makes room (a flood cannot grow it). */
export const ARP_CACHE_SIZE = 256;

interface ArpEntry {
  mac: MacAddress;
  expiresAt: number;
}

interface PendingResolution {
  /** IPv4 datagrams waiting for the answer. */
  held: Uint8Array[];
  requestsSent: number;
  nextRequestAt: number;
}

export interface ArpCounters {
  /** Datagrams dropped: the queue was full, or the address never answered. */
  unresolvedDrops: number;
  /** Addresses given up on after ARP_MAX_REQUESTS requests. */
  failedResolutions: number;
}

/** What poll() decided: addresses to ask for again. */
export interface ArpPollResult {
  requests: Ipv4Address[];
}

export class ArpCache {
  private readonly entries = new Map<Ipv4Address, ArpEntry>();
  private readonly pending = new Map<Ipv4Address, PendingResolution>();
  readonly counters: ArpCounters = { unresolvedDrops: 0, failedResolutions: 0 };

  /** The MAC address of `address`, if known and not expired. */
  lookup(address: Ipv4Address, now: number): MacAddress | null {
    const entry = this.entries.get(address);
    if (!entry) return null;
    if (now >= entry.expiresAt) {
      this.entries.delete(address);
      return null;
    }
    return entry.mac;
  }

  /**
   * Hold `datagram` until `address` is resolved. Returns true when a request
   * should be broadcast now (the first datagram for that address).
   */
  hold(address: Ipv4Address, datagram: Uint8Array, now: number): boolean {
    const waiting = this.pending.get(address);
    if (waiting) {
      if (waiting.held.length < ARP_QUEUE_LIMIT) waiting.held.push(datagram);
      else this.counters.unresolvedDrops++;
      return false;
    }
    this.pending.set(address, {
      held: [datagram],
      requestsSent: 1,
      nextRequestAt: now + ARP_RETRY_MS,
    });
    return true;
  }

  /**
   * `address` is at `mac` (from a request or reply, RFC 826's "merge"):
   * remember it and return the datagrams that waited for it.
   */
  learn(address: Ipv4Address, mac: MacAddress, now: number): Uint8Array[] {
    if (!this.entries.has(address) && this.entries.size >= ARP_CACHE_SIZE) this.evictOldest();
    this.entries.delete(address); // re-insert: the Map keeps insertion order, oldest first
    this.entries.set(address, { mac, expiresAt: now + ARP_ENTRY_LIFETIME_MS });
    const waiting = this.pending.get(address);
    this.pending.delete(address);
    return waiting?.held ?? [];
  }

  /** Do we already wait for `address`, or know it? (Only then is a sender's address merged.) */
  knows(address: Ipv4Address): boolean {
    return this.entries.has(address) || this.pending.has(address);
  }

  /** Retries that are due, and resolutions that ran out of retries. */
  poll(now: number): ArpPollResult {
    const requests: Ipv4Address[] = [];
    for (const [address, waiting] of this.pending) {
      if (now < waiting.nextRequestAt) continue;
      if (waiting.requestsSent >= ARP_MAX_REQUESTS) {
        this.counters.unresolvedDrops += waiting.held.length;
        this.counters.failedResolutions++;
        this.pending.delete(address);
        continue;
      }
      waiting.requestsSent++;
      waiting.nextRequestAt = now + ARP_RETRY_MS;
      requests.push(address);
    }
    return { requests };
  }

  /** When poll() next has work, or null. */
  nextDeadline(): number | null {
    let earliest: number | null = null;
    for (const waiting of this.pending.values()) {
      if (earliest === null || waiting.nextRequestAt < earliest) earliest = waiting.nextRequestAt;
    }
    return earliest;
  }

  /** Every entry, for `arptable`: address, MAC and seconds left; unresolved ones as "(incomplete)". */
  list(now: number): { address: Ipv4Address; mac: MacAddress | null; expiresInMs: number }[] {
    const known = [...this.entries]
      .filter(([, entry]) => entry.expiresAt > now)
      .map(([address, entry]) => ({ address, mac: entry.mac, expiresInMs: entry.expiresAt - now }));
    const waiting = [...this.pending.keys()].map((address) => ({
      address,
      mac: null,
      expiresInMs: 0,
    }));
    return [...known, ...waiting].sort((a, b) => a.address - b.address);
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
