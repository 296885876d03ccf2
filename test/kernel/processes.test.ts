/**
 * User processes on the real machine: the repository's kernel boots in Node
 * with the committed user programs and the shell runs them. These are the
 * kernel core's promises: preemption, isolation, clean exits, signals,
 * limits, and no leaked frames.
 */
import { describe, expect, it } from 'vitest';
import type { MachineHost } from '../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../src/runtime/node/node-host';

function plain(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

function booted(): MachineHost {
  const host = bootFromRepo();
  host.runUntilPrompt();
  return host;
}

/** Run a command; its output without colours, and the exit status from the OSC 133 D mark. */
function run(host: MachineHost, line: string, maxMs = 60_000): { out: string; status: number } {
  const raw = host.command(line, maxMs);
  const status = /\x1b\]133;D;(\d+)\x07/.exec(raw);
  return { out: plain(raw), status: status ? Number(status[1]) : NaN };
}

function usedFrames(host: MachineHost): number {
  const match = /frames: +\d+ of 4 KiB: (\d+) used/.exec(run(host, 'mem').out);
  if (!match) throw new Error('mem shows no frame counts');
  return Number(match[1]);
}

describe('user processes', () => {
  it('start init as pid 1 at boot', () => {
    const host = booted();
    expect(plain(host.output)).toContain('init: CottonOS user space started');
    expect(run(host, 'ps').out).toMatch(/^ +1 +0 +2 +S sleeping +[\d.]+ +\/bin\/init$/m);
  });

  it('run a program by name with its arguments and report its exit status', () => {
    const host = booted();
    const { out, status } = run(host, 'hello one two');
    expect(out).toMatch(/hello from user mode \(pid \d+\)/);
    expect(out).toContain('argv[1] = one');
    expect(out).toContain('argv[2] = two');
    expect(status).toBe(0);
    expect(run(host, 'nosuchprogram')).toMatchObject({
      status: 127,
      out: expect.stringContaining('nosuchprogram: command not found'),
    });
  });

  it('are preempted: two CPU-bound spins both make progress before either finishes', () => {
    const host = booted();
    run(host, 'spin 20 A &');
    run(host, 'spin 20 B &');
    host.runUntilIdleAnd(
      () =>
        plain(host.output).includes('spin A: done') && plain(host.output).includes('spin B: done'),
      10_000,
    );
    const out = plain(host.output);
    const firstDone = Math.min(out.indexOf('spin A: done'), out.indexOf('spin B: done'));
    expect(out.indexOf('spin A: round 3')).toBeLessThan(firstDone);
    expect(out.indexOf('spin B: round 3')).toBeLessThan(firstDone);
    expect(run(host, 'echo still here').out).toContain('still here');
  });

  it('are isolated: touching kernel memory, another area or their own code kills only them', () => {
    const host = booted();
    for (const [mode, reason] of [
      ['kernel', 'address not mapped at 0x00100000'],
      ['null', 'address not mapped at 0x00000000'],
      ['text', 'write to read-only page'],
      ['other', 'address not mapped at 0x40040000'],
      ['exec', 'instruction fetch from non-executable page'],
      ['stack', 'stack overflow beyond 8 MiB'],
    ]) {
      const { out, status } = run(host, `crash ${mode}`);
      expect(out, mode).toMatch(
        new RegExp(`fault: pid \\d+ \\(crash\\): SIGSEGV: ${reason}.*; killed`),
      );
      expect(out, mode).toContain('Segmentation fault');
      expect(status, mode).toBe(128 + 11);
    }
    expect(run(host, 'crash illegal')).toMatchObject({
      status: 128 + 4,
      out: expect.stringContaining('Illegal instruction'),
    });
    expect(run(host, 'hello').status).toBe(0);
  });

  it('get EFAULT, never a crashed kernel, for bad pointers in system calls', () => {
    const host = booted();
    const { out, status } = run(host, 'badptr');
    expect(out).toContain('badptr: all EFAULT (0 wrong)');
    expect(status).toBe(0);
  });

  it('get the errno a Unix kernel gives for bad arguments, and working file calls', () => {
    const host = booted();
    const { out, status } = run(host, 'badargs');
    expect(out).toContain('badargs: 0 wrong');
    expect(status).toBe(0);
  });

  it('free every frame they used: 1000 fork/exit cycles and a 16 MiB memtest leak nothing', () => {
    const host = booted();
    const before = usedFrames(host);
    expect(run(host, 'forkexit 1000').out).toContain('forkexit: 1000 ok');
    expect(run(host, 'memtest 16').out).toContain('memtest: passed');
    expect(run(host, 'pingpong 200').out).toContain('pingpong: 200 round trips');
    expect(usedFrames(host)).toBe(before);
  });

  it('stop at the process limit: a fork bomb gets EAGAIN and the kernel goes on', () => {
    const host = booted();
    const { out, status } = run(host, 'forkbomb');
    expect(out).toMatch(/forkbomb: \d+ children, then fork failed: EAGAIN/);
    expect(status).toBe(0);
    const rows = run(host, 'ps')
      .out.split('\n')
      .filter((line) => /^ +\d+ +\d+ /.test(line));
    expect(rows).toHaveLength(6); // idle, init, flush, net, dhcp, shell: every child was reaped
  });

  it('are stopped by Ctrl-C in the foreground and by kill in the background', () => {
    const host = booted();
    host.type('spin 1000000 FG\r');
    host.runUntilIdleAnd(() => plain(host.output).includes('spin FG: round 2'), 5_000);
    host.type('\x03');
    const afterCtrlC = host.runUntilPrompt();
    expect(/\x1b\]133;D;(\d+)\x07/.exec(afterCtrlC)?.[1]).toBe(String(128 + 2));

    const started = run(host, 'spin 1000000 BG &').out;
    const pid = /\[(\d+)\]/.exec(started)![1]!;
    expect(run(host, `kill ${pid}`).status).toBe(0);
    expect(run(host, 'echo next').out).toContain(`[${pid}] done, exit status ${128 + 15}`);
    expect(run(host, 'kill 999')).toMatchObject({
      status: 1,
      out: expect.stringContaining('ESRCH'),
    });
  });

  it('follow their priority: nice changes what ps shows and who runs first', () => {
    const host = booted();
    const low = /\[(\d+)\]/.exec(run(host, 'spin 10 LOW &').out)![1]!;
    expect(run(host, `nice ${low} 4`).status).toBe(0);
    run(host, 'spin 10 HIGH &');
    host.runUntilIdleAnd(() => plain(host.output).includes('spin LOW: done'), 10_000);
    const out = plain(host.output);
    expect(out.indexOf('spin HIGH: done')).toBeLessThan(out.indexOf('spin LOW: done'));
    expect(run(host, `nice ${low} 9`).status).toBe(1);
  });
});
