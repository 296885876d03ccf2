/**
 * Exercise gui/clamp-drag: where a dragged window may go, moveTo().
 *
 * The checks boot the desktop on the reader's moveTo, open a window from the
 * shell (`launch`), drag its title bar towards and past each edge of the
 * screen at seeded positions, and read where it ended up with `windows`.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { randomBelow } from '../../machine-text';
import {
  bootDesktop,
  describeStack,
  drag,
  launch,
  SCREEN,
  TASKBAR_HEIGHT,
  TITLE_BAR_HEIGHT,
  type WindowRow,
  windowStack,
} from '../gui-checks';
import { starter } from './starter';

/** From window-manager.ts: how much of a window must stay on the desktop, left and right. */
const KEEP_VISIBLE = 48;
const DESKTOP_HEIGHT = SCREEN.height - TASKBAR_HEIGHT;

function between(low: number, high: number): number {
  return low + randomBelow(high - low + 1);
}

/** Drag `window` by its title bar, grabbed `grab` pixels from its top-left corner, so the pointer ends at `to`. */
async function dragWindow(
  machine: ExerciseMachine,
  window: WindowRow,
  grab: { x: number; y: number },
  to: { x: number; y: number },
): Promise<WindowRow> {
  await drag(machine, { x: window.x + grab.x, y: window.y + grab.y }, to);
  const stack = await windowStack(machine);
  const moved = stack.find((w) => w.id === window.id);
  if (!moved) throw new Error(`The window disappeared after a drag: ${describeStack(stack)}.`);
  return moved;
}

function expectAt(
  window: WindowRow,
  x: number,
  y: number,
  what: string,
  to: { x: number; y: number },
): void {
  if (window.x === x && window.y === y) return;
  throw new Error(
    `${what}: with the pointer released at (${to.x}, ${to.y}), the window should be at ${x},${y}; it is at ${window.x},${window.y} (the desktop is ${SCREEN.width}x${DESKTOP_HEIGHT} above the taskbar, the window ${window.width}x${window.height}).`,
  );
}

/** Boot into the desktop and open a Terminal window. */
async function terminal(machine: ExerciseMachine): Promise<WindowRow> {
  await bootDesktop(machine);
  return launch(machine, 'terminal');
}

const checks: Check[] = [
  {
    name: 'the title bar stays between the top of the screen and the taskbar',
    async run(machine) {
      const window = await terminal(machine);
      const grab = { x: between(100, 300), y: between(8, 20) };
      const low = { x: between(300, 600), y: SCREEN.height - 1 - randomBelow(6) };
      const lowered = await dragWindow(machine, window, grab, low);
      expectAt(
        lowered,
        low.x - grab.x,
        DESKTOP_HEIGHT - TITLE_BAR_HEIGHT,
        'Dragged down to the taskbar, the title bar must stay above it (y at most desktop height − TITLE_BAR_HEIGHT)',
        low,
      );
      const high = { x: between(300, 600), y: randomBelow(4) };
      const raised = await dragWindow(machine, lowered, grab, high);
      expectAt(
        raised,
        high.x - grab.x,
        0,
        'Dragged up to the top of the screen, the title bar must not go above it (y at least 0)',
        high,
      );
    },
  },
  {
    name: 'some of the window stays on screen on the left and the right',
    async run(machine) {
      const window = await terminal(machine);
      const y = between(8, 20);
      const nearLeft = { x: between(2, 6), y };
      const right = { x: SCREEN.width - 1 - randomBelow(4), y: between(100, 400) };
      const pushed = await dragWindow(machine, window, nearLeft, right);
      expectAt(
        pushed,
        SCREEN.width - KEEP_VISIBLE,
        right.y - y,
        `Dragged to the right edge, at least KEEP_VISIBLE (${KEEP_VISIBLE}) pixels of the window must stay on the desktop`,
        right,
      );
      // Back to the middle, with the right end of the title bar on screen; grab it there.
      const back = await dragWindow(machine, pushed, nearLeft, {
        x: nearLeft.x + between(100, 300),
        y: right.y,
      });
      const nearRight = { x: back.width - between(2, 6), y };
      const left = { x: randomBelow(4), y: between(100, 400) };
      const pulled = await dragWindow(machine, back, nearRight, left);
      expectAt(
        pulled,
        KEEP_VISIBLE - pulled.width,
        left.y - y,
        `Dragged to the left edge, at least KEEP_VISIBLE (${KEEP_VISIBLE}) pixels of the window must stay on the desktop`,
        left,
      );
    },
  },
];

export const exercise: Exercise = {
  id: 'gui/clamp-drag',
  title: 'Clamp a dragged window',
  file: 'src/kernel/gui/window-manager.ts',
  region: 'clamp-drag',
  statement: `
A window dragged by its title bar follows the pointer — but not anywhere. If the title bar
went under the taskbar or above the screen, or the window slid almost entirely off one side,
there would be nothing left to grab, and the window would be lost.

Write \`moveTo(window, x, y)\` in \`src/kernel/gui/window-manager.ts\`: move the window's top-left
corner to (x, y), but clamp x so that \`KEEP_VISIBLE\` pixels of the window stay on the desktop on
either side, and y so that the whole title bar stays between the top of the screen and the
taskbar (\`this.desktopArea\` is the screen above the taskbar). Give the result to \`setFrame\`,
which records the damage.

The checks open a Terminal (\`launch terminal\`), drag it past each edge of the screen with the
mouse, and read its frame with \`windows\`.
`.trim(),
  starter,
  checks,
};
