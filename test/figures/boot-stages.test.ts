/**
 * The boot timeline figure (Boot chapter): its stages are the kernel log's
 * runs of messages, with the times `dmesg` prints; its SVG is a golden file
 * drawn from stages captured from a Node boot (fixtures/boot-stages.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bootStagesFigure } from '../../src/figures/boot-stages';
import type { BootStagesView } from '../../src/kernel/lib/boot-stages';
import { formatSeconds, pad } from '../../src/kernel/lib/format';
import { readFixture, shapeOf } from './fixtures';
import { InspectedMachine, BOOT_TIMEOUT_MS } from '../support/inspected-machine';

const stages = readFixture<BootStagesView>('boot-stages');
const context = { id: 'fig-boot-stages', uptimeMicros: 2_500_000 };

describe('boot-stages view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
  }, BOOT_TIMEOUT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('boot-stages'))).toEqual(shapeOf(stages));
  });

  it('starts each stage with a line dmesg prints, at the same time', () => {
    const view = machine.view<BootStagesView>('boot-stages');
    const dmesg = machine.command('dmesg');
    for (const stage of view.stages) {
      const stamp = `[${pad(formatSeconds(stage.startMicros), 12)}]`;
      expect(dmesg).toContain(`${stamp} ${stage.subsystem}: ${stage.firstMessage}\n`);
    }
    const lines = dmesg.split('\n').filter((line) => line.startsWith('['));
    const total = view.stages.reduce((sum, stage) => sum + stage.messages, 0);
    expect(lines.slice(0, total).at(-1)).toMatch(/\] init: /);
  });

  it('runs from the serial port to init, in time order, and is complete once booted', () => {
    const view = machine.view<BootStagesView>('boot-stages');
    expect(view.complete).toBe(true);
    expect(view.truncated).toBe(false);
    expect(view.stages[0]?.subsystem).toBe('serial');
    expect(view.stages.at(-1)?.subsystem).toBe('init');
    const starts = view.stages.map((stage) => stage.startMicros);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('stays the same while the machine runs on: the boot is over', () => {
    const before = machine.view('boot-stages');
    machine.command('ls /bin');
    expect(machine.view('boot-stages')).toEqual(before);
  });
});

describe('boot-stages figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(bootStagesFigure(stages, context).svg).toMatchFileSnapshot(
      'golden/boot-stages.svg',
    );
  });

  it('has a row to point at for each stage, naming its first message', () => {
    const { svg } = bootStagesFigure(stages, context);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(stages.stages.length);
    expect(svg).toContain('pid 1: exec /bin/init');
  });

  it('says in words when each stage started', () => {
    const figure = bootStagesFigure(stages, context);
    expect(figure.alt).toContain(`${stages.stages.length} stages from serial to init`);
    expect(figure.alt).toMatch(/pit at 0\.\d{3} ms/);
    expect(figure.caption).toContain('t = 2.500 s');
  });
});
