import { describe, expect, it } from 'vitest';
import { CongestionControl, initialWindow } from '../../../../src/kernel/net/tcp/congestion';

const MSS = 1000;

describe('RFC 5681 congestion window', () => {
  it('starts at the initial window of §3.1 equation 1', () => {
    expect(initialWindow(1460)).toBe(3 * 1460);
    expect(initialWindow(536)).toBe(4 * 536);
    expect(initialWindow(4000)).toBe(2 * 4000);
  });

  it('grows by one MSS per acknowledgment in slow start, then ~1 MSS per window', () => {
    const cc = new CongestionControl(MSS);
    cc.ssthresh = 6000;
    cc.newDataAcknowledged(MSS);
    cc.newDataAcknowledged(3 * MSS); // counts at most one MSS per ACK
    expect(cc.cwnd).toBe(6000);
    cc.newDataAcknowledged(MSS); // now cwnd >= ssthresh: congestion avoidance
    expect(cc.cwnd).toBe(6000 + Math.floor((MSS * MSS) / 6000));
  });

  it('halves to ssthresh and restarts from one segment on a timeout', () => {
    const cc = new CongestionControl(MSS);
    cc.timedOut(20_000);
    expect(cc.ssthresh).toBe(10_000);
    expect(cc.cwnd).toBe(MSS);
    cc.timedOut(1000); // never below two segments
    expect(cc.ssthresh).toBe(2 * MSS);
  });

  it('runs fast recovery: inflate per duplicate, deflate on the full acknowledgment', () => {
    const cc = new CongestionControl(MSS);
    cc.enterFastRecovery(10_000, 5000);
    expect(cc.ssthresh).toBe(5000);
    expect(cc.cwnd).toBe(5000 + 3 * MSS);
    cc.duplicateDuringRecovery();
    expect(cc.cwnd).toBe(5000 + 4 * MSS);
    // A partial acknowledgment (below the recovery point) asks for another retransmission.
    expect(cc.acknowledgedDuringRecovery(3000, 2000)).toBe(true);
    expect(cc.inFastRecovery).toBe(true);
    expect(cc.cwnd).toBe(5000 + 4 * MSS - 2000 + MSS);
    expect(cc.acknowledgedDuringRecovery(5000, 2000)).toBe(false);
    expect(cc.inFastRecovery).toBe(false);
    expect(cc.cwnd).toBe(5000);
  });
});
