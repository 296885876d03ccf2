/**
 * Kernel panic: the end of the line when the kernel finds itself broken.
 *
 * Models: Linux's panic() and CottonOS's panic handler. Something the kernel
 * cannot recover from happened (a CPU exception, or here any JavaScript
 * exception in kernel code: a bug). The panic path trusts as little of the
 * kernel as it can: it disables interrupts, writes its report to COM1 with
 * its own few lines of polling code (in case the console driver is what
 * broke), tells the host through the pvpanic device, and halts for good.
 *
 * The report names the error and lists the stack frames that are in kernel
 * files, so a reader sees which line of which file went wrong.
 */
import type { HaltRequest, MachineInterface } from '../../emu/machine-interface';
import { notifyPanic } from './platform-power';
import { BRIGHT_RED, RESET } from '../lib/ansi';
import { formatFrame, kernelFrames } from '../lib/stack-trace';

// Just enough of the 16550 to print (see drivers/uart16550.ts for the full driver).
const COM1_THR = 0x3f8;
const COM1_LSR = 0x3fd;
const LSR_THR_EMPTY = 0x20;

let panicking = false;

/** Halt the machine with a report about `error`. Never returns. */
export function* panic(cpu: MachineInterface, error: unknown): Generator<HaltRequest, void, void> {
  cpu.cli();
  if (!panicking) {
    panicking = true;
    try {
      printReport(cpu, error);
    } catch {
      // The report itself failed; halting is all that is left to do.
    }
    notifyPanic(cpu);
  }
  for (;;) {
    cpu.cli();
    yield cpu.hlt(); // with interrupts off, the CPU never wakes up
  }
}

/** The lines of the panic report for `error`, without colours or line ends. */
export function panicReport(error: unknown): string[] {
  const { title, stack } = describe(error);
  const frames = kernelFrames(stack);
  const lines = [`KERNEL PANIC: ${title}`];
  if (frames.length > 0) {
    lines.push('stack (innermost first):');
    for (const frame of frames) lines.push(`  ${formatFrame(frame)}`);
  } else {
    lines.push('stack: no frames in kernel files');
  }
  lines.push('cpu halted.');
  return lines;
}

function describe(error: unknown): { title: string; stack: string } {
  if (error instanceof Error) {
    return { title: `${error.name}: ${error.message}`, stack: error.stack ?? '' };
  }
  let text: string;
  try {
    text = String(error);
  } catch {
    text = typeof error;
  }
  return { title: `non-Error value thrown: ${text}`, stack: '' };
}

function printReport(cpu: MachineInterface, error: unknown): void {
  const [first, ...rest] = panicReport(error);
  const headline = first!.replace('KERNEL PANIC', `${BRIGHT_RED}KERNEL PANIC${RESET}`);
  write(cpu, `\r\n${headline}\r\n${rest.join('\r\n')}\r\n`);
}

/** Polling output straight to COM1; non-ASCII characters become '?'. */
function write(cpu: MachineInterface, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    while ((cpu.inb(COM1_LSR) & LSR_THR_EMPTY) === 0) {
      // wait for the transmitter
    }
    cpu.outb(COM1_THR, code < 0x80 ? code : 0x3f);
  }
}
