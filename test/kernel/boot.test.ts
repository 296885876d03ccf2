/** The kernel booted on the real Cotton PC, in Node: bring-up, shell, panics. */
import { describe, expect, it } from 'vitest';
import { bootFromRepo, repoKernelSources } from '../../src/runtime/node/node-host';
import type { MachineHost } from '../../src/runtime/host/machine-host';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');
const OSC = (body: string) => `\x1b]133;${body}\x07`;

function booted(options: Parameters<typeof bootFromRepo>[0] = {}): {
  host: MachineHost;
  log: string;
} {
  const host = bootFromRepo(options);
  return { host, log: host.runUntilPrompt() };
}

/** Run until the machine stops for good (panic, power off), for at most `ms` of virtual time. */
function runUntilStopped(host: MachineHost, ms = 1000): void {
  for (let i = 0; i < ms && ['off', 'idle', 'running'].includes(host.state); i++) {
    host.runUntil(host.machine.clock.now + 1_000_000);
  }
}

/** The kernel with `file` edited by `edit`. */
function withEdit(file: string, edit: (source: string) => string): Record<string, string> {
  const original = repoKernelSources()[file]!;
  const edited = edit(original);
  expect(edited).not.toBe(original);
  return { [file]: edited };
}

describe('boot', () => {
  it('logs the bring-up with dmesg-style timestamps and ends at a prompt', () => {
    const { log } = booted({ commandLine: 'console=ttyS0 loglevel=7' });
    const text = plain(log);
    expect(text).toContain('CottonOS 0.1.0');
    for (const expected of [
      'boot loader: Cotton PC firmware (Multiboot2)',
      'command line: "console=ttyS0 loglevel=7"',
      'mem:   [0x0000000000000000-0x000000000009fbff] available',
      'mem:   [0x000000000009fc00-0x000000000009ffff] reserved',
      'mem:   [0x00000000000f0000-0x00000000000fffff] reserved',
      'mem:   [0x0000000000100000-0x0000000007ffffff] available',
      'mem: 127.6 MiB usable, 65 KiB reserved',
      'fb: 1024x768x32 linear framebuffer at 0xfd000000',
      'pic: remapped to 0x20/0x28',
      'pit: channel 0 rate generator, divisor 1193',
      'rtc: 2026-01-01 09:00:00 UTC',
    ]) {
      expect(text).toContain(expected);
    }
    const stamps = [...text.matchAll(/^\[ *(\d+\.\d{6})\] /gm)].map((m) => Number(m[1]));
    expect(stamps.length).toBeGreaterThan(15);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps.at(-1)).toBeGreaterThan(0);
    expect(
      log.endsWith(`${OSC('A')}\x1b[1m\x1b[32mcotton\x1b[0m:\x1b[1m\x1b[34m/\x1b[0m$ ${OSC('B')}`),
    ).toBe(true);
  });

  it('sizes memory from the map the firmware passes', () => {
    const { host, log } = booted({ ramMiB: 64 });
    expect(plain(log)).toContain('[0x0000000000100000-0x0000000003ffffff] available');
    expect(plain(host.command('mem'))).toContain(`usable:   63.6 MiB (${639 + 63 * 1024} KiB)`);
  });
});

