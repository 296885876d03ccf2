/**
 * Congestion control (RFC 5681, "TCP Congestion Control"), with the partial
 * acknowledgments of NewReno (RFC 6582) during fast recovery.
 *
 * The peer's window says how much its buffer can take; the congestion window
 * (cwnd) is the sender's guess of how much the network between them can
 * take. A sender keeps at most min(cwnd, peer's window) bytes in flight.
 *
 * - Slow start (§3.1): cwnd begins at a few segments and grows by one
 *   segment per acknowledged segment - doubling every round trip - until it
 *   reaches the slow-start threshold ssthresh.
 * - Congestion avoidance (§3.1): above ssthresh it grows by about one
 *   segment per round trip (SMSS * SMSS / cwnd per acknowledgment).
 * - A retransmission timeout (§3.1, equation 4) means the network lost a lot:
 *   ssthresh becomes half the data in flight, cwnd one segment, and slow
 *   start begins again.
 * - Fast retransmit and fast recovery (§3.2): three duplicate
 *   acknowledgments mean one segment was lost but the later ones arrived. The
 *   sender resends the missing segment at once instead of waiting for the
 *   timer, sets ssthresh to half the flight and cwnd to ssthresh plus the
 *   three segments that left the network, and inflates cwnd by one segment
 *   for each further duplicate. An acknowledgment of everything that was in
 *   flight at the loss ends recovery with cwnd = ssthresh; one that covers
 *   only part of it (NewReno, RFC 6582 §3.2 step 3) shows the next loss: the
 *   connection resends that segment too and stays in recovery.
 *
 * This file only keeps the numbers; tcp-connection.ts decides what to send.
 */
import { sequenceGreaterOrEqual } from './sequence';

/** "Arbitrarily high" initial ssthresh (§3.1): the largest unscaled window. */
const INITIAL_SSTHRESH = 0xffff;
export const DUPLICATE_ACK_THRESHOLD = 3;

/** The initial window IW of RFC 5681 §3.1, equation 1. */
export function initialWindow(mss: number): number {
  if (mss > 2190) return 2 * mss;
  if (mss > 1095) return 3 * mss;
  return 4 * mss;
}

export class CongestionControl {
  cwnd: number;
  ssthresh = INITIAL_SSTHRESH;
  /** The highest sequence sent when fast recovery began (RFC 6582 "recover"), else null. */
  recoveryPoint: number | null = null;

  constructor(readonly mss: number) {
    this.cwnd = initialWindow(mss);
  }

  get inFastRecovery(): boolean {
    return this.recoveryPoint !== null;
  }

  /** New data was acknowledged outside fast recovery: slow start or congestion avoidance. */
  newDataAcknowledged(bytes: number): void {
    if (this.cwnd < this.ssthresh) this.cwnd += Math.min(bytes, this.mss);
    else this.cwnd += Math.max(1, Math.floor((this.mss * this.mss) / this.cwnd));
  }

  /** The third duplicate acknowledgment (§3.2 steps 2 and 3). */
  enterFastRecovery(flightSize: number, highestSent: number): void {
    this.ssthresh = this.halfFlight(flightSize);
    this.cwnd = this.ssthresh + DUPLICATE_ACK_THRESHOLD * this.mss;
    this.recoveryPoint = highestSent;
  }

  /** One more duplicate during recovery: one more segment has left the network (§3.2 step 4). */
  duplicateDuringRecovery(): void {
    this.cwnd += this.mss;
  }

  /**
   * An acknowledgment of new data during recovery. Returns true if it was
   * partial - the segment it now asks for was lost too and must be resent.
   */
  acknowledgedDuringRecovery(acknowledgment: number, bytes: number): boolean {
    if (this.recoveryPoint === null) throw new Error('not in fast recovery');
    if (sequenceGreaterOrEqual(acknowledgment, this.recoveryPoint)) {
      this.cwnd = this.ssthresh; // full acknowledgment: deflate the window (§3.2 step 6)
      this.recoveryPoint = null;
      return false;
    }
    // Partial acknowledgment (RFC 6582 §3.2 step 3): deflate by what left, add back one segment.
    this.cwnd = Math.max(this.mss, this.cwnd - bytes + this.mss);
    return true;
  }

  /** The retransmission timer fired (§3.1 equations 4 and 5). */
  timedOut(flightSize: number): void {
    this.ssthresh = this.halfFlight(flightSize);
    this.cwnd = this.mss;
    this.recoveryPoint = null;
  }

  private halfFlight(flightSize: number): number {
    return Math.max(Math.floor(flightSize / 2), 2 * this.mss);
  }
}
