/**
 * The table of TCP sockets: what the IP layer hands each arriving segment
 * to, and what finds the segments to send (RFC 9293 §3.10.7, "SEGMENT
 * ARRIVES", the demultiplexing before the per-connection processing).
 *
 * A connection is named by its 4-tuple - local address and port, remote
 * address and port - and an arriving segment goes to the connection with
 * exactly that 4-tuple. If there is none, a listener on the destination
 * port may take a SYN (tcp-listener.ts). Anything else is for a closed port
 * and is answered with a reset (§3.10.7.1, reset.ts), which is how a client
 * connecting to a port nobody listens on learns ECONNREFUSED at once.
 *
 * Outgoing connections get an ephemeral local port from 49152-65535 (the
 * IANA dynamic range, RFC 6335 §6). The search starts at a random point
 * drawn once from the ISN source and then goes up one by one, skipping
 * ports in use - RFC 6056 §3.3.2's simple scheme; a port is in use while any
 * connection or listener holds it, TIME-WAIT included.
 *
 * Sans-I/O like the connections: input() returns the segments to send in
 * answer, poll(now) those that timers or application calls produced, each
 * with the addresses the IP layer needs. A connection leaves the table when
 * it reaches CLOSED; the application may still hold it to read its error.
 */
import type { Ipv4Address } from '../wire/addresses';
import { TCP_FLAG_ACK, TCP_FLAG_RST, TCP_FLAG_SYN, type TcpSegment } from '../wire/tcp';
import { resetFor } from './reset';
import { SegmentTrace } from './segment-trace';
import { TcpSocketError } from './tcp-error';
import { TcpListener } from './tcp-listener';
import { TcpConnection, type TcpConnectionOptions, type TcpEndpoint } from './tcp-connection';

export const EPHEMERAL_PORT_FIRST = 49152;
export const EPHEMERAL_PORT_LAST = 65535;
const EPHEMERAL_PORT_COUNT = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;

/** A segment for the IP layer to send, with the addresses of its pseudo-header and IP header. */
export interface OutgoingTcpSegment {
  source: Ipv4Address;
  destination: Ipv4Address;
  segment: TcpSegment;
}

/** What every connection of the table gets: the ISN source and the buffer and MSS settings. */
export type TcpTableOptions = Omit<TcpConnectionOptions, 'local' | 'remote'>;

function connectionKey(local: TcpEndpoint, remote: TcpEndpoint): string {
  return `${local.address}:${local.port}>${remote.address}:${remote.port}`;
}

function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port <= 0xffff;
}

export class TcpTable {
  private readonly connections = new Map<string, TcpConnection>();
  private readonly listeners = new Map<number, TcpListener>();
  /** Connections still in the SYN queue of the listener that created them. */
  private readonly halfOpenOf = new Map<TcpConnection, TcpListener>();
  private nextEphemeralPort: number;
  /** The last segments in and out, for `tcptrace` and the networking chapter's figure. */
  readonly trace = new SegmentTrace();

  constructor(private readonly options: TcpTableOptions) {
    this.nextEphemeralPort = EPHEMERAL_PORT_FIRST + (options.nextIsn() % EPHEMERAL_PORT_COUNT);
  }

  /** Active open from `local` to `remote` on a new ephemeral port; the next poll() sends SYN. */
  connect(local: Ipv4Address, remote: TcpEndpoint): TcpConnection {
    if (!isValidPort(remote.port)) throw new TcpSocketError('EINVAL', `port ${remote.port}`);
    const endpoint = { address: local, port: this.ephemeralPort() };
    const connection = TcpConnection.connect({ ...this.options, local: endpoint, remote });
    this.connections.set(connectionKey(endpoint, remote), connection);
    return connection;
  }

  /** Listen on `port` at `address` (0.0.0.0 for all), at most `backlog` connections pending. */
  listen(address: Ipv4Address, port: number, backlog: number): TcpListener {
    if (!isValidPort(port)) throw new TcpSocketError('EINVAL', `port ${port}`);
    if (this.portsInUse().has(port)) throw new TcpSocketError('EADDRINUSE', `port ${port}`);
    const listener = new TcpListener(address, port, backlog);
    this.listeners.set(port, listener);
    return listener;
  }

  /** The next established connection of `listener`, or null if none is waiting. */
  accept(listener: TcpListener): TcpConnection | null {
    return listener.accept();
  }

