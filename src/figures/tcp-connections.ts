/**
 * The machine's sockets (Networking chapter): every TCP listener and
 * connection as a row - its RFC 9293 state as a badge, its endpoints, its
 * queues, retransmission timeout and congestion window - and the UDP ports
 * bound. States are grouped (opening, open, closing, TIME-WAIT, listening);
 * each group has a tone and a pattern, and the badge names the state.
 *
 * Data: `tcp-connections` (src/kernel/net/socket-table.ts), which `ss`
 * prints.
 */
import { emptyFigure } from './empty-figure';
import type { SocketTable } from '../kernel/net/socket-table';
import type { TcpSocketInfo } from '../kernel/net/tcp/tcp-socket-info';
import {
  type Figure,
  type FigureContext,
  formatUptime,
  legend,
  type Pattern,
  part,
  svgDocument,
  text,
  type Tone,
  toneRect,
} from './svg';

const WIDTH = 680;
const LEFT = 10;
const ROW = 26;
const TOP = 44;
const BADGE_WIDTH = 124;
const SWATCH = 18;

interface StateGroup {
  readonly label: string;
  readonly tone: Tone;
  readonly pattern: Pattern;
}

const LISTENING: StateGroup = { label: 'listening', tone: 'kernel', pattern: 'solid' };
const OPENING: StateGroup = { label: 'handshake', tone: 'accent', pattern: 'dots' };
const OPEN: StateGroup = { label: 'open', tone: 'usable', pattern: 'solid' };
const CLOSING: StateGroup = { label: 'closing', tone: 'reserved', pattern: 'hatch' };
const TIME_WAIT: StateGroup = { label: 'TIME-WAIT (2 MSL)', tone: 'muted', pattern: 'cross' };
const GROUPS = [LISTENING, OPENING, OPEN, CLOSING, TIME_WAIT];

function groupOf(state: string): StateGroup {
  if (state === 'LISTEN') return LISTENING;
  if (state === 'SYN-SENT' || state === 'SYN-RECEIVED') return OPENING;
  if (state === 'ESTABLISHED') return OPEN;
  if (state === 'TIME-WAIT') return TIME_WAIT;
  return CLOSING;
}

function queues(info: TcpSocketInfo): string {
  return info.kind === 'listener'
    ? `accept queue ${info.recvQ} of ${info.sendQ}, SYN queue ${info.synQueue}`
    : `to read ${info.recvQ} B, unacknowledged ${info.sendQ} B`;
}

function timers(info: TcpSocketInfo): string {
  if (info.kind === 'listener') return `dropped SYNs ${info.droppedSyns}`;
  const error = info.error ? `, ${info.error}` : '';
  return `rto ${info.rto} ms, cwnd ${info.cwnd} B, retrans ${info.counters.retransmits}${error}`;
}

function row(info: TcpSocketInfo, y: number, context: FigureContext): string {
  const group = groupOf(info.state);
  const detail = `${info.state}: ${info.local} to ${info.peer}; ${queues(info)}; ${timers(info)}`;
  return part(
    detail,
    toneRect(
      context,
      { x: LEFT, y: y - 13, width: SWATCH, height: 16 },
      group.tone,
      group.pattern,
    ) +
      text(LEFT + SWATCH + 6, y, info.state) +
      text(LEFT + BADGE_WIDTH + 10, y, `${info.local} → ${info.peer}`) +
      text(LEFT + BADGE_WIDTH + 300, y, queues(info), { className: 'cf-text cf-small' }) +
      text(LEFT + BADGE_WIDTH + 300, y + 11, timers(info), { className: 'cf-text cf-small' }),
  );
}

function altText(table: SocketTable): string {
  if (table.tcp.length === 0) return 'The machine has no TCP sockets.';
  const rows = table.tcp.map((s) => `${s.state} ${s.local} to ${s.peer}`).join('; ');
  const udp = table.udpPorts.length ? ` UDP ports bound: ${table.udpPorts.join(', ')}.` : '';
  return `The machine's TCP sockets, ${table.tcp.length}: ${rows}.${udp}`;
}

export function tcpConnectionsFigure(table: SocketTable | null, context: FigureContext): Figure {
  const when = formatUptime(context.uptimeMicros);
  const caption = `From the kernel's socket table (what ss prints), at ${when}`;
  if (!table)
    return emptyFigure(context, 'This machine has no network card, so no sockets.', caption);
  const rows = table.tcp.length
    ? table.tcp.map((info, i) => row(info, TOP + i * ROW, context)).join('')
    : text(LEFT, TOP, 'No TCP sockets: every connection has closed (or none was opened).');
  const bottom = TOP + Math.max(table.tcp.length, 1) * ROW;
  const udp = `UDP ports bound: ${table.udpPorts.length ? table.udpPorts.join(' ') : 'none'}`;
  const body =
    text(LEFT, 16, `TCP sockets: ${table.tcp.length}`, { className: 'cf-text cf-heading' }) +
    rows +
    text(LEFT, bottom + 4, udp) +
    legend(
      context,
      LEFT,
      bottom + 28,
      GROUPS.map(({ label, tone, pattern }) => ({ label, tone, pattern })),
    );
  return {
    svg: svgDocument(context, { width: WIDTH, height: bottom + 40 }, 'The socket table', body),
    alt: altText(table),
    caption,
  };
}
