/**
 * The worker's side of the page's watchdog (browser/watchdog.ts): beats sent
 * from inside the machine's run loop.
 *
 * Kernel code runs on the worker's only thread, so the worker cannot watch
 * itself; but it can say, while it works, that it still works. Every host
 * tells us when it builds a kernel and before each slice of machine time
 * (machine-host.ts, listenToHosts); we pass that on to the page's port,
 * at most every BEAT_MS unless the activity changes. postMessage sends at
 * once even while this thread stays busy, so the beats reach the page during
 * a long fast-mode check as well as between real-time slices. A kernel stuck
 * in a loop never comes back from its slice, and the beats stop.
 *
 * The beat carries the machine's virtual time, so the page counts as progress
 * only a machine whose clock moved, and its activity: while a kernel is being
 * built (transpiled, linked, its disk made) no kernel loop can run yet, and
 * the page waits without its short watchdog.
 */
import { type HostActivity, listenToHosts } from '../host/machine-host';

/** The longest gap between two beats of a working machine (the page allows much more). */
export const BEAT_MS = 100;

export interface Beat {
  readonly activity: HostActivity;
  /** The machine's virtual time; 0 while building. */
  readonly virtualNs: number;
}

let port: MessagePort | null = null;
let lastActivity: HostActivity | null = null;
let lastBeatAt = Number.NEGATIVE_INFINITY;

/** Tell the page what this worker does now (throttled to one beat per BEAT_MS per activity). */
export function beat(activity: HostActivity, virtualNs: number): void {
  if (!port) return;
  const now = performance.now();
  if (activity === lastActivity && now - lastBeatAt < BEAT_MS) return;
  lastActivity = activity;
  lastBeatAt = now;
  port.postMessage({ activity, virtualNs } satisfies Beat);
}

/** Send this worker's beats to `to` from now on. */
export function reportLiveness(to: MessagePort): void {
  port = to;
  listenToHosts(beat);
}
