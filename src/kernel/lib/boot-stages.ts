/**
 * The boot as stages on the virtual clock, read back from the kernel log.
 *
 * Each step of bring-up logs under its subsystem's name (serial, boot, mem,
 * idt, pic, pit, ..., init; boot/entry.ts and boot/kernel-init.ts), with the
 * time from the PIT, so the log already is the boot's timeline: a stage is a
 * run of consecutive messages from one subsystem, starting at its first
 * message's time. Boot ends with init's message (the exec of /bin/init, or
 * that there is none). Messages logged before the timer started all read
 * 0 µs, as dmesg shows them: there was no clock yet. The times are virtual,
 * so the same kernel always boots in the same stages at the same times.
 *
 * `dmesg` prints the same messages; the Boot chapter's timeline figure draws
 * these stages (inspect/views.ts).
 */
import type { LogEntry } from './klog';

/** The subsystem whose message ends the boot: init, starting user space. */
const LAST_STAGE = 'init';

export interface BootStage {
  readonly subsystem: string;
  /** When its first message was logged, in microseconds since the timer started. */
  readonly startMicros: number;
  /** When its last message was logged. */
  readonly lastMicros: number;
  readonly messages: number;
  readonly firstMessage: string;
}

export interface BootStagesView {
  readonly stages: readonly BootStage[];
  /** The boot has reached init (otherwise it is still going, or never got there). */
  readonly complete: boolean;
  /** The log has dropped its oldest messages, so the first stages are missing. */
  readonly truncated: boolean;
}

/** The stages of the boot in `entries`, the log's messages, of which the `dropped` oldest are gone. */
export function bootStages(entries: readonly LogEntry[], dropped: number): BootStagesView {
  const stages: BootStage[] = [];
  let complete = false;
  for (const entry of entries) {
    const current = stages[stages.length - 1];
    if (current && current.subsystem === entry.subsystem) {
      stages[stages.length - 1] = {
        ...current,
        lastMicros: entry.micros,
        messages: current.messages + 1,
      };
    } else if (complete) {
      break;
    } else {
      stages.push({
        subsystem: entry.subsystem,
        startMicros: entry.micros,
        lastMicros: entry.micros,
        messages: 1,
        firstMessage: entry.message,
      });
    }
    if (entry.subsystem === LAST_STAGE) complete = true;
  }
  return { stages, complete, truncated: dropped > 0 };
}
