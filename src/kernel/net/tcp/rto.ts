/**
 * The retransmission timeout (RFC 6298, "Computing TCP's Retransmission
 * Timer"), with Karn's algorithm for the samples (RFC 6298 §3).
 *
 * TCP learns how long a round trip takes by timing segments: it notes when a
 * segment leaves and when the acknowledgment covering it returns. From the
 * samples R it keeps a smoothed round-trip time SRTT and a round-trip
 * variation RTTVAR (§2):
 *
 *   first sample:  SRTT = R,  RTTVAR = R / 2
 *   later samples: RTTVAR = (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R|
 *                  SRTT   = (1 - 1/8) * SRTT   + 1/8 * R
 *   then:          RTO    = SRTT + max(G, 4 * RTTVAR)
 *
 * G is the clock granularity: 1 ms of virtual time here. The result is
 * clamped to [200 ms, 60 s]. RFC 6298 §2.4 asks for at least 1 second; this
 * kernel follows Linux (TCP_RTO_MIN = 200 ms) instead, because on the book's
 * virtual network round trips take a few milliseconds and a one-second floor
 * would make every lost segment stall a transfer for a visible second. Before
 * any sample the RTO is 1 second (§2.1); §2.5 allows the 60-second ceiling.
 *
 * Karn's algorithm: a segment that was sent twice cannot be timed, since
 * nobody knows which copy the acknowledgment answers. So only one segment is
 * timed at a time, and its timing is thrown away if it is retransmitted.
 * When the timer fires the timeout doubles (§5.5, "back off the timer").
 *
 * The backoff ends when new data is acknowledged, as in BSD and Linux, not
 * only when a fresh sample arrives (§5.7). After a timeout the sender goes
 * back to the first unacknowledged byte and sends everything again, and a
 * receiver that drops out-of-order segments (the book's simulated hosts do)
 * makes that the normal case under loss: every segment in flight is then a
 * retransmission, Karn's rule leaves nothing to time, and a backoff that
 * waited for a sample would grow to a minute and stall the transfer. An
 * acknowledgment of new data shows the path delivers again, which is what
 * the backoff was waiting to learn.
 */
import { sequenceGreaterOrEqual } from './sequence';

export const RTO_INITIAL_MS = 1000;
export const RTO_MIN_MS = 200;
export const RTO_MAX_MS = 60_000;
/** The gains of RFC 6298 §2.3: alpha = 1/8, beta = 1/4, and K = 4. */
export const RTT_ALPHA = 1 / 8;
export const RTT_BETA = 1 / 4;
export const RTT_K = 4;
/** Clock granularity G: the virtual clock counts whole milliseconds. */
export const CLOCK_GRANULARITY_MS = 1;

interface TimedSegment {
  /** The acknowledgment number that covers the timed segment. */
  endSequence: number;
  sentAt: number;
}

export class RetransmissionTimeout {
  /** Smoothed round-trip time, ms; null before the first sample. */
  smoothedRtt: number | null = null;
  /** Round-trip time variation, ms; null before the first sample. */
  rttVariation: number | null = null;
  /** The retransmission timeout from the round-trip samples, ms (§2), before any backoff. */
  rto = RTO_INITIAL_MS;
  /** How often the timer fired since new data was last acknowledged. */
  private backoffs = 0;
  private timed: TimedSegment | null = null;

  /** The timeout to arm now: the RTO doubled for each backoff (§5.5), at most RTO_MAX_MS. */
  get timeout(): number {
    return clampRto(this.rto * 2 ** this.backoffs);
  }

  /** A segment covering sequence space up to `endSequence` was sent at `now`. */
  segmentSent(endSequence: number, now: number, isRetransmission: boolean): void {
    if (isRetransmission)
      this.timed = null; // Karn: this round trip can no longer be measured
    else if (this.timed === null) this.timed = { endSequence, sentAt: now };
  }

  /** An acknowledgment of new data arrived at `now`: the backoff ends, and a sample if it covers the timed segment. */
  acknowledged(acknowledgment: number, now: number): void {
    this.backoffs = 0;
    if (this.timed === null || !sequenceGreaterOrEqual(acknowledgment, this.timed.endSequence))
      return;
    this.addSample(now - this.timed.sentAt);
    this.timed = null;
  }

  // #region exercise:rto
  /** Feed one round-trip measurement R (RFC 6298 §2.2 and §2.3). */
  addSample(rtt: number): void {
    if (this.smoothedRtt === null || this.rttVariation === null) {
      this.smoothedRtt = rtt;
      this.rttVariation = rtt / 2;
    } else {
      this.rttVariation =
        (1 - RTT_BETA) * this.rttVariation + RTT_BETA * Math.abs(this.smoothedRtt - rtt);
      this.smoothedRtt = (1 - RTT_ALPHA) * this.smoothedRtt + RTT_ALPHA * rtt;
    }
    const rto = this.smoothedRtt + Math.max(CLOCK_GRANULARITY_MS, RTT_K * this.rttVariation);
    this.rto = clampRto(rto);
  }
  // #endregion exercise:rto

  /** The timer fired (RFC 6298 §5.5): double the timeout, and stop timing (Karn). */
  backOff(): void {
    this.backoffs++;
    this.timed = null;
  }
}

function clampRto(rto: number): number {
  return Math.min(RTO_MAX_MS, Math.max(RTO_MIN_MS, rto));
}
