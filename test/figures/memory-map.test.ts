/**
 * The physical memory map figure (Boot chapter): its data is what `mem`
 * prints, and its SVG is a golden file drawn from data captured from a Node
 * boot (fixtures/memory-map.json), so the kernel's image growing does not move
 * it; the data's shape is checked against today's kernel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryMapFigure } from '../../src/figures/memory-map';
import { hex } from '../../src/kernel/lib/format';
import type { PhysicalMemoryView } from '../../src/kernel/mm/physical-memory-view';
import { readFixture, shapeOf } from './fixtures';
import { InspectedMachine, BOOT_TIMEOUT_MS } from '../support/inspected-machine';

const fixture = readFixture<PhysicalMemoryView>('memory-map');
const context = { id: 'fig-memory-map', uptimeMicros: 1_234_567 };

describe('memory-map view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
  }, BOOT_TIMEOUT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('memory-map'))).toEqual(shapeOf(fixture));
  });

  it('holds what mem prints: every range, the frame and heap counts', () => {
    const view = machine.view<PhysicalMemoryView>('memory-map');
    const text = machine.command('mem');
    for (const region of view.regions) {
      expect(text).toContain(
        `[${hex(region.base, 16)}-${hex(region.base + region.length - 1, 16)}] ${region.type}`,
      );
    }
    expect(text.match(/^ {2}\[/gm)).toHaveLength(view.regions.length);
    expect(text).toContain(
      `frames:   ${view.frames.total} of 4 KiB: ${view.frames.used} used, ${view.frames.free} free`,
    );
    expect(text).toMatch(new RegExp(`in ${view.heap.allocations} blocks`));
  });

  it('sums the bitmap up in runs that add up to the used frames of available RAM', () => {
    const view = machine.view<PhysicalMemoryView>('memory-map');
    const runFrames = view.frames.usedRuns.reduce(
      (sum, run) => sum + (run.end - run.start) / view.frames.frameSize,
      0,
    );
    expect(runFrames).toBe(view.frames.used);
    const heapRun = view.frames.usedRuns.find((run) => run.start === view.heap.start);
    expect(heapRun?.end).toBe(view.heap.start + view.heap.sizeBytes);
  });

  it('taking the view changes nothing in the machine', () => {
    const before = machine.host.stateDigest();
    machine.view('memory-map');
    expect(machine.host.stateDigest()).toBe(before);
  });
});

describe('memory-map figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    const figure = memoryMapFigure(fixture, context);
    await expect(figure.svg).toMatchFileSnapshot('golden/memory-map.svg');
  });

  it('has a part to point at for each range, hole, run of frames and boot reservation', () => {
    const { svg } = memoryMapFigure(fixture, context);
    const parts = svg.match(/class="cf-part"/g) ?? [];
    // Both bars show the ranges, holes and runs they cross; the reservations appear once.
    expect(parts.length).toBeGreaterThanOrEqual(
      fixture.regions.length + fixture.frames.usedRuns.length + fixture.reservedAtBoot.length,
    );
    expect(svg).toContain('[0x000000000009fc00-0x000000000009ffff] reserved, 1 KiB');
    expect(svg).toContain('not in the map');
  });

  it('says in words what it shows, and names its source and time', () => {
    const figure = memoryMapFigure(fixture, context);
    expect(figure.alt).toContain('4 ranges from the boot loader');
    expect(figure.alt).toContain(`${fixture.frames.used} of ${fixture.frames.total} frames`);
    expect(figure.caption).toContain('t = 1.234 s');
    expect(figure.caption).not.toMatch(/\.$/);
  });
});
