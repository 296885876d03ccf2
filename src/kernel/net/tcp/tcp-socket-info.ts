/**
 * One row of the TCP socket table, as plain data and as the line `ss`
 * prints: a connection (its RFC 9293 §3.3.2 state, queues, endpoints,
 * retransmission timer and congestion window, counters) or a listener.
 *
 * The columns follow Linux's `ss -t -a -i`: Recv-Q and Send-Q are the bytes
 * waiting to be read and the bytes not yet acknowledged, and for a listener
 * the accept queue and the backlog. The networking chapter's connection
 * figure draws the same rows, so it is taken here, once, from the live
 * objects (TcpConnection.info(), TcpListener.info()).
 */
import type { TcpCounters, TcpState } from './tcp-connection';
import type { TcpFailure } from './tcp-error';

export interface TcpConnectionInfo {
  readonly kind: 'connection';
  readonly state: TcpState;
  /** Bytes received and not yet read by the application. */
  readonly recvQ: number;
  /** Bytes written and not yet acknowledged. */
  readonly sendQ: number;
  /** "address:port" of this end and of the peer. */
  readonly local: string;
  readonly peer: string;
  /** The retransmission timeout in force, in whole milliseconds. */
  readonly rto: number;
  readonly cwnd: number;
  readonly ssthresh: number;
  readonly counters: TcpCounters;
  /** Why it died, if it did not end normally. */
  readonly error: TcpFailure | null;
}

export interface TcpListenerInfo {
  readonly kind: 'listener';
  readonly state: 'LISTEN';
  /** Established connections waiting for accept(). */
  readonly recvQ: number;
  /** The backlog: how many may wait. */
  readonly sendQ: number;
  readonly local: string;
  readonly peer: '*:*';
  /** Half-open connections (SYN received, handshake not finished). */
  readonly synQueue: number;
  /** SYNs dropped because the queues were full. */
  readonly droppedSyns: number;
}

export type TcpSocketInfo = TcpConnectionInfo | TcpListenerInfo;

/** The header line of `ss`, over the rows formatTcpSocketInfo() prints. */
export const TCP_SOCKET_HEADER = [
  'State'.padEnd(12),
  'Recv-Q'.padStart(6),
  'Send-Q'.padStart(6),
  'Local'.padEnd(21),
  'Peer'.padEnd(21),
].join(' ');

function connectionDetails(info: TcpConnectionInfo): string[] {
  const c = info.counters;
  return [
    `rto:${info.rto} cwnd:${info.cwnd} ssthresh:${info.ssthresh}`,
    `retrans:${c.retransmits} timeouts:${c.timeouts} fastretrans:${c.fastRetransmits}`,
    `dupacks:${c.duplicateAcks} ooo:${c.outOfOrderKept} probes:${c.zeroWindowProbes}`,
    info.error ?? '',
  ];
}

/** The `ss` line of one socket: state, queues, endpoints, then its details. */
export function formatTcpSocketInfo(info: TcpSocketInfo): string {
  const details =
    info.kind === 'listener'
      ? [`synq:${info.synQueue} dropped:${info.droppedSyns}`]
      : connectionDetails(info);
  return [
    info.state.padEnd(12),
    String(info.recvQ).padStart(6),
    String(info.sendQ).padStart(6),
    info.local.padEnd(21),
    info.peer.padEnd(21),
    ...details,
  ]
    .join(' ')
    .trimEnd();
}
