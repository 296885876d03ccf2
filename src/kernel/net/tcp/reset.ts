/**
 * Reset generation (RFC 9293 §3.5.2, "Reset Generation", and §3.10.7.1,
 * "If the state is CLOSED").
 *
 * A segment that belongs to no connection - to a port nobody listens on, or
 * an acknowledgment of something never sent - is answered with a reset, so
 * the sender learns at once instead of retrying for minutes. The reset must
 * be one the sender will accept (§3.10.7.4 checks a reset's sequence number),
 * so it is built from the offending segment:
 *
 * - if that segment carried an ACK, the reset takes its sequence number from
 *   that acknowledgment: <SEQ=SEG.ACK><CTL=RST>;
 * - otherwise the reset acknowledges everything the segment occupied:
 *   <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 *
 * A reset is never answered with a reset, or two hosts could trade them
 * forever.
 */
import { TCP_FLAG_ACK, TCP_FLAG_RST, type TcpSegment } from '../wire/tcp';
import { sequenceAdd, segmentLength } from './sequence';

/** The reset that answers `segment`, or null if `segment` is itself a reset. */
export function resetFor(segment: TcpSegment): TcpSegment | null {
  if (segment.flags & TCP_FLAG_RST) return null;
  const carriesAck = (segment.flags & TCP_FLAG_ACK) !== 0;
  return {
    sourcePort: segment.destinationPort,
    destinationPort: segment.sourcePort,
    sequence: carriesAck ? segment.acknowledgment : 0,
    acknowledgment: carriesAck ? 0 : sequenceAdd(segment.sequence, segmentLength(segment)),
    flags: carriesAck ? TCP_FLAG_RST : TCP_FLAG_RST | TCP_FLAG_ACK,
    window: 0,
    urgentPointer: 0,
    options: {},
    payload: new Uint8Array(0),
  };
}
