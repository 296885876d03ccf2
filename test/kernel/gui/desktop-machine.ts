/** Shared by the desktop's machine tests: a booted desktop driven through PS/2, read through the VBE framebuffer. */
import type { MachineInput } from '../../../src/runtime/host/input-log';
import { keyChord, PointerState, typedKeys } from '../../../src/runtime/host/gui-input';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { captureScreen, screenDigest } from '../../../src/runtime/host/screen-capture';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';

const SETTLE_NS = 20_000_000;

/** Geometry of the 1024×768 desktop the tests click on. */
export const LAUNCHER_BUTTON = { x: 30, y: 755 };
/** Centre of launcher row `i` (Terminal, File Manager, Text Editor, System Info). */
export const launcherRow = (i: number) => ({ x: 60, y: 641 + 28 * i });
export const FIRST_WINDOW = { x: 48, y: 32 };
export const CASCADE_STEP = 28;
export const DESKTOP_BACKGROUND = 0x3a6ea5;
export const TITLE_BAR_ACTIVE = 0xe8e8e8;

export class DesktopMachine {
  readonly host: MachineHost;
  private readonly pointer = new PointerState();

  constructor(commandLine = 'gui') {
    this.host = bootFromRepo({ ...freshBookDisk(), commandLine });
    this.host.runUntilPrompt(30_000);
    this.settle(100);
  }

  send(inputs: readonly MachineInput[]): void {
    for (const input of inputs) {
      this.host.send(input);
      this.host.runUntil(this.host.machine.clock.now + SETTLE_NS);
    }
  }

  mouse(spec: string): void {
    this.send(this.pointer.inputs(spec));
  }

  click(at: { x: number; y: number }): void {
    this.mouse(`click ${at.x} ${at.y}`);
  }

  drag(from: { x: number; y: number }, to: { x: number; y: number }): void {
    this.mouse(`move ${from.x} ${from.y}`);
    this.mouse('down left');
    this.mouse(`move ${to.x} ${to.y}`);
    this.mouse('up left');
  }

  key(chord: string): void {
    this.send(keyChord(chord));
  }

  keys(text: string): void {
    this.send(typedKeys(text));
  }

  /** Open launcher entry `row` (0 Terminal, 1 File Manager, 2 Text Editor, 3 System Info). */
  launch(row: number): void {
    this.click(LAUNCHER_BUTTON);
    this.click(launcherRow(row));
    this.settle(50);
  }

  settle(ms: number): void {
    this.host.runUntil(this.host.machine.clock.now + ms * 1_000_000);
  }

  /** The pixel at (x, y) on screen, 0xRRGGBB. */
  pixel(x: number, y: number): number {
    return pixelOf(captureScreen(this.host.machine), x, y);
  }

  /** How many pixels of the rectangle differ from `colour`. */
  pixelsOtherThan(colour: number, x0: number, y0: number, width: number, height: number): number {
    const screen = captureScreen(this.host.machine);
    let count = 0;
    for (let y = y0; y < y0 + height; y++)
      for (let x = x0; x < x0 + width; x++) if (pixelOf(screen, x, y) !== colour) count++;
    return count;
  }

  digest(): string {
    return screenDigest(this.host.machine);
  }
}

function pixelOf(screen: { width: number; rgba: Uint8Array }, x: number, y: number): number {
  const i = (y * screen.width + x) * 4;
  return (screen.rgba[i]! << 16) | (screen.rgba[i + 1]! << 8) | screen.rgba[i + 2]!;
}
