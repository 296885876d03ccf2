/** The boot's stages read back from the kernel log's messages. */
import { describe, expect, it } from 'vitest';
import { bootStages } from '../../../src/kernel/lib/boot-stages';
import type { LogEntry } from '../../../src/kernel/lib/klog';

const entry = (micros: number, subsystem: string, message = `${subsystem} message`): LogEntry => ({
  micros,
  subsystem,
  message,
});

describe('bootStages', () => {
  it('makes a stage of each run of messages from one subsystem', () => {
    const view = bootStages(
      [
        entry(0, 'serial'),
        entry(0, 'boot', 'first'),
        entry(0, 'boot'),
        entry(5, 'pit'),
        entry(9, 'init'),
      ],
      0,
    );
    expect(view.stages).toEqual([
      {
        subsystem: 'serial',
        startMicros: 0,
        lastMicros: 0,
        messages: 1,
        firstMessage: 'serial message',
      },
      { subsystem: 'boot', startMicros: 0, lastMicros: 0, messages: 2, firstMessage: 'first' },
      { subsystem: 'pit', startMicros: 5, lastMicros: 5, messages: 1, firstMessage: 'pit message' },
      {
        subsystem: 'init',
        startMicros: 9,
        lastMicros: 9,
        messages: 1,
        firstMessage: 'init message',
      },
    ]);
    expect(view.complete).toBe(true);
  });

  it('ends at init: what the kernel logs later is not the boot', () => {
    const view = bootStages([entry(0, 'serial'), entry(9, 'init'), entry(20, 'dhcp')], 0);
    expect(view.stages.map((stage) => stage.subsystem)).toEqual(['serial', 'init']);
  });

  it('says when the boot has not reached init, and when the log lost its start', () => {
    expect(bootStages([entry(0, 'serial'), entry(3, 'mm')], 0).complete).toBe(false);
    expect(bootStages([], 0)).toEqual({ stages: [], complete: false, truncated: false });
    expect(bootStages([entry(3, 'mm')], 7).truncated).toBe(true);
  });
});
