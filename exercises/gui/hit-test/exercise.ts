/**
 * Exercise gui/hit-test: which window a click lands on, hitTest().
 *
 * The checks boot the desktop on the reader's hitTest, open two overlapping
 * windows from the shell (`launch`), click and drag with the PS/2 mouse at
 * seeded positions, and read the window stack with `windows`.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { randomBelow } from '../../machine-text';
import {
  APPS_BUTTON,
  bootDesktop,
  describeStack,
  drag,
  launch,
  type WindowRow,
  windowStack,
} from '../gui-checks';
import { starter } from './starter';

/** A Terminal with a System Info window cascaded over it, on top and focused. */
async function twoWindows(
  machine: ExerciseMachine,
): Promise<{ terminal: WindowRow; info: WindowRow }> {
  await bootDesktop(machine);
  const terminal = await launch(machine, 'terminal');
  const info = await launch(machine, 'sysinfo');
  return { terminal, info };
}

/** A whole number in [low, high]. */
function between(low: number, high: number): number {
  return low + randomBelow(high - low + 1);
}

const checks: Check[] = [
  {
    name: 'a click on a window raises it and gives it the keyboard',
    async run(machine) {
      const { terminal, info } = await twoWindows(machine);
      // A point of the Terminal right of the System Info window: only the Terminal is there.
      const x = between(info.x + info.width + 4, terminal.x + terminal.width - 20);
      const y = between(terminal.y + 40, terminal.y + terminal.height - 20);
      await machine.mouse(`click ${x} ${y}`);
      const stack = await windowStack(machine);
      if (stack[0]?.title !== 'Terminal' || !stack[0].focused) {
        throw new Error(
          `A click at (${x}, ${y}), where only the Terminal is, should raise the Terminal and give it the keyboard. The stack, top first: ${describeStack(stack)}.`,
        );
      }
    },
  },
  {
    name: 'the topmost window under the pointer gets the click',
    async run(machine) {
      const { terminal, info } = await twoWindows(machine);
      // Inside System Info's client area, which covers the Terminal there.
      const x = between(info.x + 10, info.x + info.width - 24);
      const y = between(info.y + 40, info.y + info.height - 24);
      await machine.mouse(`click ${x} ${y}`);
      let stack = await windowStack(machine);
      if (stack[0]?.title !== 'System Info') {
        throw new Error(
          `A click at (${x}, ${y}) is on both windows, and System Info is on top there: it should get the click and stay on top. The stack, top first: ${describeStack(stack)}. (Walk the stack from the top: the last window of this.stack.)`,
        );
      }
      const from = { x: info.x + between(80, 200), y: info.y + 10 };
      const to = { x: from.x + between(20, 200), y: from.y + between(20, 150) };
      await drag(machine, from, to);
      stack = await windowStack(machine);
      const moved = stack.find((w) => w.title === 'System Info');
      const still = stack.find((w) => w.title === 'Terminal');
      const dx = to.x - from.x;
      const dy = to.y - from.y;
      if (moved?.x !== info.x + dx || moved.y !== info.y + dy || still?.x !== terminal.x) {
        throw new Error(
          `Dragging System Info's title bar (over the Terminal) from (${from.x}, ${from.y}) to (${to.x}, ${to.y}) should move System Info by (${dx}, ${dy}) to ${info.x + dx},${info.y + dy} and leave the Terminal where it was. The stack, top first: ${describeStack(stack)}.`,
        );
      }
    },
  },
  {
    name: 'the taskbar is above every window',
    async run(machine) {
      const { terminal } = await twoWindows(machine);
      // Drag the Terminal down and left, until it lies under the taskbar's Apps button.
      const grabX = between(100, 200);
      const from = { x: terminal.x + grabX, y: terminal.y + 8 };
      const to = { x: between(0, 8) + grabX, y: between(690, 710) + 8 };
      await drag(machine, from, to);
      await machine.mouse(`click ${APPS_BUTTON.x} ${APPS_BUTTON.y}`);
      const stack = await windowStack(machine);
      if (stack[0]?.title !== 'Apps') {
        throw new Error(
          `With the Terminal dragged under the taskbar, a click on the Apps button at (${APPS_BUTTON.x}, ${APPS_BUTTON.y}) should open the launcher: the taskbar is drawn above the windows, so it gets the click first. The stack, top first: ${describeStack(stack)}.`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'gui/hit-test',
  title: 'Hit testing in z-order',
  file: 'src/kernel/gui/window-manager.ts',
  region: 'hit-test',
  statement: `
Every mouse press starts with one question: *what is under the pointer?* The window manager
keeps its windows in \`this.stack\`, **bottom first**, and the compositor paints them in that
order, so the last window is the one the reader sees where windows overlap. The taskbar is
painted last of all.

Write \`hitTest(x, y)\` in \`src/kernel/gui/window-manager.ts\`: the taskbar's part if the point
is on the taskbar, else the **topmost** visible (not minimised) window whose \`partAt\` finds
something there, with that part, else \`null\`.

Until it works, clicks fall through to the bare desktop. The checks open a Terminal and a System
Info window (\`launch\`), click and drag at random places, and read the stack with \`windows\`.
`.trim(),
  starter,
  checks,
};
