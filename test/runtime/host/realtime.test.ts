import { describe, expect, it } from 'vitest';
import { OSC133_PROMPT_END, type MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { RealtimeDriver } from '../../../src/runtime/host/realtime';

/** A machine on the repository's kernel, driven in real time, with the work time of each slice recorded. */
function realTimeMachine() {
  const host = bootFromRepo();
  const sliceWorkMs: number[] = [];
  const waiters: Array<{ done: (host: MachineHost) => boolean; resolve: () => void }> = [];
  let sliceStart: number | null = null;
  const runUntil = host.runUntil.bind(host);
  host.runUntil = (untilNs) => {
    sliceStart ??= performance.now();
    return runUntil(untilNs);
  };
  const driver = new RealtimeDriver(host, {
    onSlice: () => {
      if (sliceStart !== null) sliceWorkMs.push(performance.now() - sliceStart);
      sliceStart = null;
      for (const waiter of waiters.filter((w) => w.done(host))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
  });
  driver.start();
  return {
    sliceWorkMs,
    until: (done: (host: MachineHost) => boolean) =>
      new Promise<void>((resolve) => waiters.push({ done, resolve })),
    type(text: string) {
      host.type(text);
      driver.wake();
    },
    stop: () => driver.stop(),
  };
}

const prompts = (host: MachineHost): number => host.output.split(OSC133_PROMPT_END).length - 1;

describe('the real-time driver', () => {
  it('paces idle waits to the wall clock: `sleep 1` takes a second', async () => {
    const machine = realTimeMachine();
    await machine.until((host) => prompts(host) === 1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // idle a moment: the boot's lag is caught up
    const typedAt = performance.now();
    machine.type('sleep 1\r');
    await machine.until((host) => prompts(host) === 2);
    const elapsed = performance.now() - typedAt;
    machine.stop();
    // Never early; how late it may be on a loaded machine is a benchmark's business, not a test's.
    expect(elapsed).toBeGreaterThan(900);
  });

  it('answers typing within a few milliseconds, not at the next idle poll', async () => {
    const machine = realTimeMachine();
    await machine.until((host) => prompts(host) === 1);
    const typedAt = performance.now();
    machine.type('echo hi\r');
    await machine.until((host) => prompts(host) === 2);
    machine.stop();
    // Input starts a slice at once; even on a loaded machine the answer comes well within a second.
    expect(performance.now() - typedAt).toBeLessThan(900);
  });

  it('keeps slices short, so the thread stays responsive', async () => {
    const machine = realTimeMachine();
    await machine.until((host) => prompts(host) === 1);
    machine.type('sleep 0.5\r');
    await machine.until((host) => prompts(host) === 2);
    machine.stop();
    // More than one slice for half a second of virtual time: the driver gave the thread back between them.
    expect(machine.sliceWorkMs.length).toBeGreaterThan(1);
  });

  it('tells when its next slice has run, and at once when it is stopped', async () => {
    const host = bootFromRepo();
    const driver = new RealtimeDriver(host, { fastWhile: () => prompts(host) === 0 });
    expect(await driver.nextSlice()).toBe(false); // not started
    driver.start();
    const before = host.machine.clock.now;
    expect(await driver.nextSlice()).toBe(true);
    expect(host.machine.clock.now).toBeGreaterThan(before);
    const waiting = driver.nextSlice();
    driver.pause();
    expect(await waiting).toBe(false);
    expect(await driver.nextSlice()).toBe(false);
  });

  it('boots in fast mode to the first prompt, printing what a fast-mode host prints, then paces', async () => {
    const expected = bootFromRepo().runUntilPrompt();
    const host = bootFromRepo();
    let fastSteps = 0;
    let atPrompt: { wallMs: number; virtualNs: number } | null = null;
    const driver = new RealtimeDriver(host, {
      fastWhile: () => {
        const booting = prompts(host) === 0;
        if (booting) fastSteps++;
        return booting;
      },
      onSlice: () => {
        if (prompts(host) > 0)
          atPrompt ??= { wallMs: performance.now(), virtualNs: host.machine.clock.now };
      },
    });
    driver.start();
    await new Promise<void>((resolve) => {
      const poll = (): void => void (atPrompt ? resolve() : setTimeout(poll, 10));
      poll();
    });
    expect(host.output).toBe(expected);
    expect(fastSteps).toBeGreaterThan(1);
    // Real time from the prompt on: the virtual clock moves no faster than the wall clock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const wallMs = performance.now() - atPrompt!.wallMs;
    const virtualMs = (host.machine.clock.now - atPrompt!.virtualNs) / 1e6;
    driver.stop();
    expect(virtualMs).toBeLessThanOrEqual(wallMs + 20);
  });
});
