import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/emu/clock';

describe('virtual clock', () => {
  it('fires events in time order, and same-time events in scheduling order', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.schedule(300, () => fired.push('c'));
    clock.schedule(100, () => fired.push('a1'));
    clock.schedule(100, () => fired.push('a2'));
    clock.schedule(200, () => fired.push('b'));
    clock.advanceTo(250);
    expect(fired).toEqual(['a1', 'a2', 'b']);
    expect(clock.now).toBe(250);
    expect(clock.nextEventAt()).toBe(300);
  });

  it('never goes backwards and treats past deadlines as due now', () => {
    const clock = new VirtualClock();
    clock.spend(1000);
    clock.advanceTo(10);
    expect(clock.now).toBe(1000);
    let fired = false;
    clock.schedule(5, () => (fired = true));
    expect(clock.nextEventAt()).toBe(1000);
    clock.fireDue();
    expect(fired).toBe(true);
  });

  it('cancels events by callback', () => {
    const clock = new VirtualClock();
    const fire = (): void => {
      throw new Error('cancelled event fired');
    };
    clock.schedule(10, fire);
    clock.cancel(fire);
    clock.advanceTo(20);
    expect(clock.nextEventAt()).toBe(Infinity);
  });
});
