/** The desktop seen from the serial console: `launch`, `windows` and `damage` on a booted desktop. */
import { describe, expect, it } from 'vitest';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { DesktopMachine } from './desktop-machine';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('desktop inspection commands', () => {
  it('launch opens windows that windows lists top first, the focused one marked', () => {
    const desktop = new DesktopMachine();
    desktop.host.command('launch terminal');
    desktop.host.command('launch sysinfo');
    const output = plain(desktop.host.command('windows'));
    expect(output).toContain('2 windows, top first');
    const rows = output.split('\n').filter((line) => /^ {2}[* -] *\d+ /.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^ {2}\* +2 +76 +60 .*System Info/);
    expect(rows[1]).toMatch(/^ {3} +1 +48 +32 .*Terminal/);
  });

  it('damage shows the frames that changed the screen, the first one whole', () => {
    const desktop = new DesktopMachine();
    const output = plain(desktop.host.command('damage'));
    expect(output).toMatch(/frame +1: +786432 px in 1: 0,0 1024x768/);
    desktop.mouse('move 400 300');
    const moved = plain(desktop.host.command('damage'));
    expect(moved).toMatch(/frame +2: +432 px in 2: 0,0 12x18 {2}400,300 12x18/);
  });

  it('launch rejects an unknown program, and every command explains when there is no desktop', () => {
    const desktop = new DesktopMachine();
    expect(plain(desktop.host.command('launch doom'))).toContain(
      'launch: usage: launch terminal|files|editor|sysinfo',
    );
    const host = bootFromRepo();
    host.runUntilPrompt();
    for (const command of ['windows', 'damage', 'launch terminal'])
      expect(plain(host.command(command))).toContain('no desktop');
  });
});
