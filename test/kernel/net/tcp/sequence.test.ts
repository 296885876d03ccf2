import { describe, expect, it } from 'vitest';
import {
  segmentLength,
  sequenceAdd,
  sequenceDistance,
  sequenceGreaterOrEqual,
  sequenceGreaterThan,
  sequenceInWindow,
  sequenceLessOrEqual,
  sequenceLessThan,
} from '../../../../src/kernel/net/tcp/sequence';
import { TCP_FLAG_ACK, TCP_FLAG_FIN, TCP_FLAG_SYN } from '../../../../src/kernel/net/wire/tcp';

describe('sequence number arithmetic (mod 2^32)', () => {
  it('wraps additions to 32 bits, unsigned', () => {
    expect(sequenceAdd(0xffffffff, 1)).toBe(0);
    expect(sequenceAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(sequenceAdd(0, -1)).toBe(0xffffffff);
  });

  it('compares across the wrap: 0xfffffff0 is before 0x10', () => {
    expect(sequenceLessThan(0xfffffff0, 0x10)).toBe(true);
    expect(sequenceGreaterThan(0x10, 0xfffffff0)).toBe(true);
    expect(sequenceDistance(0x10, 0xfffffff0)).toBe(0x20);
    expect(sequenceDistance(0xfffffff0, 0x10)).toBe(-0x20);
    expect(sequenceLessOrEqual(5, 5) && sequenceGreaterOrEqual(5, 5)).toBe(true);
    expect(sequenceLessThan(5, 5) || sequenceGreaterThan(5, 5)).toBe(false);
  });

  it('orders numbers less than 2^31 apart; 2^31 ahead counts as behind', () => {
    expect(sequenceLessThan(0, 0x7fffffff)).toBe(true);
    expect(sequenceLessThan(0, 0x80000001)).toBe(false);
  });

  it('tests windows that straddle the wrap', () => {
    expect(sequenceInWindow(0xfffffffe, 0xfffffff0, 0x20)).toBe(true);
    expect(sequenceInWindow(0x0f, 0xfffffff0, 0x20)).toBe(true);
    expect(sequenceInWindow(0x10, 0xfffffff0, 0x20)).toBe(false);
    expect(sequenceInWindow(0xffffffef, 0xfffffff0, 0x20)).toBe(false);
    expect(sequenceInWindow(7, 7, 0)).toBe(false);
  });

  it('counts SYN and FIN as one sequence number each (SEG.LEN)', () => {
    const segment = (flags: number, length: number) => ({
      sourcePort: 1,
      destinationPort: 2,
      sequence: 0,
      acknowledgment: 0,
      flags,
      window: 0,
      urgentPointer: 0,
      options: {},
      payload: new Uint8Array(length),
    });
    expect(segmentLength(segment(TCP_FLAG_ACK, 0))).toBe(0);
    expect(segmentLength(segment(TCP_FLAG_SYN, 0))).toBe(1);
    expect(segmentLength(segment(TCP_FLAG_ACK | TCP_FLAG_FIN, 10))).toBe(11);
    expect(segmentLength(segment(TCP_FLAG_SYN | TCP_FLAG_FIN, 3))).toBe(5);
  });
});
