/**
 * Exercise gui/merge-damage: the damage list, DamageList.add().
 *
 * The checks boot the desktop on the reader's damage list, move the pointer
 * and drag a window at seeded positions, and read with `damage` the
 * rectangles the compositor copied to the screen in each frame.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { randomBelow } from '../../machine-text';
import {
  type Box,
  boxArea,
  bootDesktop,
  covers,
  drag,
  formatBox,
  launch,
  overlapOrTouch,
  type PresentedFrame,
  recentFrames,
  windowStack,
} from '../gui-checks';
import { starter } from './starter';

/** The arrow cursor's image (cursor.ts): what a pointer move repaints, twice. */
const CURSOR_AREA = 12 * 18;
const DAMAGE_LIMIT = 16;

function between(low: number, high: number): number {
  return low + randomBelow(high - low + 1);
}

function describeFrame(frame: PresentedFrame): string {
  return `frame ${frame.number}: ${frame.rects.map(formatBox).join(', ') || 'nothing'}`;
}

/** Every frame's rectangles must be few and apart: the damage list's invariant. */
function expectDisjoint(frames: readonly PresentedFrame[]): void {
  for (const frame of frames) {
    if (frame.rects.length > DAMAGE_LIMIT) {
      throw new Error(
        `A frame repainted ${frame.rects.length} rectangles; beyond this.limit (${DAMAGE_LIMIT}) the list should collapse into one bounding box. ${describeFrame(frame)}`,
      );
    }
    frame.rects.forEach((a, i) => {
      const b = frame.rects.slice(i + 1).find((other) => overlapOrTouch(a, other));
      if (b) {
        throw new Error(
          `In one frame the compositor repainted ${formatBox(a)} and ${formatBox(b)}, which overlap or touch: the damage list should have merged them into one rectangle, so no pixel is composed twice. ${describeFrame(frame)}`,
        );
      }
    });
  }
}

/** The frames since frame `after`, which must exist. */
async function framesAfter(
  machine: ExerciseMachine,
  after: number,
  what: string,
): Promise<PresentedFrame[]> {
  const frames = (await recentFrames(machine)).filter((f) => f.number > after);
  if (frames.length === 0)
    throw new Error(`${what}, yet no frame changed the screen: nothing was repainted at all.`);
  return frames;
}

async function lastFrameNumber(machine: ExerciseMachine): Promise<number> {
  return (await recentFrames(machine)).at(-1)?.number ?? 0;
}

const checks: Check[] = [
  {
    name: 'a moved window repaints its old and new places as one rectangle',
    async run(machine) {
      await bootDesktop(machine);
      const window = await launch(machine, 'sysinfo');
      const from = { x: window.x + between(80, 200), y: window.y + 10 };
      const to = { x: from.x + between(10, 60), y: from.y + between(10, 60) };
      const before = await lastFrameNumber(machine);
      await drag(machine, from, to);
      const moved = (await windowStack(machine))[0]!;
      const frames = await framesAfter(machine, before, 'A window was dragged');
      expectDisjoint(frames);
      const needed: Box = {
        x: window.x,
        y: window.y,
        width: moved.x + moved.width - window.x,
        height: moved.y + moved.height - window.y,
      };
      if (!frames.some((frame) => frame.rects.some((r) => covers(r, needed)))) {
        throw new Error(
          `The window moved from ${formatBox(window)} to ${formatBox(moved)}; its old and new frames overlap, so one frame should repaint a rectangle covering both (${formatBox(needed)}). The frames: ${frames.map(describeFrame).join('; ')}`,
        );
      }
    },
  },
  {
    name: 'a pointer move repaints where the cursor was and is, once each',
    async run(machine) {
      await bootDesktop(machine);
      const start = { x: between(100, 300), y: between(100, 250) };
      await machine.mouse(`move ${start.x} ${start.y}`);
      // A short move: the cursor's old and new places overlap, and become one rectangle.
      const near = { x: start.x + between(2, 8), y: start.y + between(2, 8) };
      let before = await lastFrameNumber(machine);
      await machine.mouse(`move ${near.x} ${near.y}`);
      expectDisjoint(await framesAfter(machine, before, 'The pointer moved a few pixels'));
      // A long move: two cursor-sized rectangles far apart must not become the box around both.
      const end = { x: between(600, 900), y: between(400, 650) };
      before = await lastFrameNumber(machine);
      await machine.mouse(`move ${end.x} ${end.y}`);
      const frames = await framesAfter(machine, before, 'The pointer moved');
      expectDisjoint(frames);
      const pixels = frames.map((frame) => frame.rects.reduce((sum, r) => sum + boxArea(r), 0));
      if (pixels.some((n) => n > 2 * CURSOR_AREA)) {
        throw new Error(
          `The pointer moved from (${near.x}, ${near.y}) to (${end.x}, ${end.y}) over the bare desktop: the frame should repaint two cursor-sized rectangles (${2 * CURSOR_AREA} pixels), not the box around both; rectangles that are apart stay apart. The frames: ${frames.map(describeFrame).join('; ')}`,
        );
      }
    },
  },
];

export const exercise: Exercise = {
  id: 'gui/merge-damage',
  title: 'Merge damage rectangles',
  file: 'src/kernel/gui/rect.ts',
  region: 'merge-damage',
  statement: `
The compositor repaints only the **damage**: the screen areas that may have changed since the
last frame. Everything that changes adds a rectangle to a \`DamageList\` — a moved window its old
and its new frame, a moved pointer the cursor's old and new place — and the list decides what
is finally repainted and copied to the framebuffer.

Write \`add(damage)\` in \`src/kernel/gui/rect.ts\`: merge the new rectangle with every rectangle
of the list it overlaps or touches (their bounding box, \`union\`), repeatedly, since a grown
rectangle may reach more; keep rectangles that are apart, apart; and when more than
\`this.limit\` remain, collapse them all into one. Empty rectangles add nothing.

The checks drag a window and move the pointer, and read with \`damage\` the rectangles each
frame copied to the screen.
`.trim(),
  starter,
  checks,
};
