import { describe, expect, it } from 'vitest';
import {
  DamageList,
  containsPoint,
  intersect,
  overlapsOrAdjoins,
  rect,
  union,
  type Rect,
} from '../../../src/kernel/gui/rect';
import { containsRect, random, testSeed } from './helpers';

describe('rectangles', () => {
  it('intersect into the shared pixels, or null when they share none', () => {
    expect(intersect(rect(0, 0, 10, 10), rect(5, 6, 10, 10))).toEqual(rect(5, 6, 5, 4));
    expect(intersect(rect(0, 0, 10, 10), rect(10, 0, 5, 5))).toBeNull(); // touching shares no pixel
  });

  it('unite into the bounding box, ignoring empty rectangles', () => {
    expect(union(rect(0, 0, 2, 2), rect(5, 5, 1, 1))).toEqual(rect(0, 0, 6, 6));
    expect(union(rect(0, 0, 0, 5), rect(3, 3, 1, 1))).toEqual(rect(3, 3, 1, 1));
  });

  it('are half-open: the right and bottom edges are outside', () => {
    const r = rect(2, 3, 4, 5);
    expect(containsPoint(r, 2, 3)).toBe(true);
    expect(containsPoint(r, 5, 7)).toBe(true);
    expect(containsPoint(r, 6, 7)).toBe(false);
    expect(containsPoint(r, 5, 8)).toBe(false);
  });

  it('adjoin when they share an edge, not when they only touch at a corner', () => {
    expect(overlapsOrAdjoins(rect(0, 0, 4, 4), rect(4, 1, 2, 2))).toBe(true);
    expect(overlapsOrAdjoins(rect(0, 0, 4, 4), rect(1, 4, 2, 2))).toBe(true);
    expect(overlapsOrAdjoins(rect(0, 0, 4, 4), rect(4, 4, 2, 2))).toBe(false);
    expect(overlapsOrAdjoins(rect(0, 0, 4, 4), rect(5, 0, 2, 2))).toBe(false);
  });
});

describe('damage list', () => {
  it('merges overlapping and adjacent rectangles and keeps separate ones apart', () => {
    const damage = new DamageList();
    damage.add(rect(0, 0, 10, 10));
    damage.add(rect(10, 0, 10, 10)); // adjacent: merged
    damage.add(rect(100, 100, 5, 5)); // far away: kept apart
    damage.add(rect(0, 0, 0, 50)); // empty: ignored
    expect(damage.take()).toEqual([rect(0, 0, 20, 10), rect(100, 100, 5, 5)]);
    expect(damage.take()).toEqual([]);
  });

  it('merges transitively: a rectangle bridging two others joins all three', () => {
    const damage = new DamageList();
    damage.add(rect(0, 0, 5, 5));
    damage.add(rect(20, 0, 5, 5));
    damage.add(rect(4, 0, 17, 2));
    expect(damage.take()).toEqual([rect(0, 0, 25, 5)]);
  });

  it('collapses into one bounding box when it grows past its limit', () => {
    const damage = new DamageList(3);
    for (let i = 0; i < 4; i++) damage.add(rect(i * 10, i * 10, 2, 2));
    expect(damage.take()).toEqual([rect(0, 0, 32, 32)]);
  });

  const seed = testSeed(0x5eed_da3a);
  it(`covers every damaged pixel with a bounded list of separate rectangles (seed ${seed})`, () => {
    const rng = random(seed);
    for (let round = 0; round < 200; round++) {
      const limit = 1 + rng.int(12);
      const damage = new DamageList(limit);
      const input: Rect[] = [];
      for (let n = rng.int(30); n > 0; n--) {
        const r = rect(rng.int(60), rng.int(60), rng.int(12), rng.int(12));
        input.push(r);
        damage.add(r);
      }
      const merged = damage.take();
      const context = `seed ${seed}, round ${round}`;
      expect(merged.length, context).toBeLessThanOrEqual(limit);
      const uncovered: string[] = [];
      for (const r of input) {
        for (let y = r.y; y < r.y + r.height; y++) {
          for (let x = r.x; x < r.x + r.width; x++) {
            if (!merged.some((m) => containsPoint(m, x, y))) uncovered.push(`(${x}, ${y})`);
          }
        }
      }
      expect(uncovered, context).toEqual([]);
      const bounds = input.reduce(union, rect(0, 0, 0, 0));
      for (const m of merged) expect(containsRect(bounds, m), context).toBe(true);
      for (let i = 0; i < merged.length; i++) {
        for (let j = i + 1; j < merged.length; j++) {
          expect(overlapsOrAdjoins(merged[i]!, merged[j]!), context).toBe(false);
        }
      }
      expect(
        merged.every((m) => m.width > 0 && m.height > 0),
        context,
      ).toBe(true);
    }
  });
});
