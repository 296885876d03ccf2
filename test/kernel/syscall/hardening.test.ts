/**
 * The hostile probe's findings as regression tests: the `hardening` user
 * program makes each probe's call and checks Linux's answer; the machine
 * must then still have init, /dev and /bin.
 */
import { describe, expect, it } from 'vitest';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../../src/runtime/node/node-host';

function plain(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

function run(host: MachineHost, line: string): { out: string; status: number } {
  const raw = host.command(line, 60_000);
  return { out: plain(raw), status: Number(/\x1b\]133;D;(\d+)\x07/.exec(raw)?.[1]) };
}

describe('the hostile probe, answered as Linux answers', () => {
  it('passes every check of the hardening program, and leaves init, /dev and /bin in place', () => {
    const host = bootFromRepo();
    host.runUntilPrompt();
    const { out, status } = run(host, 'hardening');
    expect(out.split('\n').filter((line) => line.includes('WRONG'))).toEqual([]);
    expect(out).toContain('hardening: 0 wrong');
    expect(out).toMatch(/open\(\/bin\/hello, O_WRONLY\) += +-30 EROFS +ok/); // libc names EROFS
    expect(status).toBe(0);
    expect(run(host, 'ps').out).toMatch(/^ +1 +0 .*\/bin\/init$/m);
    expect(run(host, 'hello').out).toMatch(/hello from user mode/);
    expect(run(host, 'ls /dev').out).toContain('null');
  });
});