describe('shell', () => {
  it('echoes, marks the command with OSC 133 C and D;0', () => {
    const { host } = booted();
    const out = host.command('echo hello');
    expect(out.startsWith(`echo hello\r\n${OSC('C')}hello\r\n${OSC('D;0')}${OSC('A')}`)).toBe(true);
    expect(out.endsWith(OSC('B'))).toBe(true);
    expect(plain(host.command('echo "two  spaces"'))).toContain('two  spaces\r\n');
  });

  it('lists every command in help', () => {
    const { host } = booted();
    const out = plain(host.command('help'));
    for (const name of [
      'help',
      'echo',
      'clear',
      'uptime',
      'mem',
      'info',
      'reboot',
      'halt',
      'date',
      'sleep',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('reports an unknown command with exit status 127', () => {
    const { host } = booted();
    const out = host.command('frobnicate now');
    expect(plain(out)).toContain('frobnicate: command not found\r\n');
    expect(out).toContain(OSC('D;127'));
  });

  it('recalls the previous line with the Up arrow', () => {
    const { host } = booted();
    host.command('echo first');
    host.command('echo second');
    host.type('\x1b[A\x1b[A\r');
    const out = plain(host.runUntilPrompt());
    expect(out).toContain('echo first\r\nfirst\r\n');
  });

  it('edits in the middle of the line', () => {
    const { host } = booted();
    host.type('eco hi\x1b[H\x1b[C\x1b[Ch\r');
    expect(plain(host.runUntilPrompt())).toContain('hi\r\n');
  });

  it('drops the line on Ctrl-C and starts a new prompt', () => {
    const { host } = booted();
    host.type('echo never\x03');
    const out = host.runUntilPrompt();
    expect(out).toContain('^C\r\n');
    expect(out).not.toContain(OSC('C'));
    expect(plain(host.command('history'))).not.toContain('never');
  });

  it('sleeps on the timer without busy-waiting and counts uptime from the PIT', () => {
    const { host } = booted();
    const before = host.machine.clock.now;
    host.command('sleep 250ms');
    const slept = (host.machine.clock.now - before) / 1e6;
    expect(slept).toBeGreaterThanOrEqual(250);
    expect(slept).toBeLessThan(260);
    host.command('sleep 1');
    expect(plain(host.command('uptime'))).toMatch(/up 0:00:01\.2\d\d \(12\d\d ticks\)/);
  });

  it('reads the date from the RTC', () => {
    const { host } = booted({ startTime: Date.UTC(2026, 5, 11, 10, 39, 22) / 1000 });
    expect(plain(host.command('date'))).toContain('Thu Jun 11 10:39:22 UTC 2026');
    expect(plain(host.command('info'))).toMatch(/date +2026-06-11 10:39:2\d UTC/);
  });

  it('shows the command line and memory in info', () => {
    const { host } = booted({ commandLine: 'quiet' });
    const out = plain(host.command('info'));
    expect(out).toMatch(/command line +quiet/);
    expect(out).toMatch(/memory +127\.6 MiB usable/);
  });

  it('reboots through port 0xCF9 and boots again', () => {
    const { host } = booted();
    const out = plain(host.command('reboot'));
    expect(out).toContain('reboot: resetting the machine');
    expect(out).toContain('CottonOS 0.1.0');
    expect(plain(host.command('echo back'))).toContain('back');
  });

  it('powers off with halt', () => {
    const { host } = booted();
    host.type('halt\r');
    runUntilStopped(host);
    expect(host.state).toBe('poweroff');
  });
});

describe('panic', () => {
  it('turns an exception in a command into a panic report with kernel frames', () => {
    const overrides = withEdit('src/kernel/shell/commands.ts', (s) =>
      s.replace(
        "  sh.println(args.join(' '));",
        "  const words: string[] | undefined = args.length > 0 ? undefined : args;\n  sh.println(words!.join(' '));",
      ),
    );
    const { host } = booted({ overrides });
    host.type('echo boom\r');
    runUntilStopped(host);
    expect(host.state).toBe('panicked');
    const report = plain(host.output.slice(host.output.indexOf('KERNEL PANIC') - 20));
    expect(host.output).toContain('\x1b[1;31mKERNEL PANIC\x1b[0m');
    expect(report).toContain(
      "KERNEL PANIC: TypeError: Cannot read properties of undefined (reading 'join')",
    );
    expect(report).toMatch(/^ {2}echo at src\/kernel\/shell\/commands\.ts:\d\d:\d+\r$/m);
    expect(report).toMatch(/^ {2}runCommand at src\/kernel\/shell\/shell\.ts:\d+:\d+\r$/m);
    expect(report).toContain('cpu halted.');
  });

  it('panics with the exception name for a CPU exception', () => {
    const overrides = withEdit('src/kernel/shell/commands.ts', (s) =>
      s.replace("  sh.println(args.join(' '));", '  sh.kernel.cpu.int(13);'),
    );
    const { host } = booted({ overrides });
    host.type('echo x\r');
    runUntilStopped(host);
    expect(host.state).toBe('panicked');
    expect(plain(host.output)).toContain(
      'KERNEL PANIC: CpuException: #GP General Protection (vector 13, error code 0x0)',
    );
  });

  it('panics when an interrupt handler throws', () => {
    const overrides = withEdit('src/kernel/drivers/pit8254.ts', (s) =>
      s.replace(
        '    this.ticks++;',
        "    this.ticks++;\n    if (this.ticks === 100) throw new Error('tick 100');",
      ),
    );
    const host = bootFromRepo({ overrides });
    runUntilStopped(host);
    expect(host.state).toBe('panicked');
    expect(plain(host.output)).toMatch(
      /KERNEL PANIC: Error: tick 100\r\n[^]*tick at src\/kernel\/drivers\/pit8254\.ts:\d+/,
    );
  });

  it('panics with a clear message when not started by a Multiboot2 loader', async () => {
    const { kernelEntry } = await import('../../src/kernel/boot/entry');
    const written: number[] = [];
    const ports = new Map<number, number>();
    const cpu = {
      inb: (port: number) => (port === 0x3fd ? 0x60 : 0),
      outb: (port: number, value: number) =>
        port === 0x3f8 ? written.push(value) : ports.set(port, value),
      cli: () => {},
      hlt: () => ({ kind: 'hlt' as const }),
    };
    const main = kernelEntry(cpu as never, { eax: 0x2badb002, ebx: 0 });
    expect(main.next().value).toEqual({ kind: 'hlt' });
    const text = String.fromCharCode(...written);
    expect(text).toContain(
      'not started by a Multiboot2 boot loader (EAX = 0x2badb002, expected 0x36d76289)',
    );
    expect(ports.get(0x505)).toBe(1);
  });
});
