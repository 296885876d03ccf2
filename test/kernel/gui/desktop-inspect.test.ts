/**
 * The GUI chapter's views agree with `windows` and `damage`: the window
 * stack top first with the focus, positions and what the pointer is over,
 * and the rectangles of the last frames, on a booted desktop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DamageSnapshot, WindowStackSnapshot } from '../../../src/kernel/gui/desktop-inspect';
import { InspectedMachine } from '../../support/inspected-machine';

let machine: InspectedMachine;
beforeAll(() => {
  machine = new InspectedMachine('gui');
  machine.run('launch terminal');
  machine.run('launch sysinfo');
}, 60_000);

describe('the window stack view', () => {
  it('lists the windows top first as windows prints them, the focused one marked', () => {
    const stack = machine.view<WindowStackSnapshot>('window-stack');
    const printed = machine.run('windows').filter((line) => /^ {2}[* -] *\d+ /.test(line));
    expect(stack.windows.map((w) => w.title)).toEqual(['System Info', 'Terminal']);
    expect(printed).toHaveLength(stack.windows.length);
    stack.windows.forEach((window, i) => {
      const row = /^ {2}([* -]) *(\d+) +(\d+) +(\d+) +(\d+) +(\d+) {2}(.*)$/.exec(printed[i]!)!;
      const { frame } = window;
      expect(row.slice(2, 7).map(Number)).toEqual([
        window.id,
        frame.x,
        frame.y,
        frame.width,
        frame.height,
      ]);
      expect(row[1] === '*').toBe(window.focused);
      expect(row[7]).toBe(window.title);
    });
    expect(stack.taskbar).toEqual({ x: 0, y: 740, width: 1024, height: 28 });
  }, 60_000);

  it('says what the pointer is over by the window manager hit test', () => {
    const stack = machine.view<WindowStackSnapshot>('window-stack');
    expect(stack.pointer).toMatchObject({ x: 0, y: 0, over: { kind: 'desktop' } });
  });
});

describe('the damage view', () => {
  it('holds the last frames with their rectangles and pixel counts, as damage prints them', () => {
    const damage = machine.view<DamageSnapshot>('desktop-damage');
    expect(damage.screen).toEqual({ width: 1024, height: 768 });
    expect(damage.frames.length).toBeGreaterThan(0);
    const printed = machine.run('damage');
    for (const frame of damage.frames) {
      const line = printed.find((l) =>
        l.startsWith(`  frame ${String(frame.number).padStart(5)}:`),
      );
      expect(line).toBeDefined();
      expect(line).toContain(`${String(frame.pixels).padStart(7)} px in ${frame.rects.length}:`);
      for (const r of frame.rects) expect(line).toContain(`${r.x},${r.y} ${r.width}x${r.height}`);
      expect(frame.pixels).toBe(frame.rects.reduce((sum, r) => sum + r.width * r.height, 0));
    }
  }, 60_000);
});
