/**
 * The damage of the desktop's last frames (GUI chapter), drawn from a
 * fixture of the chapter's desktop after three windows were launched.
 */
import { describe, expect, it } from 'vitest';
import { desktopDamageFigure } from '../../src/figures/desktop-damage';
import type { DamageSnapshot } from '../../src/kernel/gui/desktop-inspect';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, GUI, liveView, partDetails } from './net-figures';

const damage = readFixture<DamageSnapshot>('desktop-damage');
const context = { ...GOLDEN_CONTEXT, id: 'fig-desktop-damage' };

describe('desktop-damage figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(desktopDamageFigure(damage, context).svg).toMatchFileSnapshot(
      'golden/desktop-damage.svg',
    );
  });

  it('draws one focusable thumbnail per frame, the first one the whole screen', () => {
    const details = partDetails(desktopDamageFigure(damage, context).svg);
    expect(details).toHaveLength(damage.frames.length);
    expect(details[0]).toBe(
      'frame 1: 786432 px (100.0% of the screen) in 1 rectangle(s): 0,0 1024x768',
    );
  });

  it('draws a thin rectangle at least visible, and lays frames out four to a row', () => {
    const thin = {
      ...damage,
      frames: Array.from({ length: 5 }, (_, i) => ({
        number: i + 1,
        pixels: 1024,
        rects: [{ x: 0, y: i, width: 1024, height: 1 }],
      })),
    };
    const { svg } = desktopDamageFigure(thin, context);
    expect(svg).toContain('height="1.5"');
    expect(svg).toContain('>frame 5: 1024 px</text>');
  });

  it('says in words what it shows, and explains a machine without a desktop', () => {
    expect(desktopDamageFigure(damage, context).alt).toMatch(
      /^The rectangles the desktop repainted in its last 4 frames that changed the screen \(1024x768\), oldest first: frame 1, 786432 pixels in 0,0 1024x768; /,
    );
    expect(desktopDamageFigure(null, context).svg).toContain('No desktop is running');
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(GUI, 'desktop-damage'))).toEqual(shapeOf(damage));
  }, 60_000);
});
