/**
 * What the desktop offers the programs in its windows, besides the window
 * itself: the kernel, the font, and a way to ask for work and repaints that
 * do not come from an input event.
 *
 * The window manager calls an app only when input arrives, and expects an
 * answer at once. Some things happen on their own time: a shell in a Terminal
 * writes output, a file has to be read from disk (which waits for IRQ 14), a
 * clock ticks. Those go through these services, and the desktop thread
 * (desktop-session.ts) carries them out in its loop, in order, on its own
 * stack — so an app never waits inside an event handler.
 */
import type { Kernel } from '../proc/kernel';
import type { ShellCommand } from '../shell/command';
import type { App } from './app';
import type { Psf2Font } from './psf2-font';

/** The desktop's own programs, as the launcher lists them. */
export type AppName = 'terminal' | 'files' | 'editor' | 'sysinfo';

export interface DesktopServices {
  readonly kernel: Kernel;
  readonly font: Psf2Font;
  /** The shell's commands, for the shells in Terminal windows. */
  readonly shellCommands: readonly ShellCommand[];
  /** The app's picture changed outside an input event: repaint it on the next frame. */
  invalidate(app: App): void;
  /** Run `job` on the desktop thread (file system work, which may wait), then repaint `app`. */
  perform(app: App, job: () => Generator<void, void, void>): void;
  /** Open a desktop program in a new window, with an argument (a path) for the editor and files. */
  launch(name: AppName, argument?: string): void;
  /** The app's title changed: repaint its title bar and taskbar entry. */
  retitle(app: App): void;
  /** Close the app's window. */
  close(app: App): void;
}
