/**
 * User-CPU benchmarks: million RV32 instructions retired per second on a
 * compute-bound C program (src/userland/bench.c: CRC-32 over 1 MiB and a sieve
 * to 2^22), paging on and the 1000 Hz timer preempting it, on the interpreter
 * and with translated code; and how the translated run compares with the same
 * C compiled natively by the host's C compiler (skipped, with a note, if there
 * is none). Results are JSON-line records {"name","value","unit"}.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUserProgram, type UserProgramRun } from '../emu/rv32/user-program-harness';

export interface CpuBenchmarkResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

const USERLAND = fileURLToPath(new URL('../userland/', import.meta.url));
const round = (n: number): number => Math.round(n * 1000) / 1000;

interface Timed {
  readonly run: UserProgramRun;
  readonly ms: number;
}

function emulate(elf: Uint8Array, jit: boolean, rounds: number): Timed {
  const start = performance.now();
  const run = runUserProgram(elf, { jit, argv: ['bench', String(rounds)] });
  const ms = performance.now() - start;
  if (run.exitCode !== 0)
    throw new Error(`bench.elf failed: ${JSON.stringify(run.fault)} ${run.output}`);
  return { run, ms };
}

/** Build bench.c for the host and time it; null when no C compiler is found. */
function native(rounds: number): { ms: number; output: string } | { note: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cotton-bench-'));
  try {
    const binary = join(dir, 'bench');
    const sources = [join(USERLAND, 'bench.c')]; // -DNATIVE: the host's own libc instead of src/userland/libc
    let built = false;
    for (const compiler of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean) as string[]) {
      const result = spawnSync(compiler, ['-O2', '-DNATIVE', '-o', binary, ...sources], {
        stdio: 'ignore',
      });
      if (result.status === 0) {
        built = true;
        break;
      }
    }
    if (!built) return { note: 'no host C compiler (cc, gcc, clang) found' };
    execFileSync(binary, ['1']); // warm the page cache
    const times: number[] = [];
    let output = '';
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      output = execFileSync(binary, [String(rounds)]).toString();
      times.push(performance.now() - start);
    }
    return { ms: Math.min(...times), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function cpuBenchmarks(): CpuBenchmarkResult[] {
  const elf = readFileSync(join(USERLAND, 'bin', 'bench.elf'));
  const results: CpuBenchmarkResult[] = [];
  // Warm-ups: V8 compiles the interpreter (and, below, the dispatcher) before timing.
  runUserProgram(readFileSync(join(USERLAND, 'bin', 'primes.elf')), { jit: false });
  const interpreted = emulate(elf, false, 1);
  results.push({
    name: 'cpu.mips.interp',
    value: round(interpreted.run.instructions / interpreted.ms / 1000),
    unit: 'MIPS',
  });

  const rounds = 8;
  emulate(elf, true, 1);
  const translated = emulate(elf, true, rounds);
  results.push({
    name: 'cpu.mips.jit',
    value: round(translated.run.instructions / translated.ms / 1000),
    unit: 'MIPS',
  });

  const host = native(rounds);
  if ('note' in host) {
    results.push({ name: 'cpu.native_ratio', value: Number.NaN, unit: 'ratio', note: host.note });
  } else {
    if (host.output !== translated.run.output)
      throw new Error(
        `native and emulated results differ: ${host.output} vs ${translated.run.output}`,
      );
    // Native time over emulated time: 1 would be native speed, 0.125 is "8× slower".
    results.push({
      name: 'cpu.native_ratio',
      value: round(host.ms / translated.ms),
      unit: 'ratio',
    });
  }
  return results;
}
