/**
 * The inspection channel: views by name, their arguments, and answers that
 * say why when no view can be taken.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addressArg, integerArg, VIEWS, ViewRequestError } from '../../../src/kernel/inspect/views';
import { KernelInspector } from '../../../src/runtime/host/kernel-inspection';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';
import { FIGURES } from '../../../src/figures/index';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { BOOT_TIMEOUT_MS } from '../../support/inspected-machine';

describe('view arguments', () => {
  it('reads whole numbers and addresses in hex, decimal or as numbers', () => {
    expect(integerArg({ pid: 4 }, 'pid')).toBe(4);
    expect(integerArg({ pid: '12' }, 'pid')).toBe(12);
    expect(integerArg({}, 'pid', 1)).toBe(1);
    expect(addressArg({ address: '0x7f80_0000' }, 'address')).toBe(0x7f80_0000);
    expect(addressArg({ address: '65536' }, 'address')).toBe(65536);
    expect(addressArg({ address: 4096 }, 'address')).toBe(4096);
  });

  it('rejects what is not one, naming the argument', () => {
    expect(() => integerArg({ pid: -1 }, 'pid')).toThrow(ViewRequestError);
    expect(() => integerArg({ pid: 'one' }, 'pid')).toThrow(/argument 'pid'/);
    expect(() => integerArg({}, 'pid')).toThrow(/argument 'pid'/);
    expect(() => addressArg({ address: '0xzz' }, 'address')).toThrow(/argument 'address'/);
    expect(() => addressArg({ address: '0x1_0000_0000_0000_0' }, 'address')).toThrow(
      ViewRequestError,
    );
    expect(() => addressArg({ address: true }, 'address')).toThrow(ViewRequestError);
  });
});

describe('the registry', () => {
  it('has a figure for every view the book draws, and a view for every figure', () => {
    for (const view of Object.keys(FIGURES)) expect(Object.keys(VIEWS)).toContain(view);
  });
});

describe('the inspection channel', () => {
  let host: MachineHost;
  const inspector = new KernelInspector();
  beforeAll(() => {
    host = bootFromRepo({ ...freshBookDisk(), tap: inspector.tap });
  }, BOOT_TIMEOUT_MS);

  it('answers "still booting" before the kernel is whole, then the view', () => {
    expect(inspector.inspect({ view: 'memory-map' })).toEqual({
      ok: false,
      view: 'memory-map',
      reason: 'the kernel is still booting',
    });
    host.runUntilPrompt();
    const answer = inspector.inspect({ view: 'memory-map' });
    expect(answer.ok).toBe(true);
    expect(answer.ok && answer.uptimeMicros).toBeGreaterThan(0);
  });

  it('names the known views when asked for an unknown one', () => {
    const answer = inspector.inspect({ view: 'no-such-view' });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.reason).toMatch(/no view 'no-such-view' \(known: .*memory-map/);
    expect(inspector.inspect({ view: 'toString' }).ok).toBe(false);
  });

  it('changes nothing in the machine, whichever view it takes', () => {
    const before = host.stateDigest();
    for (const view of Object.keys(VIEWS)) {
      const answer = inspector.inspect({ view, args: { pid: 1, address: '0x10000' } });
      expect(answer.ok ? 'ok' : answer.reason, view).not.toMatch(/Error/);
    }
    expect(host.stateDigest()).toBe(before);
  });

  it('follows the machine across a reboot', () => {
    host.command('reboot');
    expect(inspector.inspect({ view: 'memory-map' }).ok).toBe(true);
  });

  it('says when a view is refused only for now, and takes it once the machine ran on', async () => {
    host.command('fill /home/reader/notes.txt 300K');
    // The flusher commits the write about a second later, holding the file system's lock.
    const view = { view: 'block-map' };
    let refused = inspector.inspect(view);
    while (refused.ok) {
      host.runUntil(host.machine.clock.now + 250_000);
      refused = inspector.inspect(view);
    }
    expect(refused).toMatchObject({
      ok: false,
      busy: true,
      reason: /busy \(pid \d+ is changing it\)/,
    });
    // Told the machine will not run on, it gives the refusal.
    expect(await inspector.inspectSettled(view, async () => false)).toEqual(refused);
    const runs: number[] = [];
    const runOn = async (): Promise<boolean> => {
      runs.push(host.machine.clock.now);
      host.runUntil(host.machine.clock.now + 1_000_000);
      return true;
    };
    const answer = await inspector.inspectSettled(view, runOn);
    expect(answer.ok).toBe(true);
    expect(runs.length).toBeGreaterThan(0);
  });

  it('answers "no kernel" before any machine linked it', () => {
    expect(new KernelInspector().inspect({ view: 'memory-map' })).toMatchObject({
      ok: false,
      reason: 'no kernel is running',
    });
  });
});
