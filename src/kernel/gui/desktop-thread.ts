/**
 * Starting the desktop: from the `desktop` command (or `gui` on the kernel
 * command line) to a running desktop thread.
 *
 * Models the bring-up of CottonOS's GUI, which follows the order any
 * graphical system needs: the font first (no font, no text, no desktop), then
 * the display mode (Bochs VBE, ../drivers/vbe-framebuffer.ts), then the input
 * devices: the PS/2 mouse is switched on (../drivers/ps2-mouse.ts) and IRQ 1
 * and IRQ 12 are routed through the PIC to handlers that decode one byte and
 * queue the event for the desktop thread (./desktop-session.ts). The serial
 * console keeps working beside it: the desktop is one more thread.
 *
 * There is one screen, so there is at most one desktop per boot.
 */
import { installIrqHandler } from '../arch/interrupts';
import { KEYBOARD_IRQ, Ps2Keyboard } from '../drivers/ps2-keyboard';
import { MOUSE_IRQ, Ps2Mouse, Ps2MouseError } from '../drivers/ps2-mouse';
import { VbeError, VbeFramebuffer } from '../drivers/vbe-framebuffer';
import { hex } from '../lib/format';
import type { Kernel } from '../proc/kernel';
import { currentTask, spawn, type ThreadBody } from '../sched/scheduler';
import { registerWindowServer } from '../syscall/window-calls';
import type { ShellCommand } from '../shell/command';
import { DesktopSession } from './desktop-session';
import { ProgramWindowServer } from './program-window-server';
import { Psf2Font } from './psf2-font';

export const FONT_PATH = '/usr/share/fonts/cotton-8x16.psf';
export const DEFAULT_SCREEN_WIDTH = 1024;
export const DEFAULT_SCREEN_HEIGHT = 768;
/** The smallest and largest modes the desktop accepts (the adapter allows up to 2560×1600). */
const MIN_SCREEN = { width: 640, height: 480 };
const MAX_SCREEN = { width: 2560, height: 1600 };
/** The kernel command line's word: `gui` or `gui=800x600`. */
const GUI_WORD = 'gui';

export interface ScreenSize {
  readonly width: number;
  readonly height: number;
}

export class DesktopError extends Error {
  override readonly name = 'DesktopError';
}

let session: DesktopSession | null = null;
/** Set while a start waits for the font, so that a second start cannot slip in meanwhile. */
let starting = false;

/** The desktop of this boot, if it was started. */
export function currentDesktop(): DesktopSession | null {
  return session;
}

/** Whether the desktop runs, or is being started. */
export function desktopStarted(): boolean {
  return session !== null || starting;
}

/** "800x600" → { width: 800, height: 600 }; null if malformed or outside the modes allowed. */
export function parseScreenSize(text: string): ScreenSize | null {
  const match = /^(\d{3,4})x(\d{3,4})$/.exec(text);
  if (!match) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const fits = (n: number, low: number, high: number) => n >= low && n <= high;
  if (!fits(width, MIN_SCREEN.width, MAX_SCREEN.width)) return null;
  if (!fits(height, MIN_SCREEN.height, MAX_SCREEN.height)) return null;
  return { width, height };
}

/**
 * What the kernel command line asks of the desktop: null without a `gui`
 * word, the default size for `gui`, the given one for `gui=WxH`.
 */
export function desktopRequest(commandLine: string): ScreenSize | 'malformed' | null {
  for (const word of commandLine.split(/\s+/)) {
    if (word === GUI_WORD) return { width: DEFAULT_SCREEN_WIDTH, height: DEFAULT_SCREEN_HEIGHT };
    if (word.startsWith(`${GUI_WORD}=`))
      return parseScreenSize(word.slice(GUI_WORD.length + 1)) ?? 'malformed';
  }
  return null;
}

/**
 * Bring the desktop up at `size` and start its thread; throws DesktopError
 * when it cannot. `commands` are the shell's, for the Terminal windows.
 */
export function* startDesktop(
  kernel: Kernel,
  size: ScreenSize,
  commands: readonly ShellCommand[],
): Generator<void, DesktopSession> {
  if (desktopStarted()) throw new DesktopError('already running');
  const fb = kernel.bootInfo.framebuffer;
  if (!fb) throw new DesktopError('the boot loader reported no framebuffer');
  starting = true;
  let font: Psf2Font;
  try {
    font = yield* loadFont(kernel);
  } finally {
    starting = false;
  }
  const display = new VbeFramebuffer(kernel.cpu, fb.address);
  const started = new DesktopSession(kernel, font, size, display, commands);
  try {
    display.setMode(size.width, size.height);
    kernel.log.log('gui', `VBE mode ${size.width}x${size.height}x32, LFB at ${hex(fb.address)}`);
    connectInput(kernel, started);
  } catch (error) {
    if (error instanceof VbeError || error instanceof Ps2MouseError)
      throw new DesktopError(error.message);
    throw error;
  }
  session = started;
  registerWindowServer(new ProgramWindowServer(started)); // user programs may open windows now
  const task = spawn('desktop', desktopThread(started));
  kernel.log.log('gui', `desktop thread started (pid ${task.pid})`);
  return started;
}

/** Start the desktop if the kernel command line has a `gui` word; a failure is logged, not fatal. */
export function* startDesktopIfAsked(
  kernel: Kernel,
  commands: readonly ShellCommand[],
): Generator<void, void> {
  const request = desktopRequest(kernel.bootInfo.commandLine);
  if (request === null) return;
  if (request === 'malformed') {
    kernel.log.log('gui', 'gui=WIDTHxHEIGHT: not a screen size (640x480 to 2560x1600)');
    return;
  }
  try {
    yield* startDesktop(kernel, request, commands);
  } catch (error) {
    if (!(error instanceof DesktopError)) throw error;
    kernel.log.log('gui', `no desktop: ${error.message}`);
  }
}

function* desktopThread(desktop: DesktopSession): ThreadBody {
  yield* desktop.run(currentTask());
}

function* loadFont(kernel: Kernel): Generator<void, Psf2Font> {
  let bytes: Uint8Array;
  try {
    bytes = yield* kernel.vfs.readFile(FONT_PATH);
  } catch (error) {
    throw new DesktopError(`no font: ${FONT_PATH}: ${(error as Error).message}`);
  }
  try {
    return Psf2Font.parse(bytes);
  } catch (error) {
    throw new DesktopError(`${FONT_PATH}: ${(error as Error).message}`);
  }
}

/**
 * The mouse on, then both PS/2 lines to their handlers: each decodes the byte
 * waiting in the controller and queues the event it completes, if any.
 */
function connectInput(kernel: Kernel, desktop: DesktopSession): void {
  const keyboard = new Ps2Keyboard(kernel.cpu);
  const mouse = new Ps2Mouse(kernel.cpu);
  mouse.init();
  installIrqHandler(kernel.cpu, kernel.pic, KEYBOARD_IRQ, () => {
    const event = keyboard.handleInterrupt();
    if (event) desktop.queueKey(event);
  });
  installIrqHandler(kernel.cpu, kernel.pic, MOUSE_IRQ, () => {
    const packet = mouse.handleInterrupt();
    if (packet) desktop.queueMouse(packet);
  });
  kernel.log.log('gui', `PS/2 keyboard on irq ${KEYBOARD_IRQ}, mouse on irq ${MOUSE_IRQ}`);
}
