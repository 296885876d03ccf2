/**
 * A user program's window as an open file (syscall/window-file.ts), without a
 * machine: a fake window server records what the desktop would be asked, and
 * the non-blocking side of the event queue is driven directly.
 */
import { describe, expect, it } from 'vitest';
import { SyscallError } from '../../../src/kernel/lib/errno';
import { FileTable } from '../../../src/kernel/fs/open-file';
import {
  WINDOW_EVENT_BYTES,
  WINDOW_EVENT_CLOSE,
  WINDOW_EVENT_KEY,
  WINDOW_EVENT_MOUSE_MOVE,
} from '../../../src/kernel/syscall/syscall-table';
import {
  type DisplayWindow,
  type SurfaceArea,
  WINDOW_EVENT_QUEUE_LIMIT,
  WindowFile,
  type WindowEventSink,
  type WindowServer,
} from '../../../src/kernel/syscall/window-file';
import {
  emitWindowEvent,
  type WindowEvent,
  windowEvent,
} from '../../../src/kernel/syscall/window-structs';

class FakeServer implements WindowServer {
  readonly presented: Array<{ area: SurfaceArea; pixels: number[] }> = [];
  closed = 0;
  sink: WindowEventSink | null = null;

  open(_width: number, _height: number, _title: string, events: WindowEventSink): DisplayWindow {
    this.sink = events;
    return {
      present: (area, pixels) => this.presented.push({ area, pixels: [...pixels] }),
      close: () => this.closed++,
    };
  }
}

/** The next event without waiting (the generator must finish in one step). */
function take(file: WindowFile): WindowEvent {
  const step = file.nextEvent(true).next();
  if (!step.done) throw new Error('nextEvent(true) tried to wait');
  return step.value;
}

function errnoOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SyscallError) return error.code;
    throw error;
  }
  return 'none';
}

describe('a window as an open file', () => {
  it('hands the program the desktop’s events in order, then EAGAIN when none is left', () => {
    const server = new FakeServer();
    const file = new WindowFile(server, 10, 10, 'w');
    expect(file.inputReady).toBe(false);
    server.sink!.post(windowEvent(WINDOW_EVENT_MOUSE_MOVE, { x: 3, y: 4, buttons: 1 }));
    server.sink!.post(windowEvent(WINDOW_EVENT_KEY, { character: 0x61, keyFlags: 1 }));
    expect(file.inputReady).toBe(true);
    expect(take(file)).toMatchObject({ type: WINDOW_EVENT_MOUSE_MOVE, x: 3, y: 4, buttons: 1 });
    expect(take(file)).toMatchObject({ type: WINDOW_EVENT_KEY, character: 0x61 });
    expect(errnoOf(() => take(file))).toBe('EAGAIN');
  });

  it('drops events past the queue limit but always delivers the close, then EPIPE', () => {
    const server = new FakeServer();
    const file = new WindowFile(server, 10, 10, 'w');
    for (let i = 0; i < WINDOW_EVENT_QUEUE_LIMIT + 10; i++)
      server.sink!.post(windowEvent(WINDOW_EVENT_MOUSE_MOVE, { x: i }));
    server.sink!.post(windowEvent(WINDOW_EVENT_CLOSE));
    server.sink!.post(windowEvent(WINDOW_EVENT_KEY)); // after the close: ignored
    const types: number[] = [];
    for (let i = 0; i < WINDOW_EVENT_QUEUE_LIMIT + 1; i++) types.push(take(file).type);
    expect(types.filter((type) => type === WINDOW_EVENT_MOUSE_MOVE)).toHaveLength(
      WINDOW_EVENT_QUEUE_LIMIT,
    );
    expect(types.at(-1)).toBe(WINDOW_EVENT_CLOSE);
    expect(errnoOf(() => take(file))).toBe('EPIPE');
    expect(
      errnoOf(() => file.present({ x: 0, y: 0, width: 1, height: 1 }, new Uint32Array(1))),
    ).toBe('EPIPE');
  });

  it('passes presented rectangles to the desktop', () => {
    const server = new FakeServer();
    const file = new WindowFile(server, 4, 4, 'w');
    file.present({ x: 1, y: 2, width: 2, height: 1 }, Uint32Array.of(0xff0000, 0x00ff00));
    expect(server.presented).toEqual([
      { area: { x: 1, y: 2, width: 2, height: 1 }, pixels: [0xff0000, 0x00ff00] },
    ]);
  });

  it('closes the window when the last descriptor goes, not before (dup, fork)', () => {
    const server = new FakeServer();
    const file = new WindowFile(server, 4, 4, 'w');
    const table = new FileTable();
    const fd = table.install(file);
    const child = table.clone();
    table.close(fd);
    expect(server.closed).toBe(0);
    child.closeAll(); // the child's exit
    expect(server.closed).toBe(1);
  });

  it('lays struct window_event out as window.h declares it', () => {
    const bytes = emitWindowEvent(
      windowEvent(WINDOW_EVENT_MOUSE_MOVE, {
        x: -5,
        y: 7,
        buttons: 4,
        character: 0x263a,
        keyFlags: 9,
      }),
    );
    expect(bytes.length).toBe(WINDOW_EVENT_BYTES);
    const view = new DataView(bytes.buffer);
    expect([0, 4, 8, 12, 16, 20].map((offset) => view.getInt32(offset, true))).toEqual([
      WINDOW_EVENT_MOUSE_MOVE,
      -5,
      7,
      4,
      0x263a,
      9,
    ]);
  });
});
