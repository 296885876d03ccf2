/**
 * The desktop as a window server for user programs.
 *
 * The system call layer (syscall/window-calls.ts) sits below the GUI and
 * knows only the WindowServer interface; when the desktop starts it
 * registers this one (desktop-thread.ts). Opening a window puts a Program
 * Window app (apps/program-window.ts) on screen at the size the program
 * asked for, focused, on top, and wakes the desktop thread to draw it.
 */
import type { DisplayWindow, WindowEventSink, WindowServer } from '../syscall/window-file';
import { ProgramWindow } from './apps/program-window';
import type { DesktopSession } from './desktop-session';

export class ProgramWindowServer implements WindowServer {
  constructor(private readonly desktop: DesktopSession) {}

  open(width: number, height: number, title: string, events: WindowEventSink): DisplayWindow {
    const app = new ProgramWindow(this.desktop, title, width, height, events);
    this.desktop.open(app, app.preferredSize);
    this.desktop.invalidate(app);
    return app;
  }
}
