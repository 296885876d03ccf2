import { afterEach, describe, expect, it } from 'vitest';
import {
  KERNEL_COMPILE,
  measureKernelCompile,
  milestone,
  timingName,
} from '../../../src/runtime/worker/milestones';

afterEach(() => {
  performance.clearMarks();
  performance.clearMeasures();
});

describe("a machine worker's milestones", () => {
  it('marks each milestone once, the first time it happens', () => {
    milestone('boot-asked');
    const first = performance.getEntriesByName(timingName('boot-asked'))[0]!.startTime;
    milestone('boot-asked');
    const entries = performance.getEntriesByName(timingName('boot-asked'));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.entryType).toBe('mark');
    expect(entries[0]!.startTime).toBe(first);
    expect(performance.getEntriesByName(timingName('powered-on'))).toHaveLength(0);
  });

  it("measures the kernel's first compile, and runs every compile", () => {
    let runs = 0;
    const busy = () => {
      runs++;
      const until = performance.now() + 5;
      while (performance.now() < until);
    };
    measureKernelCompile(busy);
    measureKernelCompile(busy);
    expect(runs).toBe(2);
    const measures = performance.getEntriesByName(timingName(KERNEL_COMPILE));
    expect(measures).toHaveLength(1);
    expect(measures[0]!.entryType).toBe('measure');
    expect(measures[0]!.duration).toBeGreaterThanOrEqual(5);
  });
});
