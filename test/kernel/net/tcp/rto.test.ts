import { describe, expect, it } from 'vitest';
import {
  RetransmissionTimeout,
  RTO_INITIAL_MS,
  RTO_MAX_MS,
  RTO_MIN_MS,
} from '../../../../src/kernel/net/tcp/rto';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

/** RFC 6298 §2, written out independently of the implementation. */
function referenceRto(samples: number[]): { srtt: number; rttvar: number; rto: number } {
  let srtt = samples[0]!;
  let rttvar = samples[0]! / 2;
  for (const r of samples.slice(1)) {
    rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
    srtt = 0.875 * srtt + 0.125 * r;
  }
  const rto = Math.min(60_000, Math.max(200, srtt + Math.max(1, 4 * rttvar)));
  return { srtt, rttvar, rto };
}

describe('RFC 6298 retransmission timeout', () => {
  it('starts at 1 second before any sample (§2.1)', () => {
    const timer = new RetransmissionTimeout();
    expect(timer.rto).toBe(RTO_INITIAL_MS);
    expect(timer.smoothedRtt).toBeNull();
  });

  it('takes SRTT = R and RTTVAR = R/2 from the first sample (§2.2)', () => {
    const timer = new RetransmissionTimeout();
    timer.addSample(100);
    expect(timer.smoothedRtt).toBe(100);
    expect(timer.rttVariation).toBe(50);
    expect(timer.rto).toBe(100 + 4 * 50);
  });

  it('follows the §2.3 formulas over a seeded series of samples', () => {
    const random = uniformRandom(6298);
    const samples = Array.from({ length: 200 }, () => 20 + Math.floor(random() * 400));
    const timer = new RetransmissionTimeout();
    for (let n = 1; n <= samples.length; n++) {
      timer.addSample(samples[n - 1]!);
      const expected = referenceRto(samples.slice(0, n));
      expect(timer.smoothedRtt).toBeCloseTo(expected.srtt, 9);
      expect(timer.rttVariation).toBeCloseTo(expected.rttvar, 9);
      expect(timer.rto).toBeCloseTo(expected.rto, 9);
    }
  });

  it('never goes below 200 ms or above 60 s', () => {
    const fast = new RetransmissionTimeout();
    for (let i = 0; i < 50; i++) fast.addSample(2);
    expect(fast.rto).toBe(RTO_MIN_MS);
    const slow = new RetransmissionTimeout();
    slow.addSample(50_000);
    expect(slow.rto).toBe(RTO_MAX_MS);
  });

  it('doubles on each timeout up to the 60 s ceiling (§5.5)', () => {
    const timer = new RetransmissionTimeout();
    const seen = [];
    for (let i = 0; i < 8; i++) {
      timer.backOff();
      seen.push(timer.timeout);
    }
    expect(seen).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('times a segment from its sending to the acknowledgment that covers it', () => {
    const timer = new RetransmissionTimeout();
    timer.segmentSent(1100, 0, false);
    timer.segmentSent(2100, 10, false); // only one segment is timed at a time
    timer.acknowledged(1000, 30); // does not cover it yet
    expect(timer.smoothedRtt).toBeNull();
    timer.acknowledged(1100, 80);
    expect(timer.smoothedRtt).toBe(80);
  });

  it("ignores a retransmitted segment's round trip (Karn's algorithm)", () => {
    const timer = new RetransmissionTimeout();
    timer.segmentSent(1100, 0, false);
    timer.backOff();
    timer.segmentSent(1100, 1000, true);
    expect(timer.timeout).toBe(2000);
    timer.acknowledged(1100, 1010);
    expect(timer.smoothedRtt).toBeNull(); // no sample from a retransmitted segment
    expect(timer.timeout).toBe(RTO_INITIAL_MS); // new data acknowledged: the backoff ends
    timer.segmentSent(2100, 1020, false);
    timer.acknowledged(2100, 1060);
    expect(timer.smoothedRtt).toBe(40);
    expect(timer.rto).toBe(RTO_MIN_MS);
  });

  it('keeps doubling while nothing new is acknowledged, and ends the backoff when new data is', () => {
    const timer = new RetransmissionTimeout();
    timer.addSample(100);
    timer.backOff();
    timer.backOff();
    expect(timer.timeout).toBe(4 * timer.rto);
    timer.acknowledged(5000, 2000);
    expect(timer.timeout).toBe(timer.rto);
  });

  it('handles sequence numbers that wrap around 2^32', () => {
    const timer = new RetransmissionTimeout();
    timer.segmentSent(0x00000010, 0, false);
    timer.acknowledged(0xfffffff0, 5); // before the timed segment's end, across the wrap
    expect(timer.smoothedRtt).toBeNull();
    timer.acknowledged(0x00000010, 9);
    expect(timer.smoothedRtt).toBe(9);
  });
});
