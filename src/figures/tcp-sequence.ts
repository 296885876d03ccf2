/**
 * The last TCP connection as a sequence diagram (Networking chapter): the
 * machine on the left, the peer on the right, one arrow per segment with
 * its flags, sequence and acknowledgment numbers (relative to each side's
 * ISN), window and length; retransmissions dashed and marked "again".
 *
 * Data: `tcp-sequence` (src/kernel/net/tcp/segment-trace.ts,
 * SegmentTrace.lastConnection), which `tcptrace` prints.
 */
import { emptyFigure } from './empty-figure';
import type { ConnectionSegment, ConnectionTrace } from '../kernel/net/tcp/segment-trace';
import { type Lanes, laneHeads, messageArrow } from './message-arrows';
import { type Figure, type FigureContext, formatUptime, svgDocument } from './svg';

const WIDTH = 640;
const TOP = 48;
const ROW = 28;
const LANES = { left: 150, right: 560 };

function label(s: ConnectionSegment): string {
  const ack = s.acknowledgment === null ? '' : ` ack=${s.acknowledgment}`;
  const length = s.length > 0 ? ` len=${s.length}` : '';
  return `[${s.flags.join(',')}] seq=${s.sequence}${ack} win=${s.window}${length}${s.again ? ' (again)' : ''}`;
}

function detail(s: ConnectionSegment, first: number): string {
  const who = s.sent ? 'sent by the machine' : 'received from the peer';
  const ack = s.acknowledgment === null ? 'no ACK' : `acknowledges ${s.acknowledgment}`;
  const again = s.again ? ', a retransmission' : '';
  return `${s.flags.join('+')} ${who} at +${s.at - first} ms: seq ${s.sequence}, ${ack}, window ${s.window}, ${s.length} bytes of data${again}`;
}

function altText(trace: ConnectionTrace): string {
  const again = trace.segments.filter((s) => s.again).length;
  const list = trace.segments
    .map(
      (s) => `${s.sent ? 'out' : 'in'} ${s.flags.join('+')}${s.length ? ` ${s.length} bytes` : ''}`,
    )
    .join('; ');
  return `Sequence diagram of the last TCP connection, ${trace.local} to ${trace.peer}: ${trace.segments.length} segments, ${again} retransmitted, in order: ${list}.`;
}

export function tcpSequenceFigure(trace: ConnectionTrace | null, context: FigureContext): Figure {
  const when = formatUptime(context.uptimeMicros);
  const caption = `From the kernel's TCP segment trace (what tcptrace prints): the last connection, numbers counted from each side's first, at ${when}`;
  if (!trace) {
    const words =
      'No TCP connection yet: run a command that opens one (httpget, fetch, tcpconnect).';
    return emptyFigure(context, words, caption);
  }
  const lanes: Lanes = {
    ...LANES,
    leftName: `the machine ${trace.local}`,
    rightName: `peer ${trace.peer}`,
  };
  const first = trace.segments[0]?.at ?? 0;
  const bottom = TOP + trace.segments.length * ROW;
  const arrows = trace.segments
    .map((s, i) =>
      messageArrow(lanes, TOP + 14 + i * ROW, {
        toRight: s.sent,
        label: label(s),
        detail: detail(s, first),
        dashed: s.again,
        margin: `${s.at - first} ms`,
      }),
    )
    .join('');
  return {
    svg: svgDocument(
      context,
      { width: WIDTH, height: bottom + 12 },
      `TCP segments between ${trace.local} and ${trace.peer}`,
      laneHeads(lanes, 20, bottom + 6) + arrows,
    ),
    alt: altText(trace),
    caption,
  };
}
