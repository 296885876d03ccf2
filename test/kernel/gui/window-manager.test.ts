import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../../src/kernel/drivers/ps2-keyboard';
import { MOUSE_BUTTON_LEFT, MOUSE_BUTTON_RIGHT } from '../../../src/kernel/drivers/ps2-mouse';
import type { App, AppMouseEvent } from '../../../src/kernel/gui/app';
import { containsPoint, rect, union, type Rect } from '../../../src/kernel/gui/rect';
import type { Surface } from '../../../src/kernel/gui/surface';
import { TASKBAR_HEIGHT } from '../../../src/kernel/gui/taskbar';
import {
  MIN_WINDOW_HEIGHT,
  MIN_WINDOW_WIDTH,
  TITLE_BAR_HEIGHT,
  buttonCentre,
  type Window,
  type WindowButton,
} from '../../../src/kernel/gui/window';
import { WindowManager } from '../../../src/kernel/gui/window-manager';
import { containsRect, shippedFont } from './helpers';

const WIDTH = 800;
const HEIGHT = 600;
const LEFT = MOUSE_BUTTON_LEFT;

class TestApp implements App {
  readonly keys: KeyEvent[] = [];
  readonly mouse: AppMouseEvent[] = [];
  draws = 0;
  constructor(
    public title: string,
    private readonly colour = 0x336699,
  ) {}
  draw(surface: Surface): void {
    this.draws++;
    surface.fillRect(surface.bounds, this.colour);
  }
  onKey(event: KeyEvent): boolean {
    this.keys.push(event);
    return true;
  }
  onMouse(event: AppMouseEvent): boolean {
    this.mouse.push(event);
    return event.kind !== 'move';
  }
}

function key(char: string): KeyEvent {
  return {
    key: `Key${char.toUpperCase()}`,
    pressed: true,
    char,
    shift: false,
    ctrl: false,
    alt: false,
  };
}

function setup() {
  const wm = new WindowManager(WIDTH, HEIGHT, shippedFont());
  const a = new TestApp('Alpha');
  const b = new TestApp('Beta');
  const alpha = wm.open(a, rect(100, 100, 300, 200));
  const beta = wm.open(b, rect(250, 150, 300, 200)); // on top, overlapping alpha's bottom right
  wm.takeDamage();
  const click = (x: number, y: number, buttons = LEFT) => {
    wm.pointerTo(x, y, 0);
    wm.pointerTo(x, y, buttons);
    wm.pointerTo(x, y, 0);
  };
  const drag = (fromX: number, fromY: number, toX: number, toY: number) => {
    wm.pointerTo(fromX, fromY, 0);
    wm.pointerTo(fromX, fromY, LEFT);
    wm.pointerTo(toX, toY, LEFT);
    wm.pointerTo(toX, toY, 0);
  };
  const pressButton = (window: Window, button: WindowButton) => {
    const centre = buttonCentre(button);
    click(window.frame.x + centre.x, window.frame.y + centre.y);
  };
  return { wm, a, b, alpha, beta, click, drag, pressButton };
}

/** Every pixel of `area` lies in some damage rectangle. */
function covered(damage: readonly Rect[], area: Rect): boolean {
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let x = area.x; x < area.x + area.width; x++) {
      if (!damage.some((d) => containsPoint(d, x, y))) return false;
    }
  }
  return true;
}

