/**
 * The shell's built-in commands, one table entry each.
 *
 * CottonOS's kernel shell offers these (system, utilities, power); `date`,
 * `sleep`, `dmesg`, `history` and the process commands (./process-commands.ts)
 * are additions. To add a command, add
 * an entry: `help` lists the table in this order.
 */
import { KERNEL_EDITION, KERNEL_NAME, KERNEL_VERSION } from '../lib/version';
import { powerOff, resetMachine } from '../arch/platform-power';
import { PIT_DIVISOR, PIT_INPUT_HZ } from '../drivers/pit8254';
import { BOLD, CLEAR_SCREEN, paint } from '../lib/ansi';
import { formatIsoDateTime, formatUnixDate } from '../lib/date';
import { formatDuration, formatSize, hex, KiB, pad } from '../lib/format';
import { summarizeMemory } from '../arch/memory-map';
import { physicalMemoryView } from '../mm/physical-memory-view';
import { sleepUntil, ticksNow } from '../sched/scheduler';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';
import { INSPECT_COMMANDS } from './inspect-commands';
import { FS_COMMANDS } from './fs-commands';
import { FS_INSPECT_COMMANDS } from './fs-inspect-commands';
import { PROCESS_COMMANDS } from './process-commands';
import { NET_COMMANDS } from './net-commands';
import { TLS_COMMANDS } from './tls-commands';
import { NET_INSPECT_COMMANDS } from './net-inspect-commands';

/** How long reboot/halt wait for the hardware before reporting that nothing happened. */
const POWER_TIMEOUT_MS = 100;

export const COMMANDS: readonly ShellCommand[] = [
  { name: 'help', help: 'list the commands', run: help },
  { name: 'echo', usage: '[words...]', help: 'print the words', run: echo },
  { name: 'clear', help: 'clear the screen', run: (_, sh) => sh.write(CLEAR_SCREEN) },
  { name: 'info', help: 'kernel, machine and boot information', run: info },
  { name: 'mem', help: "physical memory: the boot loader's map and the frame allocator", run: mem },
  { name: 'uptime', help: 'time since boot, from the PIT', run: uptime },
  { name: 'date', help: 'date and time, from the CMOS RTC', run: date },
  { name: 'sleep', usage: '<n>[s] | <n>ms', help: 'wait n seconds (or milliseconds)', run: sleep },
  { name: 'dmesg', help: 'the kernel log since boot', run: dmesg },
  { name: 'history', help: 'the lines entered so far', run: history },
  ...PROCESS_COMMANDS,
  ...FS_COMMANDS,
  ...FS_INSPECT_COMMANDS,
  ...INSPECT_COMMANDS,
  ...NET_COMMANDS,
  ...TLS_COMMANDS,
  ...NET_INSPECT_COMMANDS,
  { name: 'reboot', help: 'reset the machine (port 0xCF9)', run: reboot },
  { name: 'halt', help: 'power the machine off (ACPI S5)', run: halt },
];

function help(_args: string[], sh: ShellContext): void {
  const width = Math.max(...sh.commands.map((c) => commandSynopsis(c).length));
  for (const command of sh.commands) {
    sh.println(`  ${paint(BOLD, commandSynopsis(command).padEnd(width))}  ${command.help}`);
  }
}

function commandSynopsis(command: ShellCommand): string {
  return command.usage ? `${command.name} ${command.usage}` : command.name;
}

function echo(args: string[], sh: ShellContext): void {
  sh.println(args.join(' '));
}

