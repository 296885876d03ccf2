/**
 * Helpers the GUI exercises share: booting into the desktop, opening
 * programs, dragging with the mouse, and reading the kernel's own account of
 * the desktop, the `windows` and `damage` commands, as data.
 */
import type { ExerciseMachine } from '../../src/runtime/host/exercise';
import { plainText, runOrExplain } from '../machine-text';

export const SCREEN = { width: 1024, height: 768 } as const;
/** From src/kernel/gui: the taskbar's height, a title bar's, and the Apps button's centre. */
export const TASKBAR_HEIGHT = 28;
export const TITLE_BAR_HEIGHT = 24;
export const APPS_BUTTON = { x: 36, y: 753 } as const;

export interface WindowRow {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly focused: boolean;
  readonly minimised: boolean;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Boot with `gui` on the kernel command line; a panic or a hang becomes a message. */
export async function bootDesktop(machine: ExerciseMachine): Promise<void> {
  try {
    await machine.boot({ cmdline: 'gui', bookDisk: true });
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    const at = output.indexOf('KERNEL PANIC');
    const panic = at >= 0 ? `\n\n${output.slice(at).trim()}` : '';
    throw new Error(
      `The kernel did not reach the shell prompt with the desktop on (${(error as Error).message}).${panic}`,
    );
  }
}

/** The window stack, top first, as `windows` prints it. */
export async function windowStack(machine: ExerciseMachine): Promise<WindowRow[]> {
  const output = await runOrExplain(machine, 'windows');
  const rows = [
    ...output.matchAll(/^ {2}([*\- ]) *(\d+) +(-?\d+) +(-?\d+) +(\d+) +(\d+) {2}(.*)$/gm),
  ];
  return rows.map((m) => ({
    id: Number(m[2]),
    x: Number(m[3]),
    y: Number(m[4]),
    width: Number(m[5]),
    height: Number(m[6]),
    title: m[7]!.trim(),
    focused: m[1] === '*',
    minimised: m[1] === '-',
  }));
}

/** The stack as text for messages: "System Info (top, focused) at 76,60 442x275, …". */
export function describeStack(stack: readonly WindowRow[]): string {
  if (stack.length === 0) return 'no windows';
  return stack
    .map(
      (w, i) =>
        `${w.title}${i === 0 ? ' (top)' : ''}${w.focused ? ' (focused)' : ''} at ${w.x},${w.y} ${w.width}x${w.height}`,
    )
    .join('; ');
}

/** Open a desktop program from the shell and return its window. */
export async function launch(machine: ExerciseMachine, app: string): Promise<WindowRow> {
  await runOrExplain(machine, `launch ${app}`);
  const top = (await windowStack(machine))[0];
  if (!top) throw new Error(`\`launch ${app}\` opened no window`);
  return top;
}

/** Press the left button at `from`, move to `to`, release. */
export async function drag(
  machine: ExerciseMachine,
  from: { x: number; y: number },
  to: { x: number; y: number },
): Promise<void> {
  await machine.mouse(`move ${from.x} ${from.y}`);
  await machine.mouse('down left');
  await machine.mouse(`move ${to.x} ${to.y}`);
  await machine.mouse('up left');
}

/** One frame from `damage`: the rectangles it copied to the screen. */
export interface PresentedFrame {
  readonly number: number;
  readonly rects: Box[];
}

/** The last frames the compositor presented, oldest first, as `damage` prints them. */
export async function recentFrames(machine: ExerciseMachine): Promise<PresentedFrame[]> {
  const output = await runOrExplain(machine, 'damage');
  return [...output.matchAll(/^ {2}frame +(\d+): +\d+ px in \d+: (.*)$/gm)].map((m) => ({
    number: Number(m[1]),
    rects: [...m[2]!.matchAll(/(-?\d+),(-?\d+) (\d+)x(\d+)/g)].map((r) => ({
      x: Number(r[1]),
      y: Number(r[2]),
      width: Number(r[3]),
      height: Number(r[4]),
    })),
  }));
}

export function formatBox(b: Box): string {
  return `${b.x},${b.y} ${b.width}x${b.height}`;
}

export function boxArea(b: Box): number {
  return b.width * b.height;
}

/** Whether `outer` covers every pixel of `inner`. */
export function covers(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** Whether two rectangles share pixels or an edge (what a damage list must merge). */
export function overlapOrTouch(a: Box, b: Box): boolean {
  const xOverlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const yOverlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return (xOverlap > 0 && yOverlap >= 0) || (xOverlap >= 0 && yOverlap > 0);
}
