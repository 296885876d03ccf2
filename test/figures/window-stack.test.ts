/**
 * The window stack figure (GUI chapter), drawn from a fixture of the
 * chapter's desktop after `launch terminal`, `launch files` and `launch sysinfo`.
 */
import { describe, expect, it } from 'vitest';
import { windowStackFigure } from '../../src/figures/window-stack';
import type { WindowStackSnapshot } from '../../src/kernel/gui/desktop-inspect';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, GUI, liveView, partDetails } from './net-figures';

const stack = readFixture<WindowStackSnapshot>('window-stack');
const context = { ...GOLDEN_CONTEXT, id: 'fig-window-stack' };

describe('window-stack figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(windowStackFigure(stack, context).svg).toMatchFileSnapshot(
      'golden/window-stack.svg',
    );
  });

  it('paints the windows bottom first, then the taskbar and the pointer, and lists them top first', () => {
    const details = partDetails(windowStackFigure(stack, context).svg);
    expect(details.slice(0, 3)).toEqual([
      'window 1 Terminal: 650x417 at 48,32, visible',
      'window 2 Files: /home/reader: 462x385 at 76,60, visible',
      'window 3 System Info: 442x275 at 104,88, has the keyboard',
    ]);
    expect(details[3]).toMatch(/^the taskbar: 1024x28 at 0,740/);
    expect(details[4]).toBe('pointer at 0,0, over the desktop background');
    expect(details[5]).toMatch(/^hit test tries window 3 System Info in place 2: /);
  });

  it('leaves a minimised window off the screen but in the list, and says so', () => {
    const minimised = {
      ...stack,
      windows: stack.windows.map((w, i) => (i === 1 ? { ...w, minimised: true } : w)),
    };
    const figure = windowStackFigure(minimised, context);
    expect(partDetails(figure.svg)).not.toContain(
      'window 2 Files: /home/reader: 462x385 at 76,60, visible',
    );
    expect(figure.alt).toContain(
      'window 2 Files: /home/reader, 462x385 at 76,60, minimised: not drawn, never hit',
    );
  });

  it('says in words what it shows, and explains a machine without a desktop', () => {
    expect(windowStackFigure(stack, context).alt).toMatch(
      /^The 1024x768 desktop with 3 windows, top first: 1\. window 3 System Info, 442x275 at 104,88, has the keyboard; /,
    );
    expect(windowStackFigure(null, context).alt).toBe(
      'No desktop is running (run desktop, or boot with gui).',
    );
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(GUI, 'window-stack'))).toEqual(shapeOf(stack));
  }, 60_000);
});
