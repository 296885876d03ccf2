import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/emu/clock';
import {
  LinkConditionsError,
  LinkModel,
  REORDER_HOLD_NS,
  type LinkConditions,
} from '../../../src/emu/net/link-model';
import { SeededRandom } from '../../../src/emu/net/seeded-random';
import { TestGuest } from './test-guest';

const SEED = Number(process.env.LINK_SEED ?? 42);

/** Frames numbered 0..count-1, one every `spacingNs`, through a link; returns the numbers in arrival order. */
function runLink(
  conditions: Partial<LinkConditions>,
  count: number,
  seed = SEED,
  spacingNs = 10_000,
) {
  const clock = new VirtualClock();
  const link = new LinkModel(clock, new SeededRandom(seed), conditions);
  const arrivals: { n: number; at: number }[] = [];
  for (let n = 0; n < count; n++) {
    clock.advanceTo(n * spacingNs);
    const frame = new Uint8Array(100);
    new DataView(frame.buffer).setUint32(0, n);
    link.carry('from guest', frame, (f) =>
      arrivals.push({ n: new DataView(f.buffer).getUint32(0), at: clock.now }),
    );
    frame.fill(0xee); // the sender reuses its buffer: the link must have copied the frame
  }
  clock.advanceTo(count * spacingNs + 10_000_000_000);
  return { arrivals, stats: link.statistics('from guest') };
}

/** Within 4 standard deviations of the binomial mean. */
function expectNearPercent(observed: number, trials: number, percent: number) {
  const mean = (trials * percent) / 100;
  const sd = Math.sqrt(trials * (percent / 100) * (1 - percent / 100));
  expect(
    Math.abs(observed - mean),
    `seed ${SEED}: ${observed} of ${trials} for ${percent}%`,
  ).toBeLessThan(4 * sd);
}

describe('link model', () => {
  it('loses, duplicates and reorders about the set percentages', () => {
    const count = 20_000;
    const { arrivals, stats } = runLink(
      { lossPercent: 10, duplicatePercent: 5, reorderPercent: 20 },
      count,
    );
    expect(stats.offered).toBe(count);
    expectNearPercent(stats.dropped, count, 10);
    expectNearPercent(stats.duplicated, count - stats.dropped, 5);
    expectNearPercent(stats.reordered, count - stats.dropped, 20);
    expect(arrivals.length).toBe(count - stats.dropped + stats.duplicated);
    const outOfOrder = arrivals.filter((a, i) => i > 0 && a.n < arrivals[i - 1]!.n).length;
    expect(outOfOrder).toBeGreaterThan(0);
    expect(arrivals.every((a) => a.n < count)).toBe(true); // copies, not the reused buffer
  });

  it('makes the same choices for the same seed, and others for another', () => {
    const conditions = { lossPercent: 30, duplicatePercent: 10, reorderPercent: 10, delayMs: 3 };
    const a = runLink(conditions, 2000);
    const b = runLink(conditions, 2000);
    const c = runLink(conditions, 2000, SEED + 1);
    expect(b.arrivals).toEqual(a.arrivals);
    expect(c.arrivals).not.toEqual(a.arrivals);
  });

  it('passes frames straight through when ideal, drawing nothing', () => {
    const clock = new VirtualClock();
    const random = new SeededRandom(SEED);
    const before = random.saveState();
    const link = new LinkModel(clock, random);
    const seen: Uint8Array[] = [];
    const frame = new Uint8Array(60);
    link.carry('to guest', frame, (f) => seen.push(f));
    expect(seen).toEqual([frame]); // synchronously, no clock event
    expect(clock.nextEventAt()).toBe(Infinity);
    expect(random.saveState()).toBe(before);
  });

  it('delays by delayMs and holds reordered frames back at least REORDER_HOLD_NS more', () => {
    const { arrivals } = runLink({ delayMs: 5 }, 10);
    expect(arrivals.map((a) => a.at - a.n * 10_000)).toEqual(Array(10).fill(5_000_000));
    const reordered = runLink({ reorderPercent: 100 }, 3).arrivals;
    expect(reordered.map((a) => a.at - a.n * 10_000)).toEqual(Array(3).fill(REORDER_HOLD_NS));
  });

  it('spaces frames by their length at the bandwidth, queueing a burst', () => {
    // 100-byte frames at 800 kbit/s: 1 ms each; all sent at once.
    const { arrivals } = runLink({ bandwidthKbps: 800 }, 5, SEED, 0);
    expect(arrivals.map((a) => a.at)).toEqual([1, 2, 3, 4, 5].map((ms) => ms * 1_000_000));
  });

  it('rejects conditions out of range', () => {
    const link = new LinkModel(new VirtualClock(), new SeededRandom(1));
    expect(() => link.setConditions({ lossPercent: 101 })).toThrow(LinkConditionsError);
    expect(() => link.setConditions({ delayMs: -1 })).toThrow(LinkConditionsError);
    expect(() => link.setConditions({ bandwidthKbps: Number.NaN })).toThrow(LinkConditionsError);
    expect(link.conditions.lossPercent).toBe(0);
  });

  it('changes at run time through network.setLinkConditions: pings stop at 100% loss and resume', () => {
    const guest = new TestGuest();
    const ping = (sequence: number) => {
      const echo = Uint8Array.from([8, 0, 0, 0, 0, 1, 0, sequence]);
      const sum = ~(((8 << 8) + 1 + sequence) & 0xffff) & 0xffff;
      echo[2] = sum >> 8;
      echo[3] = sum & 0xff;
      guest.sendIpv4(Uint8Array.of(10, 0, 2, 2), 1, echo);
      guest.runFor(5);
    };
    ping(1);
    guest.network.setLinkConditions({ lossPercent: 100 });
    ping(2);
    guest.network.setLinkConditions({ lossPercent: 0, delayMs: 50 });
    ping(3);
    expect(guest.echoReplies()).toEqual([1]);
    guest.runFor(200);
    expect(guest.echoReplies()).toEqual([1, 3]);
    expect(guest.network.link.statistics('from guest')).toMatchObject({ offered: 3, dropped: 1 });
  });
});