  /** Stop listening: connections not yet accepted are reset (sent at the next poll()). */
  unlisten(listener: TcpListener): void {
    if (this.listeners.get(listener.port) !== listener) return;
    this.listeners.delete(listener.port);
    for (const connection of listener.takeAll()) {
      this.halfOpenOf.delete(connection);
      connection.abort();
    }
  }

  /** The IP layer received `segment` from `source` for `destination`; returns the answers. */
  input(
    source: Ipv4Address,
    destination: Ipv4Address,
    segment: TcpSegment,
    now: number,
  ): OutgoingTcpSegment[] {
    this.trace.record(false, source, destination, segment, now);
    const local = { address: destination, port: segment.destinationPort };
    const remote = { address: source, port: segment.sourcePort };
    const connection = this.connections.get(connectionKey(local, remote));
    if (connection) {
      connection.receive(segment, now);
      return this.pollConnection(connection, now);
    }
    const listener = this.listeners.get(local.port);
    if (listener?.acceptsFor(destination)) {
      return this.inputToListener(listener, local, remote, segment, now);
    }
    return this.answerWithReset(local, remote, segment, now);
  }

  /** Timers and application calls: everything every connection has to send at `now`. */
  poll(now: number): OutgoingTcpSegment[] {
    return [...this.connections.values()].flatMap((connection) =>
      this.pollConnection(connection, now),
    );
  }

  /** The earliest timer of any connection, or null. */
  nextDeadline(): number | null {
    let earliest: number | null = null;
    for (const connection of this.connections.values()) {
      const deadline = connection.nextDeadline();
      if (deadline !== null && (earliest === null || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Every connection and listener, for `ss` and `netstats`. */
  list(): { connections: TcpConnection[]; listeners: TcpListener[] } {
    return { connections: [...this.connections.values()], listeners: [...this.listeners.values()] };
  }

  /** §3.10.7.2: a listener answers an ACK with a reset, creates a connection for a SYN. */
  private inputToListener(
    listener: TcpListener,
    local: TcpEndpoint,
    remote: TcpEndpoint,
    segment: TcpSegment,
    now: number,
  ): OutgoingTcpSegment[] {
    if (segment.flags & TCP_FLAG_RST) return [];
    if (segment.flags & TCP_FLAG_ACK) return this.answerWithReset(local, remote, segment, now);
    if (!(segment.flags & TCP_FLAG_SYN)) return [];
    if (!listener.hasRoomForSyn) {
      listener.droppedSyns++;
      return [];
    }
    const connection = TcpConnection.acceptSyn({ ...this.options, local, remote }, segment);
    this.connections.set(connectionKey(local, remote), connection);
    listener.addHalfOpen(connection);
    this.halfOpenOf.set(connection, listener);
    return this.pollConnection(connection, now);
  }

  private answerWithReset(
    local: TcpEndpoint,
    remote: TcpEndpoint,
    segment: TcpSegment,
    now: number,
  ): OutgoingTcpSegment[] {
    const reset = resetFor(segment);
    if (!reset) return [];
    this.trace.record(true, local.address, remote.address, reset, now);
    return [{ source: local.address, destination: remote.address, segment: reset }];
  }

  /** Poll one connection; move it along its listener's queues, and out of the table if CLOSED. */
  private pollConnection(connection: TcpConnection, now: number): OutgoingTcpSegment[] {
    const { local, remote } = connection;
    const out = connection.poll(now).map((segment) => {
      this.trace.record(true, local.address, remote.address, segment, now);
      return { source: local.address, destination: remote.address, segment };
    });
    const listener = this.halfOpenOf.get(connection);
    if (listener && !listener.settle(connection)) this.halfOpenOf.delete(connection);
    if (connection.closed)
      this.connections.delete(connectionKey(connection.local, connection.remote));
    return out;
  }

  private portsInUse(): Set<number> {
    const ports = new Set(this.listeners.keys());
    for (const connection of this.connections.values()) ports.add(connection.local.port);
    return ports;
  }

  private ephemeralPort(): number {
    const inUse = this.portsInUse();
    for (let tries = 0; tries < EPHEMERAL_PORT_COUNT; tries++) {
      const port = this.nextEphemeralPort;
      this.nextEphemeralPort = port === EPHEMERAL_PORT_LAST ? EPHEMERAL_PORT_FIRST : port + 1;
      if (!inUse.has(port)) return port;
    }
    throw new TcpSocketError('EADDRNOTAVAIL', 'every ephemeral port is in use');
  }
}
