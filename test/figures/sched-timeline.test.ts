/**
 * The scheduler timeline figure (Scheduler chapter): its data is the ticks
 * the `sched` command prints, and its SVG is a golden file drawn from data
 * captured from a Node boot that typed the chapter's script
 * (fixtures/sched-timeline.json: three spins, the third niced to 4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type SchedTimeline, schedTimelineFigure } from '../../src/figures/sched-timeline';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';

const fixture = readFixture<SchedTimeline>('sched-timeline');
/** Booting the book's machine and typing the script, on a loaded machine. */
const BOOT_MS = 60_000;
const context = { id: 'fig-sched', uptimeMicros: 1_234_567 };

describe('sched-timeline view', () => {
  let machine: InspectedMachine;
  let schedText: string;
  beforeAll(() => {
    machine = new InspectedMachine();
    const lines = [...CHAPTER_SCRIPTS.scheduler];
    for (const line of lines.slice(0, -1)) machine.command(line);
    schedText = machine.command(lines.at(-1)!);
  }, BOOT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('sched-timeline', { ticks: 300 }))).toEqual(shapeOf(fixture));
  });

  it('shows the tasks `sched` printed, with their names and priorities', () => {
    const view = machine.view<SchedTimeline>('sched-timeline', { ticks: 300 });
    expect(view.pids).toHaveLength(300);
    expect(view.to - view.from + 1).toBe(300);
    const rows = [...schedText.matchAll(/^ +(\d+) (\S+) \(pri (\d)\)/gm)].map((m) => [
      Number(m[1]),
      m[2],
      Number(m[3]),
    ]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const [pid, name, priority] of rows) {
      const task = view.tasks.find((t) => t.pid === pid);
      expect(task, `pid ${pid}`).toMatchObject({ name, priority });
    }
    expect(view.tasks.reduce((sum, t) => sum + t.ticks, 0)).toBe(300);
  });

  it('records how the spins took turns: whole quanta, each ended by preemption', () => {
    const view = machine.view<SchedTimeline>('sched-timeline', { ticks: 300 });
    const spins = view.tasks.filter((t) => t.name === 'spin' && t.priority === 2);
    expect(spins).toHaveLength(2);
    const whole = spins.flatMap((t) => t.slices).filter((s) => s.start > 0 && s.end !== null);
    expect(whole.length).toBeGreaterThan(20);
    for (const slice of whole) {
      expect(slice).toMatchObject({ end: 'preempted', length: view.quantumTicks });
      expect(slice.quantumEnds).toEqual([slice.start + slice.length - 1]);
    }
  });

  it('a spin started later appears on the timeline', () => {
    machine.command('spin 50 D &');
    machine.command('sched 100');
    const view = machine.view<SchedTimeline>('sched-timeline', { ticks: 150 });
    expect(view.tasks.filter((t) => t.name === 'spin').length).toBeGreaterThanOrEqual(3);
  });

  it('taking it changes nothing in the machine; a bad count is refused', () => {
    const before = machine.host.stateDigest();
    machine.view('sched-timeline');
    expect(machine.host.stateDigest()).toBe(before);
    expect(() => machine.view('sched-timeline', { ticks: 'many' })).toThrow(
      /argument 'ticks' must be a whole number/,
    );
  });
});

describe('sched-timeline figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(schedTimelineFigure(fixture, context).svg).toMatchFileSnapshot(
      'golden/sched-timeline.svg',
    );
  });

  it('has a part for every slice, and marks each quantum used up', () => {
    const { svg } = schedTimelineFigure(fixture, context);
    const slices = fixture.tasks.flatMap((t) => t.slices);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(slices.length);
    const quantumEnds = slices.reduce((sum, s) => sum + s.quantumEnds.length, 0);
    // One ▽ per quantum used up, and one more in the legend.
    expect(svg.match(/class="cf-axis cf-quantum"/g)).toHaveLength(quantumEnds + 1);
    expect(svg).toContain('one quantum: 10 ticks');
  });

  it('tells an aged slice from the task’s own level', () => {
    const { svg } = schedTimelineFigure(fixture, context);
    expect(svg).toMatch(
      /pid 8 spin: ticks \d+–\d+ \(\d+ ms\), at level 2 \(raised by aging from 4\)/,
    );
  });

  it('says in words what it shows, and names its source and time', () => {
    const figure = schedTimelineFigure(fixture, context);
    expect(figure.alt).toContain('pid 6 spin (priority 2) ran');
    expect(figure.alt).toContain('The quantum is 10 ticks.');
    expect(figure.caption).toContain(`ticks ${fixture.from} to ${fixture.to}`);
    expect(figure.caption).toContain('t = 1.234 s');
  });
});
