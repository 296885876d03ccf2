/**
 * Recording scripts and the network link: `link loss=20% delay=30ms`
 * changes the cable's conditions from that step on (only the named ones),
 * `link ideal` restores a perfect one, and a lossy link shows in what the
 * recorded commands print.
 */
import { describe, expect, it } from 'vitest';
import { parseScript, ScriptError } from '../../src/nex/script';
import { recordScript } from '../../src/runtime/node/script-runner';
import { bootFromRepo } from '../../src/runtime/node/node-host';

describe('the link step', () => {
  it('parses every setting with its unit, and ideal', () => {
    const { steps } = parseScript(
      'link loss=20% dup=1.5% reorder=5%\nlink delay=30ms bandwidth=512kbps # slow\nlink ideal\n',
    );
    expect(steps.map((s) => s.kind === 'link' && s.conditions)).toEqual([
      { lossPercent: 20, duplicatePercent: 1.5, reorderPercent: 5 },
      { delayMs: 30, bandwidthKbps: 512 },
      { lossPercent: 0, duplicatePercent: 0, reorderPercent: 0, delayMs: 0, bandwidthKbps: 0 },
    ]);
  });

  it('refuses unknown settings, missing units and a bare link, naming the line', () => {
    expect(() => parseScript('prompt\nlink jitter=3ms\n')).toThrow(/script line 2: .*loss=20%/);
    expect(() => parseScript('link loss=20\n')).toThrow(ScriptError);
    expect(() => parseScript('link delay=30%\n')).toThrow(ScriptError);
    expect(() => parseScript('link\n')).toThrow(/needs an argument/);
  });

  it('takes effect on the machine: a delayed link slows ping down', () => {
    const session = recordScript(
      parseScript('prompt\nrun dhcp\nlink delay=40ms\nrun ping 10.0.2.2 1\n'),
      bootFromRepo,
    );
    const text = session.events
      .filter((e) => e.kind === 'output')
      .map((e) => new TextDecoder().decode((e as { data: Uint8Array }).data))
      .join('');
    const rtt = /time=([\d.]+) ms/.exec(text);
    expect(rtt, text).not.toBeNull();
    expect(Number(rtt![1])).toBeGreaterThanOrEqual(80);
  });
});
