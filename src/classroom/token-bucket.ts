/**
 * A token bucket: the classic rate limiter (as in traffic policing). The bucket
 * holds up to `burst` tokens and refills at `perSecond`; each message takes
 * one token (or its byte count, for a byte budget). A client may therefore
 * send a burst at once, then keep to the rate; what exceeds it is dropped,
 * not queued, so a flooding client costs the relay nothing but the check.
 * The clock is passed in (milliseconds), so tests drive it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Take `cost` tokens if there are that many (after refilling up to `now`). */
  take(now: number, cost = 1): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
