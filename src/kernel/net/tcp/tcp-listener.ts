/**
 * A listening socket: the LISTEN state of RFC 9293 (§3.10.7.2, "If the
 * state is LISTEN"), shaped as BSD and Linux shape it.
 *
 * A listener is not itself a connection. Each SYN it accepts creates a new
 * connection in SYN-RECEIVED, kept in the SYN queue until the handshake's
 * last ACK arrives; then it moves to the accept queue, where accept() picks
 * it up. Both queues are bounded by the backlog that listen() was given
 * (capped at 128, the classic SOMAXCONN). That bound is what makes a SYN
 * flood harmless to the kernel: a stream of SYNs from forged addresses,
 * whose SYN,ACKs nobody answers, can fill the SYN queue but never grow it.
 * Further SYNs are dropped (and counted) until the half-open connections
 * give up (MAX_SYN_RETRANSMISSIONS). While the flood lasts, real clients are
 * refused too; SYN cookies (RFC 4987 §3.6) would serve them, at the price of
 * encoding the connection's state in the ISN - a refinement left out.
 */
import { formatIpv4Address, IPV4_UNSPECIFIED, type Ipv4Address } from '../wire/addresses';
import type { TcpConnection } from './tcp-connection';
import { formatTcpSocketInfo, type TcpListenerInfo } from './tcp-socket-info';

export const TCP_MAX_BACKLOG = 128;

export class TcpListener {
  readonly state = 'LISTEN';
  readonly backlog: number;
  /** SYNs dropped because a queue was full. */
  droppedSyns = 0;
  private readonly synQueue = new Set<TcpConnection>();
  private readonly acceptQueue: TcpConnection[] = [];

  /** @param address the local address to accept on; 0.0.0.0 for every address. */
  constructor(
    readonly address: Ipv4Address,
    readonly port: number,
    backlog: number,
  ) {
    this.backlog = Math.min(Math.max(1, Math.floor(backlog)), TCP_MAX_BACKLOG);
  }

  /** Does this listener take connections addressed to `destination`? */
  acceptsFor(destination: Ipv4Address): boolean {
    return this.address === IPV4_UNSPECIFIED || this.address === destination;
  }

  /** Is there room for one more half-open connection, and for it once it is established? */
  get hasRoomForSyn(): boolean {
    return this.synQueue.size < this.backlog && this.acceptQueue.length < this.backlog;
  }

  get halfOpenCount(): number {
    return this.synQueue.size;
  }

  get readyCount(): number {
    return this.acceptQueue.length;
  }

  /** A connection created for a SYN enters the SYN queue. */
  addHalfOpen(connection: TcpConnection): void {
    this.synQueue.add(connection);
  }

  /**
   * After `connection` handled an event: once its handshake is over it moves
   * to the accept queue, or leaves if it died first. Returns true while the
   * listener still tracks it in its SYN queue.
   */
  settle(connection: TcpConnection): boolean {
    if (!this.synQueue.has(connection)) return false;
    if (connection.connecting) return true;
    this.synQueue.delete(connection);
    if (!connection.closed) this.acceptQueue.push(connection);
    return false;
  }

  /** The oldest established connection not yet accepted, or null. */
  accept(): TcpConnection | null {
    return this.acceptQueue.shift() ?? null;
  }

  /** The listener as a row of the socket table: Recv-Q is the accept queue, Send-Q the backlog. */
  info(): TcpListenerInfo {
    return {
      kind: 'listener',
      state: this.state,
      recvQ: this.acceptQueue.length,
      sendQ: this.backlog,
      local: `${formatIpv4Address(this.address)}:${this.port}`,
      peer: '*:*',
      synQueue: this.synQueue.size,
      droppedSyns: this.droppedSyns,
    };
  }

  /** An `ss`-like line. */
  describe(): string {
    return formatTcpSocketInfo(this.info());
  }

  /** Every connection it holds, half-open or waiting for accept() - to abort when it closes. */
  takeAll(): TcpConnection[] {
    const all = [...this.synQueue, ...this.acceptQueue];
    this.synQueue.clear();
    this.acceptQueue.length = 0;
    return all;
  }
}
