/**
 * The done-criterion of the user-mode issue: a user program compiled from C
 * (src/userland) runs with paging on and is preempted by the timer, with the
 * same result, instruction count and virtual times on both engines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runUserProgram } from '../../../src/emu/rv32/user-program-harness';
import { ENGINES } from './user-machine';

const program = (name: string): Uint8Array =>
  readFileSync(new URL(`../../../src/userland/bin/${name}.elf`, import.meta.url));

describe.each(ENGINES)('C programs on the %s', (engine) => {
  const jit = engine === 'jit';

  it('hello: writes a line and exits with its code', () => {
    const run = runUserProgram(program('hello'), { jit });
    expect(run.fault).toBeNull();
    expect(run.output).toBe('hello from user mode (pid 1)\n');
    expect(run.exitCode).toBe(0);
  });

  it('hello: finds argc and argv where exec leaves them (a0, a1, strings on the stack)', () => {
    const run = runUserProgram(program('hello'), { jit, argv: ['hello', 'two words', ''] });
    expect(run.fault).toBeNull();
    expect(run.output).toBe(
      'hello from user mode (pid 1)\nargv[0] = hello\nargv[1] = two words\nargv[2] = \n',
    );
    expect(run.exitCode).toBe(0);
  });

  it('primes: computes known answers while the 1000 Hz timer preempts it', () => {
    const run = runUserProgram(program('primes'), { jit });
    expect(run.fault).toBeNull();
    expect(run.output).toBe('crc cbf43926 sieve 17984 trial 2262\n');
    expect(run.exitCode).toBe(0);
    // 10 ns per instruction: one preemption per millisecond of virtual time.
    expect(run.preemptions).toBe(Math.floor(run.virtualNs / 1e6));
    expect(run.preemptions).toBeGreaterThan(20);
    expect(run.cpu.mmu.cr3).not.toBe(0);
  });
});

it('both engines retire the same instructions and take the timer at the same virtual times', () => {
  const runs = ENGINES.map((engine) =>
    runUserProgram(program('primes'), { jit: engine === 'jit' }),
  );
  expect(runs[1]!.instructions).toBe(runs[0]!.instructions);
  expect(runs[1]!.virtualNs).toBe(runs[0]!.virtualNs);
  expect(runs[1]!.preemptions).toBe(runs[0]!.preemptions);
  expect(runs[0]!.cpu.user.jitEnabled).toBe(false);
  expect(runs[1]!.cpu.user.jitEnabled).toBe(true);
});