function info(_args: string[], sh: ShellContext): void {
  const { bootInfo, pit, rtc } = sh.kernel;
  const memory = summarizeMemory(bootInfo.memoryMap);
  const fb = bootInfo.framebuffer;
  const rows: Array<[string, string]> = [
    ['kernel', `${KERNEL_NAME} ${KERNEL_VERSION} (${KERNEL_EDITION})`],
    ['boot loader', bootInfo.bootLoaderName || '(unknown)'],
    ['command line', bootInfo.commandLine || '(empty)'],
    ['machine', 'Cotton PC: x86-64 system architecture, RV32IM user CPU'],
    ['devices', '8259A PIC pair, 8254 PIT, 16550 UART (COM1), CMOS RTC'],
    ['timer', `${(PIT_INPUT_HZ / PIT_DIVISOR).toFixed(2)} Hz (PIT divisor ${PIT_DIVISOR})`],
    ['memory', `${formatSize(memory.usable)} usable of ${formatSize(memory.total)}`],
    [
      'display',
      fb ? `${fb.width}x${fb.height}x${fb.bitsPerPixel} framebuffer at ${hex(fb.address)}` : 'none',
    ],
    ['uptime', formatDuration(pit.uptimeMicros())],
    ['date', formatIsoDateTime(rtc.read())],
  ];
  for (const [label, value] of rows) sh.println(`${paint(BOLD, pad(label, 12))}  ${value}`);
}

function mem(_args: string[], sh: ShellContext): void {
  const view = physicalMemoryView(sh.kernel.bootInfo, sh.kernel.memory);
  for (const region of view.regions) {
    const last = region.base + region.length - 1;
    sh.println(
      `  [${hex(region.base, 16)}-${hex(last, 16)}] ${region.type.padEnd(10)} ${formatSize(region.length)}`,
    );
  }
  const { total, usable, reserved, frames, heap } = view;
  sh.println(`total:    ${formatSize(total)} (${total / KiB} KiB)`);
  sh.println(`usable:   ${formatSize(usable)} (${usable / KiB} KiB)`);
  sh.println(`reserved: ${formatSize(reserved)} (${reserved / KiB} KiB)`);
  sh.println(
    `frames:   ${frames.total} of 4 KiB: ${frames.used} used, ${frames.free} free (${formatSize(frames.free * frames.frameSize)})`,
  );
  sh.println(
    `heap:     ${formatSize(heap.usedBytes)} used of ${formatSize(heap.sizeBytes)} in ${heap.allocations} blocks`,
  );
}

function uptime(_args: string[], sh: ShellContext): void {
  const { pit } = sh.kernel;
  sh.println(`up ${formatDuration(pit.uptimeMicros())} (${pit.ticks} ticks)`);
}

function date(_args: string[], sh: ShellContext): void {
  sh.println(formatUnixDate(sh.kernel.rtc.read()));
}

/** "2" or "2s" → 2000, "1.5" → 1500, "250ms" → 250; null if not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  return match[2] === 'ms' ? value : value * 1000;
}

function* sleep(args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  const millis = args.length === 1 ? parseDuration(args[0]!) : null;
  if (millis === null) {
    sh.println(`sleep: usage: sleep <n>[s] | sleep <n>ms`);
    return EXIT_FAILURE;
  }
  yield* sleepFor(sh, millis);
  return EXIT_SUCCESS;
}

/**
 * Block the shell thread for at least `millis`: one tick more than the
 * duration, because the current tick is already partly over.
 */
function* sleepFor(sh: ShellContext, millis: number): Generator<void, void, void> {
  yield* sleepUntil(ticksNow() + sh.kernel.pit.ticksFor(millis) + 1);
}

function dmesg(_args: string[], sh: ShellContext): void {
  for (const line of sh.kernel.log.history()) sh.println(line);
}

function history(_args: string[], sh: ShellContext): void {
  sh.history().forEach((line, i) => sh.println(`${pad(i + 1, 5)}  ${line}`));
}

function* reboot(_args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  yield* sh.kernel.vfs.syncAll();
  sh.println('reboot: resetting the machine');
  resetMachine(sh.kernel.cpu);
  yield* sleepFor(sh, POWER_TIMEOUT_MS);
  sh.println('reboot: the machine did not reset');
  return EXIT_FAILURE;
}

function* halt(_args: string[], sh: ShellContext): Generator<void, ExitStatus, void> {
  yield* sh.kernel.vfs.syncAll();
  sh.println('halt: powering off');
  powerOff(sh.kernel.cpu);
  yield* sleepFor(sh, POWER_TIMEOUT_MS);
  sh.println('halt: the machine did not power off');
  return EXIT_FAILURE;
}
