import { describe, expect, it } from 'vitest';
import {
  describeValue,
  ExerciseProbe,
  regionFunctions,
} from '../../../src/runtime/host/exercise-probe';
import { linkKernel } from '../../../src/runtime/host/kernel-loader';
import { transpileModule } from '../../../src/runtime/host/transpile';
import { repoKernelSources } from '../../../src/runtime/node/node-host';

const sources = repoKernelSources();

describe('regionFunctions', () => {
  it('finds an exported function', () => {
    expect(regionFunctions(sources['src/kernel/arch/multiboot2.ts']!, 'memory-map')).toEqual([
      { name: 'parseMemoryMap' },
    ]);
  });

  it('finds a method and its class', () => {
    expect(regionFunctions(sources['src/kernel/mm/page-table.ts']!, 'translate')).toEqual([
      { name: 'translate', className: expect.any(String) },
    ]);
    expect(
      regionFunctions(sources['src/kernel/fs/cottonfs/cottonfs.ts']!, 'allocate-block'),
    ).toEqual([{ name: 'allocateBlock', className: 'CottonFs' }]);
  });

  it('finds every function of a region with several', () => {
    const names = regionFunctions(
      sources['src/kernel/net/wire/checksum.ts']!,
      'internet-checksum',
    ).map((target) => target.name);
    expect(names).toEqual(['foldCarries', 'internetChecksum']);
  });

  it('takes the function around a region of statements', () => {
    expect(regionFunctions(sources['src/kernel/sched/scheduler.ts']!, 'quantum')).toEqual([
      { name: 'timerTick' },
    ]);
  });

  it('finds nothing for a missing region', () => {
    expect(regionFunctions('export function f() {}\n', 'nope')).toEqual([]);
  });
});

describe('ExerciseProbe', () => {
  const file = 'src/kernel/boot/entry.ts';
  const source = `// #region exercise:sum
export function sum(a: number, b: number): number {
  if (a < 0) throw new RangeError('negative');
  return a + b;
}
// #endregion exercise:sum
export function* steps(n: number): Generator<number, string, void> {
  for (let i = 0; i < n; i++) yield i;
  return 'done';
}
export const kernelEntry = (cpu: { total: number }) => {
  cpu.total = sum(0x2000, 2);
};
`;
  function link(probe: ExerciseProbe) {
    return linkKernel({ [file]: transpileModule(file, source) }, probe.tap());
  }

  it('reports the last call of a function called by its local name, and leaves the kernel working', () => {
    const probe = new ExerciseProbe(file, regionFunctions(source, 'sum'));
    const cpu = { total: 0 };
    (link(probe) as unknown as (cpu: { total: number }) => void)(cpu);
    expect(cpu.total).toBe(0x2002);
    expect(probe.describeCalls()).toBe(
      'Your sum() was called once; the last call, sum(0x2000, 2), returned 0x2002.',
    );
  });

  it('says when the function was never called', () => {
    const probe = new ExerciseProbe(file, [{ name: 'sum' }]);
    link(probe);
    expect(probe.describeCalls()).toBe('Your sum() was never called.');
  });

  it('follows a generator to its return value, and records a throw', () => {
    const probe = new ExerciseProbe(file, [{ name: 'sum' }, { name: 'steps' }]);
    const wrappedSteps = probe.wrap(1, function* () {
      yield 1;
      return 'done';
    }) as () => Generator<number, string>;
    expect([...wrappedSteps()]).toEqual([1]);
    const wrappedSum = probe.wrap(0, () => {
      throw new RangeError('negative');
    }) as (a: number) => number;
    expect(() => wrappedSum(-1)).toThrow(RangeError);
    expect(probe.describeCalls()).toBe(
      'Your sum() was called once; the last call, sum(-1), threw RangeError: negative.\n' +
        'Your steps() was called once; the last call, steps(), returned "done".',
    );
  });
});

describe('describeValue', () => {
  it('shows small numbers in decimal and addresses in hex', () => {
    expect(describeValue(12)).toBe('12');
    expect(describeValue(0x10000)).toBe('0x10000');
    expect(describeValue(-0x2000)).toBe('-0x2000');
  });

  it('shows arrays and plain objects two levels deep, and instances by class', () => {
    class Memory {}
    expect(describeValue([])).toBe('[]');
    expect(describeValue([{ base: 0, type: 1 }])).toBe('[{ base: 0, type: 1 }]');
    expect(describeValue([1, 2, 3, 4, 5, 6])).toBe('[1, 2, 3, 4, … 6 items in all]');
    expect(describeValue(new Memory())).toBe('Memory {…}');
    expect(describeValue([[[1]]])).toBe('[[[1 item]]]');
  });
});
