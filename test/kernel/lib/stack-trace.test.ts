import { describe, expect, it } from 'vitest';
import { formatFrame, kernelFrames, parseFrame } from '../../../src/kernel/lib/stack-trace';
import { panicReport } from '../../../src/kernel/arch/panic';

describe('stack frames for the panic report', () => {
  it('parses V8 frames with and without a function name', () => {
    expect(parseFrame('    at parseMemoryMap (src/kernel/arch/multiboot2.ts:88:12)')).toEqual({
      fn: 'parseMemoryMap',
      file: 'src/kernel/arch/multiboot2.ts',
      line: 88,
      column: 12,
    });
    expect(parseFrame('    at src/kernel/boot/entry.ts:40:3')).toEqual({
      fn: '<anonymous>',
      file: 'src/kernel/boot/entry.ts',
      line: 40,
      column: 3,
    });
  });

  it('cleans V8 method-call names', () => {
    expect(parseFrame('    at Object.echo [as run] (src/kernel/shell/commands.ts:50:11)')?.fn).toBe(
      'echo',
    );
    expect(parseFrame('    at SerialConsole.write (src/kernel/drivers/console.ts:30:7)')?.fn).toBe(
      'SerialConsole.write',
    );
  });

  it('parses Firefox/Safari frames', () => {
    expect(parseFrame('shellThread@src/kernel/shell/shell.ts:57:16')).toEqual({
      fn: 'shellThread',
      file: 'src/kernel/shell/shell.ts',
      line: 57,
      column: 16,
    });
    expect(parseFrame('@http://localhost:4321/src/kernel/boot/entry.ts:3:1')).toEqual({
      fn: '<anonymous>',
      file: 'src/kernel/boot/entry.ts',
      line: 3,
      column: 1,
    });
  });

  it('drops frames outside kernel files', () => {
    const stack = [
      'TypeError: boom',
      '    at echo (src/kernel/shell/commands.ts:50:11)',
      '    at Generator.next (<anonymous>)',
      '    at CottonPC.resumeKernel (file:///work/main/src/emu/machine.ts:160:60)',
      'next@src/kernel/sched/scheduler.ts:96:30',
      'run@http://localhost/src/emu/machine.ts:1:1',
    ].join('\n');
    expect(kernelFrames(stack).map(formatFrame)).toEqual([
      'echo at src/kernel/shell/commands.ts:50:11',
      'next at src/kernel/sched/scheduler.ts:96:30',
    ]);
  });

  it('builds a report naming the error and its kernel frames', () => {
    const error = new RangeError('index out of range');
    error.stack =
      'RangeError: index out of range\n    at readByte (src/kernel/drivers/console.ts:47:5)';
    expect(panicReport(error)).toEqual([
      'KERNEL PANIC: RangeError: index out of range',
      'stack (innermost first):',
      '  readByte at src/kernel/drivers/console.ts:47:5',
      'cpu halted.',
    ]);
  });

  it('reports values that are not Errors', () => {
    expect(panicReport('oops')[0]).toBe('KERNEL PANIC: non-Error value thrown: oops');
  });
});
