/**
 * The desktop on the machine: booted with `gui`, driven through the PS/2
 * keyboard and mouse, checked on the VBE framebuffer.
 *
 * The golden digests are SHA-256 of the whole screen's RGBA after a scripted
 * boot; the machine is deterministic, so they are the same on every run. A
 * change that moves a pixel of the desktop (or a number System Info shows)
 * changes them: look at `cotton boot --cmdline gui --screenshot` before and
 * after, then update them from the failure's "received".
 */
import { describe, expect, it } from 'vitest';
import {
  CASCADE_STEP,
  DESKTOP_BACKGROUND,
  DesktopMachine,
  FIRST_WINDOW,
  TITLE_BAR_ACTIVE,
} from './desktop-machine';

const GOLDEN: Record<string, string> = {
  desktop: '6c3bc85350e67a1318f727766cfd1f395673b0e4860359097c521e0665c3f3b8',
  terminal: '51c821a7c0779ae10e6b3fafcb4b139644a9a1012bd7ef057281675197373c3c',
  files: 'a81390dc3f0e5ae172bd923516cee115638592700d33df62b89b9a4136357140',
  editor: '176f2da227a50b26764f98cf869cb888a1a9dc645e5ad3a31ab4d8c8a6488ec0',
  sysinfo: 'b1084be3c1a20bf1d79e6ad0d570edc3c0f2cf4ad107b2b40a1b56ca608fb68e',
};
const APPS = ['terminal', 'files', 'editor', 'sysinfo'] as const;
const TERMINAL_BACKGROUND = 0x1e1e1e;
const WHITE = 0xffffff;

describe('the desktop on the machine', () => {
  it('boots to the same desktop, pixel for pixel, and each app opens to its golden frame', () => {
    expect(new DesktopMachine().digest()).toBe(GOLDEN.desktop);
    for (const [row, app] of APPS.entries()) {
      const machine = new DesktopMachine();
      machine.launch(row);
      machine.settle(300);
      expect(machine.digest(), app).toBe(GOLDEN[app]);
    }
  }, 60_000);

  it('drags a window by its title bar, minimises, restores it from the taskbar and closes it', () => {
    const machine = new DesktopMachine();
    machine.launch(3); // System Info at the first cascade position
    const title = { x: FIRST_WINDOW.x + 200, y: FIRST_WINDOW.y + 8 };
    expect(machine.pixel(title.x, title.y)).toBe(TITLE_BAR_ACTIVE);
    machine.drag(title, { x: title.x + 200, y: title.y + 260 });
    const moved = { x: FIRST_WINDOW.x + 200, y: FIRST_WINDOW.y + 260 };
    // A point of the moved title bar away from the pointer (which sits where the drag ended).
    const probe = { x: moved.x + 120, y: moved.y + 4 };
    expect(machine.pixel(title.x, title.y)).toBe(DESKTOP_BACKGROUND);
    expect(machine.pixel(probe.x, probe.y)).toBe(TITLE_BAR_ACTIVE);

    machine.click({ x: moved.x + 34, y: moved.y + 12 }); // the yellow button
    expect(machine.pixel(probe.x, probe.y)).toBe(DESKTOP_BACKGROUND);
    machine.click({ x: 145, y: 754 }); // its taskbar entry
    expect(machine.pixel(probe.x, probe.y)).toBe(TITLE_BAR_ACTIVE);

    machine.click({ x: moved.x + 14, y: moved.y + 12 }); // the red button
    expect(machine.pixel(probe.x, probe.y)).toBe(DESKTOP_BACKGROUND);
  });

  it('raises the window clicked, over the one that covered it', () => {
    const machine = new DesktopMachine();
    machine.launch(0); // Terminal at (48, 32)
    machine.launch(1); // File Manager at (76, 60), on top
    const overlap = { x: 300, y: 200 };
    expect(machine.pixel(overlap.x, overlap.y)).toBe(WHITE);
    machine.click({ x: FIRST_WINDOW.x + 10, y: 300 }); // the Terminal's visible left edge
    expect(machine.pixel(overlap.x, overlap.y)).toBe(TERMINAL_BACKGROUND);
  });

  it('saves a file from the Text Editor that cat shows and the File Manager lists', () => {
    const machine = new DesktopMachine();
    const nameColumn = (frame: { x: number; y: number }, row: number) =>
      [frame.x + 30, frame.y + 24 + 28 + 22 * row, 120, 22] as const;
    machine.launch(1); // File Manager at the first position: welcome.txt only
    expect(machine.pixelsOtherThan(WHITE, ...nameColumn(FIRST_WINDOW, 0))).toBeGreaterThan(0);
    expect(machine.pixelsOtherThan(WHITE, ...nameColumn(FIRST_WINDOW, 1))).toBe(0);
    machine.click({ x: FIRST_WINDOW.x + 14, y: FIRST_WINDOW.y + 12 }); // close it

    machine.launch(2); // Text Editor, second position
    machine.keys('hello from the desktop\n');
    machine.key('ctrl+s'); // a new file: the Save As dialog, in /home/reader/
    machine.keys('note.txt\n');
    machine.settle(200);
    expect(machine.host.command('cat /home/reader/note.txt')).toContain('hello from the desktop');

    machine.launch(1); // File Manager, third position: note.txt, welcome.txt
    machine.settle(100);
    const third = { x: FIRST_WINDOW.x + 2 * CASCADE_STEP, y: FIRST_WINDOW.y + 2 * CASCADE_STEP };
    expect(machine.pixelsOtherThan(WHITE, ...nameColumn(third, 1))).toBeGreaterThan(0);
  });

  it('runs the shell in a Terminal window, and the serial shell beside it', () => {
    const machine = new DesktopMachine();
    machine.launch(0);
    const before = machine.digest();
    machine.keys('echo window\n');
    machine.settle(100);
    expect(machine.digest()).not.toBe(before);
    expect(machine.host.command('ps')).toMatch(/\[shell\][\s\S]*\[shell\]/);
  });
});
