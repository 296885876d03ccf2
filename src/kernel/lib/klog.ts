/**
 * The kernel log: timestamped messages, printed and kept for `dmesg`.
 *
 * Models: Linux's printk and its ring buffer, and the format `dmesg` shows:
 * "[    0.001234] pic: remapped to 0x20/0x28", seconds since boot with
 * microseconds. Time comes from the PIT (see drivers/pit8254.ts); messages
 * logged before the timer is programmed show 0.000000, as on Linux, because
 * there is no clock yet to read.
 */
import { DIM, GREEN, YELLOW, paint } from './ansi';
import { formatSeconds, pad } from './format';

/** Lines kept for `dmesg`; the oldest are dropped first. */
const LOG_CAPACITY = 512;

export interface LogOutput {
  write(text: string): void;
}

export class KernelLog {
  private readonly lines: string[] = [];

  constructor(
    private readonly output: LogOutput,
    private readonly uptimeMicros: () => number,
  ) {}

  /** Log `message` from `subsystem` ("pic", "mem", …). */
  log(subsystem: string, message: string): void {
    const stamp = `[${pad(formatSeconds(this.uptimeMicros()), 12)}]`;
    this.lines.push(`${stamp} ${subsystem}: ${message}`);
    if (this.lines.length > LOG_CAPACITY) this.lines.shift();
    this.output.write(
      `${paint(GREEN, stamp)} ${paint(YELLOW, subsystem)}${paint(DIM, ':')} ${message}\r\n`,
    );
  }

  /** Everything logged so far, oldest first, without colours. */
  history(): readonly string[] {
    return this.lines;
  }
}
