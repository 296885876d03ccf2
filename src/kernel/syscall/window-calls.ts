/**
 * Window system calls: window_open, window_map, window_present, window_event.
 *
 * Models: the smallest useful window-system interface, in the shape of a
 * shared-memory client of a compositor (Wayland's wl_shm buffers, X11's
 * MIT-SHM): the program draws into pixels in its own memory, then tells the
 * desktop which rectangle changed, and the desktop copies that rectangle
 * into the window. Input comes back as a queue of fixed-size events
 * (window-structs.ts). A window is a file descriptor (window-file.ts), so
 * close(2) closes it and a program's exit or death takes its windows along.
 *
 *   fd = window_open(320, 240, "paint");        // ENODEV if no desktop runs
 *   uint32_t *pixels = window_map(fd);          // 320 × 240 pixels, 0x00RRGGBB
 *   pixels[y * 320 + x] = 0xff0000;
 *   window_present(fd, x, y, 1, 1);             // show the changed rectangle
 *   window_event(fd, &event, 0);                // wait for input
 *
 * The desktop lives in gui/, above this layer, so it cannot be called from
 * here by name: when it starts, it registers itself as the window server
 * (registerWindowServer), as a driver registers with the layer that uses it.
 * Until then window_open answers ENODEV. Every pointer is checked as for the
 * other calls: the title and the event buffer by the copies themselves, the
 * pixels row by row as window_present copies them.
 */
import { SyscallError } from '../lib/errno';
import { PROT_READ, PROT_WRITE } from '../mm/process-memory';
import type { Syscall, SyscallHandler } from './dispatcher';
import {
  SYS_WINDOW_EVENT,
  SYS_WINDOW_MAP,
  SYS_WINDOW_OPEN,
  SYS_WINDOW_PRESENT,
  WINDOW_EVENT_BYTES,
  WINDOW_MAX_HEIGHT,
  WINDOW_MAX_WIDTH,
  WINDOW_NONBLOCK,
  WINDOW_TITLE_MAX_BYTES,
} from './syscall-table';
import { WindowFile, type WindowServer } from './window-file';
import { emitWindowEvent } from './window-structs';

const BYTES_PER_PIXEL = 4;
/** The colour bits of a pixel: the top byte is not the program's to set. */
const PIXEL_COLOUR_MASK = 0x00ff_ffff;

let server: WindowServer | null = null;

/** The desktop offers windows from now on (gui/desktop-thread.ts calls this when it starts). */
export function registerWindowServer(windows: WindowServer): void {
  server = windows;
}

/** The window behind descriptor `fd`: EBADF if none is open or it is another kind of file. */
function windowAt(call: Syscall, fd: number): WindowFile {
  const file = call.process.files.get(fd);
  if (!(file instanceof WindowFile))
    throw new SyscallError('EBADF', `descriptor ${fd} is not a window`);
  return file;
}

function checkSize(width: number, height: number): void {
  const fits = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!fits(width, WINDOW_MAX_WIDTH) || !fits(height, WINDOW_MAX_HEIGHT))
    throw new SyscallError(
      'EINVAL',
      `window size ${width}x${height} (1x1 to ${WINDOW_MAX_WIDTH}x${WINDOW_MAX_HEIGHT})`,
    );
}

function sysWindowOpen(call: Syscall): number {
  const [width, height] = [call.arg(0), call.arg(1)];
  checkSize(width, height);
  const title = call.process.memory.readString(call.address(2), WINDOW_TITLE_MAX_BYTES);
  if (!server) throw new SyscallError('ENODEV', 'no desktop is running (start it with `desktop`)');
  const window = new WindowFile(server, width, height, title);
  try {
    return call.process.files.install(window);
  } catch (error) {
    window.release();
    throw error;
  }
}

/** Fresh zeroed pages for the window's pixels, once per window; the same address on later calls. */
function sysWindowMap(call: Syscall): number {
  const window = windowAt(call, call.arg(0));
  window.surfaceAddress ??= call.process.memory.mmap(
    window.width * window.height * BYTES_PER_PIXEL,
    PROT_READ | PROT_WRITE,
  );
  return window.surfaceAddress;
}

/** Copy the rectangle's rows out of the program's pixels and hand them to the desktop. */
function sysWindowPresent(call: Syscall): number {
  const window = windowAt(call, call.arg(0));
  const area = { x: call.arg(1), y: call.arg(2), width: call.arg(3), height: call.arg(4) };
  const inside =
    area.x >= 0 &&
    area.y >= 0 &&
    area.width >= 0 &&
    area.height >= 0 &&
    area.x + area.width <= window.width &&
    area.y + area.height <= window.height;
  if (!inside) throw new SyscallError('EINVAL', 'the rectangle is not inside the window');
  const base = window.surfaceAddress;
  if (base === null) throw new SyscallError('EINVAL', 'window_map the window before presenting');
  const pixels = new Uint32Array(area.width * area.height);
  for (let row = 0; row < area.height; row++) {
    const offset = ((area.y + row) * window.width + area.x) * BYTES_PER_PIXEL;
    const bytes = call.process.memory.readBytes(base + offset, area.width * BYTES_PER_PIXEL);
    const view = new DataView(bytes.buffer);
    for (let column = 0; column < area.width; column++) {
      pixels[row * area.width + column] =
        view.getUint32(column * BYTES_PER_PIXEL, true) & PIXEL_COLOUR_MASK;
    }
  }
  if (pixels.length > 0) window.present(area, pixels);
  return 0;
}

/** The next event into the program's struct window_event: 1; EAGAIN with WINDOW_NONBLOCK and none waiting. */
function* sysWindowEvent(call: Syscall): Generator<void, number, void> {
  const window = windowAt(call, call.arg(0));
  const pointer = call.address(1);
  const flags = call.arg(2);
  if ((flags & ~WINDOW_NONBLOCK) !== 0)
    throw new SyscallError('EINVAL', `flags 0x${flags.toString(16)}`);
  const memory = call.process.memory;
  memory.writeBytes(pointer, memory.readBytes(pointer, WINDOW_EVENT_BYTES)); // EFAULT before waiting
  const event = yield* window.nextEvent((flags & WINDOW_NONBLOCK) !== 0);
  memory.writeBytes(pointer, emitWindowEvent(event));
  return 1;
}

export const WINDOW_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_WINDOW_OPEN, sysWindowOpen],
  [SYS_WINDOW_MAP, sysWindowMap],
  [SYS_WINDOW_PRESENT, sysWindowPresent],
  [SYS_WINDOW_EVENT, sysWindowEvent],
];
