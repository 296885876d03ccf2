import { describe, expect, it } from 'vitest';
import { bootFromRepo } from '../src/runtime/node/node-host';

/** Boot, run a scripted session, and return every byte the console printed. */
function session(): { output: string; virtualNs: number } {
  const host = bootFromRepo();
  host.runUntilPrompt();
  for (const line of ['echo hello', 'sleep 25ms', 'uptime', 'date', 'mem', 'nope'])
    host.command(line);
  host.type('ech\x1b[Do x\r');
  host.runUntilPrompt();
  return { output: host.output, virtualNs: host.machine.clock.now };
}

describe('determinism', () => {
  it('gives byte-identical output and virtual time for the same inputs', () => {
    const first = session();
    const second = session();
    expect(second.output).toBe(first.output);
    expect(second.virtualNs).toBe(first.virtualNs);
    expect(first.output).toContain('hello');
  });

  it('does not depend on the host clock or Math.random', () => {
    const realNow = Date.now;
    const realRandom = Math.random;
    const baseline = session().output;
    try {
      Date.now = () => 0;
      Math.random = () => 0.5;
      expect(session().output).toBe(baseline);
    } finally {
      Date.now = realNow;
      Math.random = realRandom;
    }
  });
});
