/**
 * Windows for user programs, on the machine: booted with `gui`, programs
 * started from the serial shell open windows (syscall/window-calls.ts) that
 * the desktop shows (gui/apps/program-window.ts), driven through the PS/2
 * mouse and keyboard and checked on the VBE framebuffer.
 *
 * Each program's window opens at the first cascade position with a client
 * area of exactly the size it asked for, one pixel in from the frame's left
 * edge and below the 24-pixel title bar.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DESKTOP_BACKGROUND, DesktopMachine, FIRST_WINDOW } from './desktop-machine';

/** The client area's top-left corner on screen, for a window at the first cascade position. */
const CLIENT = { x: FIRST_WINDOW.x + 1, y: FIRST_WINDOW.y + 24 };
const CLOCK = { width: 180, height: 214 };
const PAINT_PALETTE_HEIGHT = 24;
/** paint's swatches: 20 pixels wide, every 26 from x = 4, 2 pixels down; the second is red. */
const RED_SWATCH = { x: 4 + 26 + 10, y: 12 };
const BLACK = 0x000000;
const WHITE = 0xffffff;
const RED = 0xe02020;
const WINCRASH_RED = 0xff0000;
const TERMINAL_LAUNCHER_ROW = 0;

/** A point of the client area, on screen. */
const inClient = (x: number, y: number) => ({ x: CLIENT.x + x, y: CLIENT.y + y });

/** The exit status the shell reported for the last command (its OSC 133 "D" mark). */
function exitStatus(output: string): number {
  const marks = [...output.matchAll(/\x1b\]133;D;(\d+)/g)];
  return Number(marks.at(-1)?.[1]);
}

/** SHA-256 of a rectangle of the screen. */
function areaDigest(machine: DesktopMachine, x: number, y: number, width: number, height: number) {
  const rgba = machine.host.machine.display.readRgba({ x, y, width, height });
  return createHash('sha256').update(rgba).digest('hex');
}

/** The program's line in `ps`, or undefined once it is gone. */
function psLine(machine: DesktopMachine, program: string): string | undefined {
  return machine.host
    .command('ps')
    .split('\n')
    .find((line) => line.includes(`/bin/${program}`));
}

/** Whether the program is still alive (an exited one may stay a zombie until the shell reaps it). */
function alive(machine: DesktopMachine, program: string): boolean {
  return /sleeping|blocked|running|ready/.test(psLine(machine, program) ?? '');
}

