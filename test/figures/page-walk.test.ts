/**
 * The page-table walk figure (Paging chapter): its data is what `walk`
 * prints, it follows the reader's last `walk`, and its SVG is a golden file
 * drawn from walks captured from a Node boot (fixtures/page-walk*.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pageWalkFigure } from '../../src/figures/page-walk';
import { hex } from '../../src/kernel/lib/format';
import type { PageWalkView } from '../../src/kernel/proc/memory-views';
import { readFixture, shapeOf } from './fixtures';
import { InspectedMachine, BOOT_TIMEOUT_MS } from '../support/inspected-machine';

const mapped = readFixture<PageWalkView>('page-walk');
const fault = readFixture<PageWalkView>('page-walk-fault');
const context = { id: 'fig-page-walk', uptimeMicros: 3_000_000 };
const CODE = { pid: 1, address: '0x10000' };

describe('page-walk view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
  }, BOOT_TIMEOUT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('page-walk', CODE))).toEqual(shapeOf(mapped));
  });

  it('holds what walk prints: each entry read, and the physical address', () => {
    const view = machine.view<PageWalkView>('page-walk', CODE);
    const text = machine.command('walk 1 0x10000');
    for (const step of view.steps) {
      expect(text).toContain(`${step.level.padEnd(5)}  ${hex(step.table, 8)}`);
      expect(text).toContain(`${step.raw}  ${step.flags.join(' ')}`);
    }
    expect(text).toContain(`= physical ${hex(view.translation!.physical)} (user read-only)`);
  });

  it('takes the indices from the address bits', () => {
    machine.command('walk 1 0x7f80_1234');
    const view = machine.view<PageWalkView>('page-walk', CODE);
    const address = 0x7f80_1234;
    expect(view.indices).toEqual({
      pml4: Math.floor(address / 2 ** 39) % 512,
      pdpt: Math.floor(address / 2 ** 30) % 512,
      pd: Math.floor(address / 2 ** 21) % 512,
      pt: Math.floor(address / 2 ** 12) % 512,
      offset: 0x234,
    });
    expect(view.steps.map((step) => step.index)).toEqual(
      [view.indices.pml4, view.indices.pdpt, view.indices.pd, view.indices.pt].slice(
        0,
        view.steps.length,
      ),
    );
  });

  it('follows the reader: after walk of another address, it shows that one', () => {
    machine.command('walk 1 0x11000');
    const view = machine.view<PageWalkView>('page-walk', CODE);
    expect(view.address).toBe(0x11000);
  });

  it('refuses a process that does not exist, saying so', () => {
    const fresh = new InspectedMachine();
    expect(() => fresh.view('page-walk', { pid: 99, address: 0 })).toThrow(/no user process 99/);
  });
});

describe('page-walk figure', () => {
  it('draws the golden SVGs of a mapped address and of a page fault', async () => {
    await expect(pageWalkFigure(mapped, context).svg).toMatchFileSnapshot('golden/page-walk.svg');
    await expect(pageWalkFigure(fault, context).svg).toMatchFileSnapshot(
      'golden/page-walk-fault.svg',
    );
  });

  it('shows each entry with its flags as a part to point at', () => {
    const { svg } = pageWalkFigure(mapped, context);
    for (const step of mapped.steps) {
      expect(svg).toContain(`${step.level}[${step.index}] = ${step.raw}: ${step.flags.join(' ')}`);
    }
  });

  it('says in words how the address splits and where the walk ends', () => {
    expect(pageWalkFigure(mapped, context).alt).toContain('PT index 16 (bits 20 to 12)');
    expect(pageWalkFigure(fault, context).alt).toContain('page fault (#PF, vector 14)');
    expect(pageWalkFigure(fault, context).svg).toContain('not reached');
  });
});
