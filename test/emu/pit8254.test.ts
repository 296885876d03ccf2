import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/emu/clock';
import { PIT_FREQUENCY_HZ, Pit8254 } from '../../src/emu/pit8254';

function setup() {
  const clock = new VirtualClock();
  const edges: number[] = [];
  const pit = new Pit8254(clock, () => edges.push(clock.now));
  return { clock, pit, edges };
}

/** Program channel 0 the way CottonOS does: mode 2, lobyte/hibyte, divisor. */
function program(pit: Pit8254, divisor: number, mode = 2): void {
  pit.out8(0x43, 0x30 | (mode << 1));
  pit.out8(0x40, divisor & 0xff);
  pit.out8(0x40, divisor >> 8);
}

describe('8254 PIT', () => {
  it('ticks IRQ0 at 1193182/divisor Hz in rate-generator mode', () => {
    const { clock, pit, edges } = setup();
    program(pit, 1193);
    clock.advanceTo(1e9);
    const hz = PIT_FREQUENCY_HZ / 1193;
    expect(edges.length).toBe(Math.floor(hz));
    expect(edges[0]).toBeCloseTo((1193 * 1e9) / PIT_FREQUENCY_HZ, 3);
    expect(pit.ticks).toBe(edges.length);
  });

  it('fires once in mode 0 and restarts the train when reprogrammed', () => {
    const { clock, pit, edges } = setup();
    program(pit, 1000, 0);
    clock.advanceTo(10e6);
    expect(edges.length).toBe(1);
    program(pit, 11932);
    clock.advanceTo(clock.now + 101e6);
    expect(edges.length).toBe(1 + 10);
  });

  it('counts down and latches a coherent value', () => {
    const { clock, pit } = setup();
    program(pit, 10000);
    clock.advanceTo((2500 * 1e9) / PIT_FREQUENCY_HZ + 1);
    pit.out8(0x43, 0x00); // latch channel 0
    clock.advanceTo(clock.now + 1e6); // the latched value does not move
    const count = pit.in8(0x40) | (pit.in8(0x40) << 8);
    expect(count).toBe(7500);
  });

  it('treats a reload of 0 as 65536', () => {
    const { clock, pit, edges } = setup();
    program(pit, 0);
    clock.advanceTo(1e9);
    expect(edges.length).toBe(Math.floor(PIT_FREQUENCY_HZ / 65536));
  });
});
