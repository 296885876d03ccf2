import { describe, expect, it } from 'vitest';
import { describeKernelError } from '../../../src/runtime/host/kernel-error';
import { TranspileError } from '../../../src/runtime/host/transpile';

describe('kernel error messages', () => {
  it('locate an error at its innermost kernel frame and keep only kernel frames', () => {
    const error = new TypeError('sh.prinln is not a function');
    error.stack = [
      'TypeError: sh.prinln is not a function',
      '    at echo (src/kernel/shell/commands.ts:50:6)',
      '    at runCommand (src/kernel/shell/shell.ts:151:28)',
      '    at CottonPC.resumeKernel (http://127.0.0.1/_astro/machine-worker.js:1:2345)',
    ].join('\n');
    expect(describeKernelError(error)).toBe(
      [
        'src/kernel/shell/commands.ts:50:6: TypeError: sh.prinln is not a function',
        '    at echo (src/kernel/shell/commands.ts:50:6)',
        '    at runCommand (src/kernel/shell/shell.ts:151:28)',
      ].join('\n'),
    );
  });

  it('keep the first machine frames when no kernel code is on the stack', () => {
    const error = new Error('bad port');
    error.stack = 'Error: bad port\n    at IoBus.read (src/emu/io-bus.ts:10:3)';
    expect(describeKernelError(error)).toBe(
      'Error: bad port\n    at IoBus.read (src/emu/io-bus.ts:10:3)',
    );
  });

  it('pass a transpile error through: it already names file, line and column', () => {
    expect(
      describeKernelError(new TranspileError('src/kernel/a.ts', 3, 7, 'Unexpected token')),
    ).toBe('src/kernel/a.ts:3:7: Unexpected token');
  });
});