describe('windows for user programs', () => {
  it('shows clock in a window that changes as a second of virtual time passes', () => {
    const machine = new DesktopMachine();
    const clientArea = () => areaDigest(machine, CLIENT.x, CLIENT.y, CLOCK.width, CLOCK.height);
    const empty = clientArea();
    expect(exitStatus(machine.host.command('clock &'))).toBe(0);
    machine.settle(300);
    const first = clientArea();
    expect(first).not.toBe(empty);
    expect(machine.pixel(inClient(90, 90).x, inClient(90, 90).y)).toBe(0xd03030); // the hub
    machine.settle(1000);
    expect(clientArea()).not.toBe(first);
    expect(psLine(machine, 'clock')).toMatch(/sleeping/);
  }, 60_000);

  it('draws in paint where the mouse drags, in the colour picked, and clears with C', () => {
    const machine = new DesktopMachine();
    machine.host.command('paint &');
    machine.settle(200);
    const from = inClient(40, 100);
    const to = inClient(200, 100);
    expect(machine.pixel(120 + CLIENT.x, from.y)).toBe(WHITE);
    machine.drag(from, to);
    machine.settle(100);
    expect(machine.pixel(CLIENT.x + 120, from.y)).toBe(BLACK); // on the stroke
    expect(machine.pixel(CLIENT.x + 120, from.y + 20)).toBe(WHITE); // beside it
    expect(machine.pixel(CLIENT.x + 20, from.y)).toBe(WHITE); // before its start

    machine.click(inClient(RED_SWATCH.x, RED_SWATCH.y));
    machine.drag(inClient(120, 60), inClient(120, 180));
    machine.settle(100);
    expect(machine.pixel(CLIENT.x + 120, CLIENT.y + 140)).toBe(RED);
    expect(machine.pixel(CLIENT.x + 120, CLIENT.y + PAINT_PALETTE_HEIGHT - 1)).not.toBe(RED);

    machine.keys('c');
    machine.mouse('move 900 600'); // the pointer out of the way
    machine.settle(100);
    expect(machine.pixelsOtherThan(WHITE, CLIENT.x, CLIENT.y + 30, 300, 200)).toBe(0);
  }, 60_000);

  it('asks the program to quit with the close button, and the window goes when it exits', () => {
    const machine = new DesktopMachine();
    machine.host.command('paint &');
    machine.settle(200);
    expect(alive(machine, 'paint')).toBe(true);
    machine.click({ x: FIRST_WINDOW.x + 14, y: FIRST_WINDOW.y + 12 }); // the red button
    machine.settle(200);
    expect(alive(machine, 'paint')).toBe(false);
    expect(machine.pixel(CLIENT.x + 100, CLIENT.y + 100)).toBe(DESKTOP_BACKGROUND);
  }, 60_000);

  it('closes the window of a program killed while it waits for an event', () => {
    const machine = new DesktopMachine();
    const pid = Number(/\[(\d+)\]/.exec(machine.host.command('paint &'))?.[1]);
    machine.settle(200);
    expect(psLine(machine, 'paint')).toMatch(/blocked/); // in window_event
    expect(machine.pixel(CLIENT.x + 100, CLIENT.y + 100)).toBe(WHITE);
    machine.host.command(`kill ${pid} 9`);
    machine.settle(200);
    expect(alive(machine, 'paint')).toBe(false);
    expect(machine.pixel(CLIENT.x + 100, CLIENT.y + 100)).toBe(DESKTOP_BACKGROUND);
  }, 60_000);

  it('takes a crashing program’s window away, and the desktop and its Terminal go on', () => {
    const machine = new DesktopMachine();
    machine.host.command('wincrash &');
    machine.settle(200);
    expect(machine.pixel(CLIENT.x + 100, CLIENT.y + 60)).toBe(WINCRASH_RED);
    machine.keys('x'); // the window has the focus: the key makes it crash
    machine.settle(200);
    expect(alive(machine, 'wincrash')).toBe(false);
    expect(machine.host.output).toContain('done, exit status 139'); // killed by SIGSEGV (128 + 11)
    expect(machine.pixel(CLIENT.x + 100, CLIENT.y + 60)).toBe(DESKTOP_BACKGROUND);

    machine.launch(TERMINAL_LAUNCHER_ROW);
    machine.settle(100);
    const before = machine.digest();
    machine.keys('echo still here\n');
    machine.settle(100);
    expect(machine.digest()).not.toBe(before);
  }, 60_000);

  it('answers bad descriptors, pointers and sizes with EBADF, EFAULT and EINVAL', () => {
    const machine = new DesktopMachine();
    const output = machine.host.command('wintest');
    expect(output).toContain('wintest: all ok');
    expect(output).not.toContain('WRONG');
    expect(output).toMatch(/window_map\(42\)\s+=\s+-9 EBADF/);
    expect(output).toMatch(/window_event\(fd, kernel\)\s+=\s+-14 EFAULT/);
    expect(exitStatus(output)).toBe(0);
    // The desktop is untouched by it: the test's window was closed.
    expect(machine.pixel(CLIENT.x + 30, CLIENT.y + 20)).toBe(DESKTOP_BACKGROUND);
  }, 60_000);

  it('answers ENODEV when no desktop runs, and clock says so', () => {
    const machine = new DesktopMachine('');
    const output = machine.host.command('wintest');
    expect(output).toMatch(/window_open without a desktop\s+=\s+-19 ENODEV\s+ok/);
    expect(exitStatus(output)).toBe(2);
    const clock = machine.host.command('clock');
    expect(clock).toContain('clock: window_open: ENODEV');
    expect(exitStatus(clock)).toBe(1);
  }, 60_000);
});
