/**
 * The machine's sockets as `ss` lists them: TCP listeners and connections
 * with their states (RFC 9293 §3.3.2) and queues, and the UDP ports bound.
 *
 * One reading of the stack as plain data, which the `ss` command prints and
 * the networking chapter's connection figure draws: the two cannot
 * disagree. Connections leave the table when they reach CLOSED, so a
 * finished one is still here for its two minutes of TIME-WAIT and then
 * gone.
 */
import type { NetStack } from './net-stack';
import { formatTcpSocketInfo, TCP_SOCKET_HEADER, type TcpSocketInfo } from './tcp/tcp-socket-info';

export interface SocketTable {
  /** Listeners first, then connections in the order they were opened. */
  readonly tcp: readonly TcpSocketInfo[];
  readonly udpPorts: readonly number[];
}

export function socketTable(stack: NetStack): SocketTable {
  const { connections, listeners } = stack.tcp.list();
  return {
    tcp: [...listeners.map((l) => l.info()), ...connections.map((c) => c.info())],
    udpPorts: stack.udp.ports(),
  };
}

/** The lines `ss` prints for `table`. */
export function formatSocketTable(table: SocketTable): string[] {
  const lines = [TCP_SOCKET_HEADER, ...table.tcp.map(formatTcpSocketInfo)];
  if (table.udpPorts.length > 0) lines.push(`udp ports: ${table.udpPorts.join(' ')}`);
  return lines;
}
