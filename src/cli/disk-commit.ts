/**
 * A clean stop for `cotton boot --disk`: what reaches the image, and when.
 *
 * The kernel keeps what programs write in its block cache and commits it to
 * the disk through the journal every second (the flusher thread of
 * src/kernel/boot/kernel-init.ts, which calls the same `syncAll` as the shell's
 * `sync`), as a real kernel's write-back does. A run that simply stopped would
 * be a power cut: the last second's writes would never reach the file. So
 * before it exits, `cotton boot` lets the machine run two flusher intervals
 * more of virtual time (an idle machine does this at once, since a halted CPU
 * jumps to its next timer), and the kernel commits everything it holds. A run
 * with --power-cut skips this on purpose, to see what the journal saves.
 */
import type { MachineHost } from '../runtime/host/machine-host';

const NS_PER_MS = 1_000_000;
/** The kernel flusher's period, FLUSH_INTERVAL_MS of kernel-init.ts (which the kernel's loader links, not Node; a test checks they agree). */
export const KERNEL_FLUSH_INTERVAL_MS = 1000;
/** Two flusher intervals: one may have just begun when the last write was made. */
export const COMMIT_WAIT_MS = 2 * KERNEL_FLUSH_INTERVAL_MS + 100;

/**
 * Run the machine COMMIT_WAIT_MS more of virtual time so the kernel's flusher
 * commits, or until wall-clock `wallDeadline` (Date.now() ms). Returns
 * whether the machine got that time (false: it stopped, or the host ran out).
 */
export function commitBeforeExit(host: MachineHost, wallDeadline: number): boolean {
  const until = host.machine.clock.now + COMMIT_WAIT_MS * NS_PER_MS;
  while (host.machine.clock.now < until) {
    const state = host.runUntil(Math.min(until, host.machine.clock.now + NS_PER_MS));
    if (state !== 'idle' && state !== 'running') return false;
    if (Date.now() > wallDeadline) return false;
  }
  return true;
}
