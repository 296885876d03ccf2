/**
 * Kernel core benchmarks: process creation, context switches and system-call
 * cost, measured by running the user programs made for it on a booted
 * machine in fast mode. Wall time is the host's; virtual time is the
 * machine's clock (100 MHz user instructions, 1 µs port I/O, kernel code
 * free), which is what a program inside the machine would measure.
 */
import type { MachineHost } from '../runtime/host/machine-host';
import { bootFromRepo } from '../runtime/node/node-host';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Run `line` to its prompt; wall and virtual nanoseconds it took. */
function timed(
  host: MachineHost,
  line: string,
  expect: string,
): { wallNs: number; virtualNs: number } {
  const virtualStart = host.machine.clock.now;
  const wallStart = performance.now();
  const out = host.command(line, 600_000);
  const wallNs = (performance.now() - wallStart) * 1e6;
  if (!out.includes(expect))
    throw new Error(`benchmark command '${line}' did not print '${expect}':\n${out}`);
  return { wallNs, virtualNs: host.machine.clock.now - virtualStart };
}

function booted(): MachineHost {
  const host = bootFromRepo();
  host.runUntilPrompt();
  return host;
}

/** fork + exit + wait, as many times as possible per second. */
function forkExit(cycles: number): Result[] {
  const host = booted();
  timed(host, 'forkexit 100', 'ok'); // warm up the JIT
  const { wallNs, virtualNs } = timed(host, `forkexit ${cycles}`, `forkexit: ${cycles} ok`);
  return [
    {
      name: 'proc.fork_exit_per_s',
      value: round(cycles / (wallNs / 1e9)),
      unit: 'cycles/s (wall)',
    },
    {
      name: 'proc.fork_exit_per_s_virtual',
      value: round(cycles / (virtualNs / 1e9)),
      unit: 'cycles/s (virtual)',
    },
  ];
}

/** Two processes that do nothing but yield to each other: each yield is one switch. */
function contextSwitch(yields: number): Result[] {
  const host = booted();
  const started = { wall: performance.now(), virtual: host.machine.clock.now };
  host.command(`yieldloop ${yields} &`);
  timed(host, `yieldloop ${yields}`, `yieldloop: ${yields} yields`);
  const switches = 2 * yields;
  const wallNs = (performance.now() - started.wall) * 1e6;
  const virtualNs = host.machine.clock.now - started.virtual;
  return [
    { name: 'proc.ctx_switch_ns', value: round(wallNs / switches), unit: 'ns (wall)' },
    {
      name: 'proc.ctx_switch_ns_virtual',
      value: round(virtualNs / switches),
      unit: 'ns (virtual)',
    },
  ];
}

/** The cheapest system call, round trip from user mode. */
function getpid(calls: number): Result {
  const host = booted();
  timed(host, 'pidloop 10000', 'pidloop');
  const { wallNs } = timed(host, `pidloop ${calls}`, `pidloop: ${calls}`);
  return { name: 'syscall.getpid_ns', value: round(wallNs / calls), unit: 'ns (wall)' };
}

export function procBenchmarks(): Result[] {
  return [...forkExit(2000), ...contextSwitch(50_000), getpid(1_000_000)];
}
