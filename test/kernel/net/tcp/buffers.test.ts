import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../../src/kernel/net/tcp/byte-queue';
import { ReassemblyQueue } from '../../../../src/kernel/net/tcp/reassembly';
import { SendBuffer } from '../../../../src/kernel/net/tcp/send-buffer';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const bytes = (...values: number[]) => Uint8Array.from(values);
const range = (from: number, to: number) =>
  Uint8Array.from({ length: to - from }, (_, i) => (from + i) & 0xff);

describe('ByteQueue', () => {
  it('is a FIFO that refuses what exceeds its capacity', () => {
    const queue = new ByteQueue(5);
    expect(queue.push(bytes(1, 2, 3))).toBe(3);
    expect(queue.push(bytes(4, 5, 6, 7))).toBe(2);
    expect(queue.freeSpace).toBe(0);
    expect([...queue.take(2)]).toEqual([1, 2]);
    expect(queue.push(bytes(8, 9))).toBe(2);
    expect([...queue.take(10)]).toEqual([3, 4, 5, 8, 9]);
    expect(queue.take(1).length).toBe(0);
  });

  it('keeps the order through wrap-around and growth (seeded against an array model)', () => {
    const random = uniformRandom(3);
    const queue = new ByteQueue(20_000);
    const model: number[] = [];
    let next = 0;
    for (let step = 0; step < 2000; step++) {
      if (random() < 0.55) {
        const chunk = range(next, next + Math.floor(random() * 3000));
        const taken = queue.push(chunk);
        model.push(...chunk.subarray(0, taken));
        next += taken;
      } else {
        const count = Math.floor(random() * 3000);
        expect([...queue.take(count)]).toEqual(model.splice(0, count));
      }
      expect(queue.length).toBe(model.length);
    }
  });

  it('peeks at an offset without consuming', () => {
    const queue = new ByteQueue(10);
    queue.push(bytes(1, 2, 3, 4));
    expect([...queue.peek(1, 2)]).toEqual([2, 3]);
    expect([...queue.peek(3, 5)]).toEqual([4]);
    expect(queue.length).toBe(4);
  });
});

describe('SendBuffer', () => {
  it('hands out bytes by sequence number and forgets acknowledged ones, across the wrap', () => {
    const buffer = new SendBuffer(100, 0xfffffffe);
    buffer.write(bytes(10, 11, 12, 13, 14));
    expect(buffer.endSequence).toBe(3);
    expect([...buffer.bytesAt(0, 2)]).toEqual([12, 13]);
    buffer.acknowledgeUpTo(1);
    expect(buffer.startSequence).toBe(1);
    expect(buffer.length).toBe(2);
    expect([...buffer.bytesAt(1, 10)]).toEqual([13, 14]);
    expect(() => buffer.bytesAt(0, 1)).toThrow(RangeError);
    buffer.acknowledgeUpTo(0); // an old acknowledgment changes nothing
    expect(buffer.length).toBe(2);
    buffer.acknowledgeUpTo(4); // a FIN beyond the data is not a byte here
    expect(buffer.length).toBe(0);
    expect(buffer.startSequence).toBe(3);
  });
});

describe('ReassemblyQueue', () => {
  it('keeps out-of-order pieces and releases them when the gap fills', () => {
    const queue = new ReassemblyQueue();
    queue.insert(110, range(10, 20), 100);
    queue.insert(130, range(30, 40), 100);
    expect(queue.blockCount).toBe(2);
    expect(queue.takeContiguous(100).length).toBe(0);
    // The connection delivers 100..110 itself, then asks what joins at 110.
    expect([...queue.takeContiguous(110)]).toEqual([...range(10, 20)]);
    expect(queue.takeContiguous(120).length).toBe(0);
    expect(queue.bufferedBytes).toBe(10);
  });

  it('merges overlapping and adjoining pieces into one block', () => {
    const queue = new ReassemblyQueue();
    queue.insert(110, range(10, 20), 100);
    queue.insert(120, range(20, 25), 100); // adjoins
    queue.insert(105, range(5, 15), 100); // overlaps the front
    queue.insert(108, range(8, 12), 100); // inside
    expect(queue.blockCount).toBe(1);
    expect(queue.bufferedBytes).toBe(20);
    expect([...queue.takeContiguous(105)]).toEqual([...range(5, 25)]);
  });

  it('drops what the stream already delivered, and whole stale blocks', () => {
    const queue = new ReassemblyQueue();
    queue.insert(110, range(10, 20), 100);
    queue.insert(130, range(30, 40), 100);
    expect([...queue.takeContiguous(115)]).toEqual([...range(15, 20)]);
    expect(queue.takeContiguous(150).length).toBe(0);
    expect(queue.blockCount).toBe(0);
  });

  it('reassembles any arrival order, across the sequence wrap (seeded)', () => {
    const random = uniformRandom(77);
    const start = 0xffffff00;
    const data = range(0, 2000);
    const pieces: [number, number][] = [];
    for (let offset = 0; offset < data.length; ) {
      const length = 1 + Math.floor(random() * 100);
      pieces.push([offset, Math.min(data.length, offset + length)]);
      offset += Math.max(1, length - Math.floor(random() * 20)); // overlapping pieces
    }
    pieces.sort(() => random() - 0.5);
    const queue = new ReassemblyQueue();
    let expected = start;
    const out: number[] = [];
    for (const [from, to] of pieces) {
      const sequence = (start + from) >>> 0;
      const skip = Math.max(0, (expected - sequence) | 0);
      if (skip >= to - from) continue;
      queue.insert((sequence + skip) >>> 0, data.subarray(from + skip, to), expected);
      const joined = queue.takeContiguous(expected);
      out.push(...joined);
      expected = (expected + joined.length) >>> 0;
    }
    expect(out).toEqual([...data]);
    expect(queue.bufferedBytes).toBe(0);
  });
});
