/**
 * The starter for exercise networking/rto: the text that takes the place of
 * the `exercise:rto` region in src/kernel/net/tcp/rto.ts.
 */
export const starter = `  /** Feed one round-trip measurement R (RFC 6298 §2.2 and §2.3). */
  addSample(rtt: number): void {
    // TODO (exercise networking/rto): RFC 6298, §2.2 and §2.3.
    //
    // The first sample (this.smoothedRtt is still null):
    //   SRTT = R, RTTVAR = R / 2
    // Every later one (RTTVAR first: it uses the old SRTT):
    //   RTTVAR = (1 - RTT_BETA) * RTTVAR + RTT_BETA * |SRTT - R|
    //   SRTT   = (1 - RTT_ALPHA) * SRTT + RTT_ALPHA * R
    // Then RTO = SRTT + max(CLOCK_GRANULARITY_MS, RTT_K * RTTVAR), kept within
    // [RTO_MIN_MS, RTO_MAX_MS] by clampRto().
    //
    // Store them in this.smoothedRtt, this.rttVariation and this.rto.
    void rtt;
  }`;
