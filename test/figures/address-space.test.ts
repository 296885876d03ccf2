/**
 * The address-space figure (Paging chapter): its data is what `vm` prints,
 * it follows the reader's last `vm`, and its SVG is a golden file drawn from
 * init's areas captured from a Node boot (fixtures/address-space.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addressSpaceFigure } from '../../src/figures/address-space';
import { hex } from '../../src/kernel/lib/format';
import type { AddressSpaceView } from '../../src/kernel/proc/memory-views';
import { readFixture, shapeOf } from './fixtures';
import { InspectedMachine, BOOT_TIMEOUT_MS } from '../support/inspected-machine';

const init = readFixture<AddressSpaceView>('address-space');
const context = { id: 'fig-address-space', uptimeMicros: 3_000_000 };

describe('address-space view', () => {
  let machine: InspectedMachine;
  beforeAll(() => {
    machine = new InspectedMachine();
  }, BOOT_TIMEOUT_MS);

  it('has the shape of the fixture the golden figure is drawn from', () => {
    expect(shapeOf(machine.view('address-space', { pid: 1 }))).toEqual(shapeOf(init));
  });

  it('holds what vm prints: every area, its rights and its mapped pages', () => {
    const view = machine.view<AddressSpaceView>('address-space', { pid: 1 });
    const text = machine.command('vm 1');
    for (const area of view.areas) {
      expect(text).toContain(
        `${hex(area.start, 8)}  ${hex(area.end, 8)}  ${area.rights.padEnd(6)}  ${area.kind.padEnd(6)}  ${String(area.mapped).padStart(5)} of ${area.pages}`,
      );
    }
    expect(text).toContain(`${view.pagesInTables} in the page tables`);
  });

  it('follows the reader: after vm of another process, it shows that one', () => {
    machine.command('spin &');
    const pid = Number(/^ +(\d+) .*spin/m.exec(machine.command('ps'))?.[1]);
    machine.command(`vm ${pid}`);
    const view = machine.view<AddressSpaceView>('address-space', { pid: 1 });
    expect(view.owner.pid).toBe(pid);
    expect(view.owner.name).toContain('spin');
  });
});

describe('address-space figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(addressSpaceFigure(init, context).svg).toMatchFileSnapshot(
      'golden/address-space.svg',
    );
  });

  it('has a part per area and writes the gaps between them', () => {
    const { svg } = addressSpaceFigure(init, context);
    expect(svg.match(/class="cf-part"/g)).toHaveLength(init.areas.length);
    expect(svg).toContain('not in any area');
  });

  it('says in words what each area is and how much of it is mapped', () => {
    const { alt } = addressSpaceFigure(init, context);
    expect(alt).toContain('stack rw-: 1 of 2048 pages mapped');
    expect(alt).toContain('code r-x');
  });
});
