/**
 * The page's watchdog: it barks after its timeout of silence counted by
 * on-time ticks, stays quiet while fed, and does not count the time a starved
 * page (late ticks) was not running.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TICK_COUNTED_MS, TICK_MS, Watchdog } from '../../../src/runtime/browser/watchdog';

/** The page's clock: advanced by the test, apart from the timers (a late tick is a clock that ran ahead). */
let now = 0;

beforeEach(() => {
  now = 0;
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** `ms` of page time with every tick on time. */
function runOnTime(ms: number): void {
  for (let t = 0; t < ms; t += TICK_MS) {
    now += TICK_MS;
    vi.advanceTimersByTime(TICK_MS);
  }
}

describe('the watchdog', () => {
  it('barks once after its timeout of silence, not before', () => {
    const bark = vi.fn();
    const watchdog = new Watchdog(1500, bark);
    watchdog.feed();
    runOnTime(1400);
    expect(bark).not.toHaveBeenCalled();
    runOnTime(100);
    expect(bark).toHaveBeenCalledTimes(1);
    expect(watchdog.armed).toBe(false);
    runOnTime(5000);
    expect(bark).toHaveBeenCalledTimes(1);
  });

  it('stays quiet while fed, and barks the timeout after the last feed', () => {
    const bark = vi.fn();
    const watchdog = new Watchdog(1500, bark);
    watchdog.feed();
    for (let i = 0; i < 50; i++) {
      runOnTime(1000);
      watchdog.feed();
    }
    expect(bark).not.toHaveBeenCalled();
    runOnTime(1500);
    expect(bark).toHaveBeenCalledTimes(1);
  });

  it('does not count the time a starved page was not running', () => {
    const bark = vi.fn();
    const watchdog = new Watchdog(1500, bark);
    watchdog.feed();
    // Each tick comes 10 s late: the page was starved, the worker's beats may be waiting unread.
    for (let i = 0; i < 7; i++) {
      now += 10_000;
      vi.advanceTimersByTime(TICK_MS);
    }
    expect(bark).not.toHaveBeenCalled();
    watchdog.feed(); // the queued beats arrive
    runOnTime(1400);
    expect(bark).not.toHaveBeenCalled();
  });

  it('still stops a silent worker on a starved page, counting each late tick as at most a little', () => {
    const bark = vi.fn();
    const watchdog = new Watchdog(1500, bark);
    watchdog.feed();
    const ticks = Math.ceil(1500 / MAX_TICK_COUNTED_MS);
    for (let i = 0; i < ticks - 1; i++) {
      now += 3000;
      vi.advanceTimersByTime(TICK_MS);
    }
    expect(bark).not.toHaveBeenCalled();
    now += 3000;
    vi.advanceTimersByTime(TICK_MS);
    expect(bark).toHaveBeenCalledTimes(1);
  });

  it('never barks while disarmed', () => {
    const bark = vi.fn();
    const watchdog = new Watchdog(1500, bark);
    watchdog.feed();
    runOnTime(1000);
    watchdog.disarm();
    runOnTime(10_000);
    expect(bark).not.toHaveBeenCalled();
    watchdog.feed();
    runOnTime(1400);
    expect(bark).not.toHaveBeenCalled();
  });
});
