/**
 * The kernel log: timestamped messages, printed and kept for `dmesg`.
 *
 * Models: Linux's printk and its ring buffer, and the format `dmesg` shows:
 * "[    0.001234] pic: remapped to 0x20/0x28", seconds since boot with
 * microseconds. Time comes from the PIT (see drivers/pit8254.ts); messages
 * logged before the timer is programmed show 0.000000, as on Linux, because
 * there is no clock yet to read. The log keeps each message with its time and
 * subsystem, so the boot's stages can be read back as data (boot-stages.ts).
 */
import { DIM, GREEN, YELLOW, paint } from './ansi';
import { formatSeconds, pad } from './format';

/** Lines kept for `dmesg`; the oldest are dropped first. */
const LOG_CAPACITY = 512;

export interface LogOutput {
  write(text: string): void;
}

/** One message as the log keeps it. */
export interface LogEntry {
  /** Microseconds since the timer started (0 before it did). */
  readonly micros: number;
  readonly subsystem: string;
  readonly message: string;
}

export class KernelLog {
  private readonly kept: LogEntry[] = [];
  /** Messages dropped from the front to stay within LOG_CAPACITY. */
  private droppedCount = 0;

  constructor(
    private readonly output: LogOutput,
    private readonly uptimeMicros: () => number,
  ) {}

  /** Log `message` from `subsystem` ("pic", "mem", …). */
  log(subsystem: string, message: string): void {
    const entry = { micros: this.uptimeMicros(), subsystem, message };
    this.kept.push(entry);
    if (this.kept.length > LOG_CAPACITY) {
      this.kept.shift();
      this.droppedCount++;
    }
    this.output.write(
      `${paint(GREEN, stampOf(entry))} ${paint(YELLOW, subsystem)}${paint(DIM, ':')} ${message}\r\n`,
    );
  }

  /** Everything logged so far (the last LOG_CAPACITY messages), oldest first, without colours. */
  history(): string[] {
    return this.kept.map((entry) => `${stampOf(entry)} ${entry.subsystem}: ${entry.message}`);
  }

  /** The same messages as data. */
  entries(): readonly LogEntry[] {
    return this.kept;
  }

  /** How many of the oldest messages are gone. */
  get dropped(): number {
    return this.droppedCount;
  }
}

/** "[    0.001234]": seconds since boot, as dmesg writes them. */
function stampOf(entry: LogEntry): string {
  return `[${pad(formatSeconds(entry.micros), 12)}]`;
}