describe('window manager', () => {
  it('starts with the whole screen damaged, for the first frame', () => {
    const wm = new WindowManager(WIDTH, HEIGHT, shippedFont());
    expect(wm.takeDamage()).toEqual([rect(0, 0, WIDTH, HEIGHT)]);
  });

  it('opens windows on top and focused, cascading when no frame is given', () => {
    const { wm, alpha, beta } = setup();
    expect(wm.windows).toEqual([alpha, beta]);
    expect(wm.focused).toBe(beta);
    expect([alpha.active, beta.active]).toEqual([false, true]);
    const first = wm.open(new TestApp('One'));
    const second = wm.open(new TestApp('Two'));
    expect(second.frame.x - first.frame.x).toBe(second.frame.y - first.frame.y);
    expect(second.frame.x).toBeGreaterThan(first.frame.x);
  });

  it('opens a window no smaller than the minimum size', () => {
    const { wm } = setup();
    const tiny = wm.open(new TestApp('Tiny'), rect(10, 10, 5, -3));
    expect(tiny.frame).toEqual(rect(10, 10, MIN_WINDOW_WIDTH, MIN_WINDOW_HEIGHT));
  });

  it('hit-tests in z-order: the topmost window under the pointer wins', () => {
    const { wm, alpha, beta } = setup();
    expect(wm.hitTest(300, 250)).toEqual({ kind: 'window', window: beta, part: 'client' });
    expect(wm.hitTest(150, 250)).toEqual({ kind: 'window', window: alpha, part: 'client' });
    expect(wm.hitTest(200, 110)).toEqual({ kind: 'window', window: alpha, part: 'title' });
    expect(wm.hitTest(50, 50)).toBeNull();
    expect(wm.hitTest(10, HEIGHT - 5)).toEqual({ kind: 'taskbar', part: { kind: 'launcher' } });
  });

  it('finds the buttons, the title bar, the resize grip, the client area and the border', () => {
    const { wm, beta } = setup();
    const { x, y, width, height } = beta.frame;
    const part = (px: number, py: number) => {
      const hit = wm.hitTest(px, py);
      return hit?.kind === 'window' ? hit.part : null;
    };
    for (const button of ['close', 'minimise', 'maximise'] as const) {
      const centre = buttonCentre(button);
      expect(part(x + centre.x, y + centre.y)).toBe(button);
    }
    expect(part(x + width / 2, y + 5)).toBe('title');
    expect(part(x + width - 2, y + height - 2)).toBe('resize');
    expect(part(x + 50, y + TITLE_BAR_HEIGHT + 10)).toBe('client');
    expect(part(x, y + 100)).toBe('border');
  });

  it('raises and focuses a window when it is clicked; the others keep their order', () => {
    const { wm, alpha, beta, click } = setup();
    click(150, 250);
    expect(wm.windows).toEqual([beta, alpha]);
    expect(wm.focused).toBe(alpha);
    expect(wm.hitTest(300, 250)).toEqual({ kind: 'window', window: alpha, part: 'client' });
    const damage = wm.takeDamage();
    expect(covered(damage, alpha.frame)).toBe(true); // uncovered parts of alpha
    expect(covered(damage, beta.titleBarRect)).toBe(true); // beta lost the focus colours
  });

  it('moves a window dragged by its title bar, damaging its old and new frame only', () => {
    const { wm, beta, drag } = setup();
    const before = beta.frame;
    drag(400, 160, 430, 180);
    const after = beta.frame;
    expect(after).toEqual(rect(280, 170, 300, 200));
    const damage = wm.takeDamage();
    expect(covered(damage, before)).toBe(true);
    expect(covered(damage, after)).toBe(true);
    for (const d of damage) expect(containsRect(union(before, after), d)).toBe(true);
  });

  it('keeps a dragged window reachable: its title bar stays on the desktop', () => {
    const { wm, beta, drag } = setup();
    drag(400, 160, 400, HEIGHT + 100);
    expect(beta.frame.y).toBe(HEIGHT - TASKBAR_HEIGHT - TITLE_BAR_HEIGHT);
    drag(400, beta.frame.y + 5, -2000, beta.frame.y + 5);
    expect(beta.frame.x + beta.frame.width).toBeGreaterThan(0);
    expect(wm.hitTest(0, beta.frame.y + 5)?.kind).toBe('window');
  });

  it('resizes from the bottom-right grip, no smaller than the minimum', () => {
    const { wm, b, beta, drag } = setup();
    const drawsBefore = b.draws;
    const corner = {
      x: beta.frame.x + beta.frame.width - 3,
      y: beta.frame.y + beta.frame.height - 3,
    };
    drag(corner.x, corner.y, corner.x + 40, corner.y + 25);
    expect(beta.frame).toEqual(rect(250, 150, 340, 225));
    expect(beta.surface.width).toBe(340);
    expect(b.draws).toBeGreaterThan(drawsBefore); // the app drew its new size
    const damage = wm.takeDamage();
    expect(covered(damage, rect(250, 150, 340, 225))).toBe(true);
    drag(beta.frame.x + 337, beta.frame.y + 222, 0, 0);
    expect([beta.frame.width, beta.frame.height]).toEqual([MIN_WINDOW_WIDTH, MIN_WINDOW_HEIGHT]);
  });

  it('closes a window with the red button and gives the focus to the next one down', () => {
    const { wm, alpha, beta, pressButton } = setup();
    pressButton(beta, 'close');
    expect(wm.windows).toEqual([alpha]);
    expect(wm.focused).toBe(alpha);
    expect(covered(wm.takeDamage(), beta.frame)).toBe(true);
    expect(wm.layers().map((l) => l.surface)).not.toContain(beta.surface);
  });

  it('minimises with the yellow button and restores from the taskbar entry', () => {
    const { wm, alpha, beta, click, pressButton } = setup();
    pressButton(beta, 'minimise');
    expect(beta.minimised).toBe(true);
    expect(wm.focused).toBe(alpha);
    expect(wm.layers()).not.toContain(beta);
    expect(wm.hitTest(300, 250)).toEqual({ kind: 'window', window: alpha, part: 'client' });
    expect(covered(wm.takeDamage(), beta.frame)).toBe(true);
    const betaEntry = { x: 4 + 64 + 8 + 144 + 70, y: HEIGHT - TASKBAR_HEIGHT / 2 }; // 2nd entry
    expect(wm.hitTest(betaEntry.x, betaEntry.y)).toEqual({
      kind: 'taskbar',
      part: { kind: 'entry', index: 1 },
    });
    click(betaEntry.x, betaEntry.y);
    expect(beta.minimised).toBe(false);
    expect(wm.focused).toBe(beta);
    expect(wm.windows[1]).toBe(beta);
  });

  it('raises a hidden window when its taskbar entry is clicked', () => {
    const { wm, alpha, click } = setup();
    click(4 + 64 + 8 + 70, HEIGHT - TASKBAR_HEIGHT / 2); // alpha's entry
    expect(wm.windows[1]).toBe(alpha);
    expect(wm.focused).toBe(alpha);
  });

  it('maximises with the green button to the desktop above the taskbar, and back', () => {
    const { wm, beta, pressButton } = setup();
    pressButton(beta, 'maximise');
    expect(beta.frame).toEqual(rect(0, 0, WIDTH, HEIGHT - TASKBAR_HEIGHT));
    expect(beta.maximised).toBe(true);
    expect(covered(wm.takeDamage(), wm.desktopArea)).toBe(true);
    pressButton(beta, 'maximise');
    expect(beta.frame).toEqual(rect(250, 150, 300, 200));
    expect(beta.maximised).toBe(false);
  });

  it('draws the window buttons in red, yellow and green while focused, grey otherwise', () => {
    const { alpha, beta } = setup();
    const colourAt = (w: Window, button: WindowButton) => {
      const { x, y } = buttonCentre(button);
      return w.surface.getPixel(x, y);
    };
    expect([
      colourAt(beta, 'close'),
      colourAt(beta, 'minimise'),
      colourAt(beta, 'maximise'),
    ]).toEqual([0xff5f57, 0xfebc2e, 0x28c840]);
    expect(colourAt(alpha, 'close')).toBe(colourAt(alpha, 'maximise'));
    expect(colourAt(alpha, 'close')).not.toBe(0xff5f57);
  });

  it('sends key events to the focused window only and damages its client area', () => {
    const { wm, a, b, beta, click } = setup();
    wm.handleKey(key('x'));
    expect(b.keys.map((k) => k.char)).toEqual(['x']);
    expect(a.keys).toEqual([]);
    expect(wm.takeDamage()).toEqual([beta.clientRect]);
    click(150, 250); // focus alpha
    wm.handleKey(key('y'));
    expect(a.keys.map((k) => k.char)).toEqual(['y']);
    click(20, 20); // the desktop: nobody has the focus
    wm.handleKey(key('z'));
    expect([a.keys.length, b.keys.length]).toEqual([1, 1]);
  });

  it('sends mouse events in client coordinates to the window under the pointer', () => {
    const { wm, a, b, alpha, beta } = setup();
    wm.pointerTo(150, 250, 0);
    wm.pointerTo(300, 250, 0);
    const alphaClient = alpha.clientRect;
    const betaClient = beta.clientRect;
    expect(a.mouse).toEqual([
      { kind: 'move', x: 150 - alphaClient.x, y: 250 - alphaClient.y, buttons: 0 },
    ]);
    expect(b.mouse).toEqual([
      { kind: 'move', x: 300 - betaClient.x, y: 250 - betaClient.y, buttons: 0 },
    ]);
    expect(wm.takeDamage()).toEqual([]); // moves that change nothing damage nothing
  });

  it('captures the mouse for the window a button was pressed in until all buttons are up', () => {
    const { wm, a, b } = setup();
    wm.pointerTo(300, 250, 0);
    wm.pointerTo(300, 250, LEFT);
    wm.pointerTo(120, 260, LEFT); // over alpha now, but beta holds the capture
    wm.pointerTo(120, 260, LEFT | MOUSE_BUTTON_RIGHT);
    wm.pointerTo(120, 260, MOUSE_BUTTON_RIGHT);
    wm.pointerTo(130, 260, MOUSE_BUTTON_RIGHT);
    wm.pointerTo(130, 260, 0);
    wm.pointerTo(140, 260, 0); // released: now alpha gets the moves
    expect(b.mouse.map((e) => e.kind)).toEqual([
      'move',
      'down',
      'move',
      'down',
      'up',
      'move',
      'up',
    ]);
    expect(b.mouse.at(-1)?.buttons).toBe(0);
    expect(a.mouse.map((e) => e.kind)).toEqual(['move']);
  });

  it('moves the pointer by relative packets, kept on screen', () => {
    const { wm } = setup();
    wm.handleMouse({ dx: 30, dy: 40, buttons: 0 });
    wm.handleMouse({ dx: -10, dy: 5, buttons: 0 });
    expect(wm.pointer).toEqual({ x: 20, y: 45 });
    wm.handleMouse({ dx: -100, dy: 10_000, buttons: 0 });
    expect(wm.pointer).toEqual({ x: 0, y: HEIGHT - 1 });
  });

  it('calls the launcher when its taskbar button is clicked', () => {
    const { wm, click } = setup();
    let launched = 0;
    wm.onLauncher = () => launched++;
    click(20, HEIGHT - 10);
    expect(launched).toBe(1);
  });

  it('damages only the clock when the clock text changes, and nothing when it does not', () => {
    const { wm } = setup();
    wm.setClock('12:34');
    const damage = wm.takeDamage();
    expect(damage).toHaveLength(1);
    const clock = damage[0]!;
    expect(clock.y).toBe(HEIGHT - TASKBAR_HEIGHT);
    expect(clock.x + clock.width).toBe(WIDTH);
    expect(clock.width).toBeLessThan(100);
    wm.setClock('12:34');
    expect(wm.takeDamage()).toEqual([]);
  });

  it('repaints a whole window and its taskbar entry when asked to (e.g. a new title)', () => {
    const { wm, b, beta } = setup();
    const draws = b.draws;
    b.title = 'Beta *';
    wm.redraw(beta);
    expect(b.draws).toBe(draws + 1);
    const damage = wm.takeDamage();
    expect(covered(damage, beta.frame)).toBe(true);
    expect(covered(damage, rect(4 + 64 + 8 + 144, HEIGHT - TASKBAR_HEIGHT + 4, 140, 20))).toBe(
      true,
    );
  });

  it('stacks the visible windows bottom first with the taskbar on top', () => {
    const { wm, alpha, beta } = setup();
    const layers = wm.layers();
    expect(layers.slice(0, 2)).toEqual([alpha, beta]);
    expect(layers[2]?.y).toBe(HEIGHT - TASKBAR_HEIGHT);
  });
});
