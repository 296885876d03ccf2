/**
 * Shell commands that show the desktop from the serial console: `windows`
 * prints the window stack as the window manager keeps it (top first, the
 * focused window marked), `damage` the rectangles the last frames copied to
 * the screen, and `launch` opens a desktop program without the mouse.
 *
 * They are the desktop's counterpart of `ps` and `sched`: the GUI chapter's
 * figures and its exercises' checks read the window manager and the
 * compositor through them, on the running kernel, instead of guessing from
 * pixels.
 */
import { EXIT_FAILURE, EXIT_SUCCESS, type ExitStatus, type ShellCommand } from '../shell/command';
import type { ShellContext } from '../shell/command';
import { type DamagedFrame, recentDamage, windowStack } from './desktop-inspect';
import type { AppName } from './desktop-services';
import type { DesktopSession } from './desktop-session';
import { currentDesktop } from './desktop-thread';
import type { Rect } from './rect';

const APP_NAMES: readonly AppName[] = ['terminal', 'files', 'editor', 'sysinfo'];

/** The running desktop, or a message and null when there is none. */
function desktopOrExplain(name: string, sh: ShellContext): DesktopSession | null {
  const desktop = currentDesktop();
  if (!desktop) sh.println(`${name}: no desktop (run \`desktop\`, or boot with \`gui\`)`);
  return desktop;
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

/** "x,y WxH", the way every line of these commands writes a rectangle. */
export function formatRect(r: Rect): string {
  return `${r.x},${r.y} ${r.width}x${r.height}`;
}

function windows(_args: string[], sh: ShellContext): ExitStatus {
  const desktop = desktopOrExplain('windows', sh);
  if (!desktop) return EXIT_FAILURE;
  const stack = windowStack(desktop);
  sh.println(`${stack.windows.length} windows, top first (* has the keyboard, - is minimised):`);
  sh.println('     id      x      y  width height  title');
  for (const window of stack.windows) {
    const mark = window.focused ? '*' : window.minimised ? '-' : ' ';
    const { x, y, width, height } = window.frame;
    sh.println(
      `  ${mark}${pad(window.id, 3)} ${pad(x, 6)} ${pad(y, 6)} ${pad(width, 6)} ${pad(height, 6)}  ${window.title}`,
    );
  }
  sh.println(`pointer at ${stack.pointer.x},${stack.pointer.y}`);
  return EXIT_SUCCESS;
}

function describeFrame(frame: DamagedFrame): string {
  const rects = frame.rects.map(formatRect).join('  ');
  return `  frame ${pad(frame.number, 5)}: ${pad(frame.pixels, 7)} px in ${frame.rects.length}: ${rects}`;
}

function damage(_args: string[], sh: ShellContext): ExitStatus {
  const desktop = desktopOrExplain('damage', sh);
  if (!desktop) return EXIT_FAILURE;
  const { screen, frames, frameCount } = recentDamage(desktop);
  const { width, height } = screen;
  sh.println(`the last ${frames.length} frames, oldest first: rectangles copied to the screen`);
  for (const frame of frames) sh.println(describeFrame(frame));
  sh.println(
    `${frameCount} frames so far; the screen is ${width}x${height} = ${width * height} px`,
  );
  return EXIT_SUCCESS;
}

function launch(args: string[], sh: ShellContext): ExitStatus {
  const desktop = desktopOrExplain('launch', sh);
  if (!desktop) return EXIT_FAILURE;
  const name = APP_NAMES.find((app) => app === args[0]);
  if (!name || args.length > 2) {
    sh.println(`launch: usage: launch ${APP_NAMES.join('|')} [PATH]`);
    return EXIT_FAILURE;
  }
  desktop.launch(name, args[1]);
  return EXIT_SUCCESS;
}

export const DESKTOP_INSPECT_COMMANDS: readonly ShellCommand[] = [
  { name: 'windows', help: "the desktop's window stack, top first", run: windows },
  { name: 'damage', help: 'the rectangles the last desktop frames repainted', run: damage },
  { name: 'launch', usage: 'APP [PATH]', help: 'open a desktop program in a window', run: launch },
];
