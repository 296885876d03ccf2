/**
 * The ready queues figure (Scheduler chapter): its data is the scheduler's
 * queues as `ps` sees their tasks, and its SVG is a golden file drawn from
 * data captured from a Node boot that typed the chapter's script
 * (fixtures/run-queues.json: two spins at priority 2, one niced to 4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type RunQueues, runQueuesFigure } from '../../src/figures/run-queues';
import { CHAPTER_SCRIPTS } from './fs-sched-scripts';
import { InspectedMachine } from '../support/inspected-machine';
import { readFixture, shapeOf } from './fixtures';

const fixture = readFixture<RunQueues>('run-queues');
/** Booting the book's machine and typing the script, on a loaded machine. */
const BOOT_MS = 60_000;
const context = { id: 'fig-queues', uptimeMicros: 1_234_567 };

describe('run-queues view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
    for (const line of CHAPTER_SCRIPTS.scheduler) machine.command(line);
  }, BOOT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('run-queues'))).toEqual(shapeOf(fixture));
  });

  it('holds the ready tasks `ps` shows, each in the queue of its level', () => {
    const queues = machine.view<RunQueues>('run-queues');
    expect(queues.levels.map((q) => q.level)).toEqual([0, 1, 2, 3, 4]);
    const ready = queues.levels.flatMap((q) => q.tasks.map((t) => ({ ...t, level: q.level })));
    const ps = machine.command('ps');
    for (const task of ready) {
      expect(ps).toMatch(new RegExp(`^ +${task.pid} +\\d+ +${task.priority} +R `, 'm'));
      expect(task.level).toBeLessThanOrEqual(task.priority);
    }
    expect(ready.filter((t) => t.name === 'spin').length).toBeGreaterThanOrEqual(2);
    expect(queues.agingTicks).toBe(100);
  });

  it('taking it changes nothing in the machine', () => {
    const before = machine.host.stateDigest();
    machine.view('run-queues');
    expect(machine.host.stateDigest()).toBe(before);
  });
});

describe('run-queues figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(runQueuesFigure(fixture, context).svg).toMatchFileSnapshot(
      'golden/run-queues.svg',
    );
  });

  it('has a part for each ready task, and marks the one that runs next', () => {
    const { svg } = runQueuesFigure(fixture, context);
    const tasks = fixture.levels.flatMap((q) => q.tasks);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(tasks.length);
    expect(svg.match(/aria-label="[^"]*; it runs next"/g)).toHaveLength(1);
  });

  it('says in words what it shows, and that empty queues mean the idle loop', () => {
    expect(runQueuesFigure(fixture, context).alt).toContain('The scheduler runs pid');
    const empty = {
      agingTicks: 100,
      levels: [0, 1, 2, 3, 4].map((level) => ({ level, tasks: [] })),
    };
    expect(runQueuesFigure(empty, context).alt).toContain('the idle loop runs');
  });
});
