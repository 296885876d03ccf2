/**
 * The shell's `desktop` command (alias `startx`, X11's name for it): start
 * the desktop on the framebuffer. It lives with the GUI, a layer above the
 * shell, and boot/kernel-init.ts adds it to the shell's table.
 */
import { EXIT_FAILURE, EXIT_SUCCESS, type ExitStatus, type ShellCommand } from '../shell/command';
import type { ShellContext } from '../shell/command';
import {
  DEFAULT_SCREEN_HEIGHT,
  DEFAULT_SCREEN_WIDTH,
  DesktopError,
  parseScreenSize,
  startDesktop,
} from './desktop-thread';
import { DESKTOP_INSPECT_COMMANDS } from './desktop-inspect-commands';

function* desktop(args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  if (args.length > 1) {
    sh.println('desktop: usage: desktop [WIDTHxHEIGHT]');
    return EXIT_FAILURE;
  }
  const size = args[0]
    ? parseScreenSize(args[0])
    : { width: DEFAULT_SCREEN_WIDTH, height: DEFAULT_SCREEN_HEIGHT };
  if (!size) {
    sh.println(`desktop: not a screen size: ${args[0]} (640x480 to 2560x1600)`);
    return EXIT_FAILURE;
  }
  try {
    yield* startDesktop(sh.kernel, size, sh.commands);
  } catch (error) {
    if (!(error instanceof DesktopError)) throw error;
    sh.println(`desktop: ${error.message}`);
    return EXIT_FAILURE;
  }
  sh.println(`desktop: ${size.width}x${size.height} on the framebuffer`);
  return EXIT_SUCCESS;
}

const HELP = 'start the desktop on the framebuffer (default 1024x768)';

export const DESKTOP_COMMANDS: readonly ShellCommand[] = [
  { name: 'desktop', usage: '[WxH]', help: HELP, run: desktop },
  { name: 'startx', usage: '[WxH]', help: 'the same as desktop', run: desktop },
  ...DESKTOP_INSPECT_COMMANDS,
];
