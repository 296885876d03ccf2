/**
 * What the book's player plays: a recorded session laid out on the playback
 * clock. Output and resizes are placed at playback seconds (at speed 1, with
 * pauses longer than the idle limit shortened to it, as asciinema's player
 * does); commands and markers get the same clock, so the seek bar, the
 * command list and the chapters all speak of one time.
 *
 * The idle limit is fixed when the timeline is built: keyframes are taken on
 * this clock. Speed is not: it only scales how fast the clock runs.
 * DOM-free, so the seek tests run it in Node.
 */
import type { Session } from '../../nex/session';

export type TimelineStep =
  | { readonly kind: 'output'; readonly at: number; readonly data: Uint8Array }
  | { readonly kind: 'resize'; readonly at: number; readonly cols: number; readonly rows: number };

export interface TimelineCommand {
  readonly line: string;
  readonly at: number;
  /** Recorded seconds, null if the recording ended while it ran. */
  readonly duration: number | null;
  readonly exitCode: number | null;
}

export interface TimelineMarker {
  readonly label: string;
  readonly at: number;
}

export interface PlayerTimeline {
  readonly steps: readonly TimelineStep[];
  readonly commands: readonly TimelineCommand[];
  readonly markers: readonly TimelineMarker[];
  readonly duration: number;
  readonly cols: number;
  readonly rows: number;
}

/** Recorded time → playback time, for times in increasing order (events are in time order). */
function playbackClock(idleLimit: number): (t: number) => number {
  let recorded = 0;
  let at = 0;
  return (t) => {
    if (t > recorded) at += Math.min(t - recorded, idleLimit);
    recorded = Math.max(recorded, t);
    return at;
  };
}

/** Playback time of any recorded time `t`, given the (recorded, playback) pairs of the events. */
function mapTime(
  pairs: readonly (readonly [number, number])[],
  t: number,
  idleLimit: number,
): number {
  let lo = 0;
  let hi = pairs.length - 1;
  if (hi < 0 || t < pairs[0]![0]) return Math.min(t, idleLimit);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pairs[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  const [recorded, at] = pairs[lo]!;
  return at + Math.min(t - recorded, idleLimit);
}

export function buildTimeline(session: Session, idleLimit = Infinity): PlayerTimeline {
  if (!(idleLimit > 0)) throw new RangeError(`idle limit must be positive, not ${idleLimit}`);
  const clock = playbackClock(idleLimit);
  const steps: TimelineStep[] = [];
  const pairs: [number, number][] = [];
  for (const event of session.events) {
    const at = clock(event.t);
    pairs.push([event.t, at]);
    if (event.kind === 'output') steps.push({ kind: 'output', at, data: event.data });
    else if (event.kind === 'resize')
      steps.push({ kind: 'resize', at, cols: event.cols, rows: event.rows });
  }
  const toPlayback = (t: number): number => mapTime(pairs, t, idleLimit);
  const last = pairs.length > 0 ? pairs[pairs.length - 1]! : ([0, 0] as const);
  const end = Math.max(last[0], session.info.durationSeconds ?? 0);
  return {
    steps,
    commands: session.commands.map((c) => ({
      line: c.line ?? '',
      at: toPlayback(c.start),
      duration: c.end === null ? null : c.end - c.start,
      exitCode: c.exitCode,
    })),
    markers: session.events.flatMap((e) =>
      e.kind === 'marker' ? [{ label: e.label, at: toPlayback(e.t) }] : [],
    ),
    duration: last[1] + Math.min(end - last[0], idleLimit),
    cols: session.info.cols ?? 80,
    rows: session.info.rows ?? 24,
  };
}
