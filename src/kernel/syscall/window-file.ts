/**
 * A user program's window, as the program holds it: an open file.
 *
 * Models: the client end of a window system's connection (an X11 or Wayland
 * client's socket, Plan 9's /dev/draw), reduced to one descriptor per window.
 * Making the window a file descriptor means the kernel's ordinary descriptor
 * rules manage it: close(fd) closes the window, and when a program exits or
 * is killed, exit's closing of all its descriptors (proc/process.ts) closes
 * its windows too, so a crashing program cannot leave a dead window behind
 * and the desktop never has to watch processes.
 *
 * The file keeps the two things that cross between the program and the
 * desktop: the events the desktop posts (keys, the mouse, the close button),
 * queued until the program asks for them, and the address of the pixels the
 * program draws into (window_map). The desktop's side of the window is a
 * DisplayWindow that the window server (gui/, which sits above this layer and
 * registers itself at start-up: window-calls.ts) hands back when the window
 * opens.
 */
import type { Io } from '../fs/block-device';
import type { OpenFile } from '../fs/open-file';
import type { Stat } from '../fs/vfs';
import { SyscallError } from '../lib/errno';
import { WaitQueue } from '../sched/wait-queue';
import { WINDOW_EVENT_CLOSE } from './syscall-table';
import type { WindowEvent } from './window-structs';

/** Events kept while the program does not read them; later ones are dropped (as a full input buffer). */
export const WINDOW_EVENT_QUEUE_LIMIT = 256;

/** A rectangle of the program's surface, in its pixels. */
export interface SurfaceArea {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the window server gives back for an opened window. */
export interface DisplayWindow {
  /** Show `pixels` (area.width × area.height, 0x00RRGGBB, row after row) at `area` of the window. */
  present(area: SurfaceArea, pixels: Uint32Array): void;
  /** The program let go of the window: take it off the screen. */
  close(): void;
}

/** Where the window server delivers a window's input. */
export interface WindowEventSink {
  post(event: WindowEvent): void;
}

/** The desktop, as the system calls see it (gui/ implements it). */
export interface WindowServer {
  open(width: number, height: number, title: string, events: WindowEventSink): DisplayWindow;
}

export class WindowFile implements OpenFile, WindowEventSink {
  references = 0;
  /** Where window_map put the pixels in the program's address space (null: not mapped yet). */
  surfaceAddress: number | null = null;
  private readonly events: WindowEvent[] = [];
  private readonly arrived = new WaitQueue();
  /** The window is gone: the user closed it (its close event is queued or was taken), or the program did. */
  private closed = false;
  private readonly display: DisplayWindow;

  constructor(
    server: WindowServer,
    readonly width: number,
    readonly height: number,
    readonly title: string,
  ) {
    this.display = server.open(width, height, title, this);
  }

  // ---- the desktop's side ----

  post(event: WindowEvent): void {
    if (this.closed) return;
    if (event.type === WINDOW_EVENT_CLOSE) this.closed = true;
    else if (this.events.length >= WINDOW_EVENT_QUEUE_LIMIT) return;
    this.events.push(event);
    this.arrived.wakeAll();
  }

  // ---- the program's side ----

  /** poll: an event is waiting, or the window is gone. */
  get inputReady(): boolean {
    return this.events.length > 0 || this.closed;
  }

  /** The next event; waits for one unless `nonBlocking` (EAGAIN). EPIPE once the close event was taken. */
  *nextEvent(nonBlocking: boolean): Generator<void, WindowEvent, void> {
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      if (this.closed) throw new SyscallError('EPIPE', 'the window was closed');
      if (nonBlocking) throw new SyscallError('EAGAIN', 'no event is waiting');
      yield* this.arrived.wait();
    }
  }

  present(area: SurfaceArea, pixels: Uint32Array): void {
    if (this.closed) throw new SyscallError('EPIPE', 'the window was closed');
    this.display.present(area, pixels);
  }

  release(): void {
    this.closed = true;
    this.display.close();
  }

  // ---- what every open file answers ----

  *read(): Io<number> {
    throw new SyscallError('EINVAL', 'a window is read with window_event');
  }

  *write(): Io<number> {
    throw new SyscallError('EINVAL', 'a window is drawn with window_map and window_present');
  }

  *seek(): Io<number> {
    throw new SyscallError('ESPIPE', 'cannot seek on a window');
  }

  *stat(): Io<Stat> {
    return {
      inode: 0,
      type: 'device',
      mode: 0o600,
      links: 1,
      size: this.width * this.height * 4,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }
}
