/**
 * Replay timing: when each piece of recorded output is shown, as the original
 * NEX tool's `play` does (sleep the recorded gap, write the bytes), plus
 * asciinema's two controls: a speed factor and an idle limit that shortens
 * long pauses. No clock and no terminal here: a player (the CLI's, the
 * book's) asks for the frames and does the waiting and the writing.
 */
import type { Session } from '../../nex/session';
import { timeline } from '../../nex/timeline';

export interface PlaybackOptions {
  /** 2 plays twice as fast. Default 1. */
  readonly speed?: number;
  /** Longest pause shown, in recorded seconds (before speed). Default: no limit. */
  readonly idleLimit?: number;
  /** Also show `[command start] CWD -- CMD` and `[command end] rc=N` lines, as `nex play --show-commands`. */
  readonly showCommands?: boolean;
}

export interface Frame {
  /** Seconds of playback time after the start. */
  readonly at: number;
  readonly data: Uint8Array;
}

export function* playbackFrames(session: Session, options: PlaybackOptions = {}): Generator<Frame> {
  const speed = options.speed ?? 1;
  const idleLimit = options.idleLimit ?? Infinity;
  if (!(speed > 0)) throw new RangeError(`speed must be positive, not ${speed}`);
  if (!(idleLimit > 0)) throw new RangeError(`idle limit must be positive, not ${idleLimit}`);
  const encoder = new TextEncoder();
  let recorded = 0;
  let at = 0;
  const advance = (t: number): number => {
    if (t > recorded) at += Math.min(t - recorded, idleLimit) / speed;
    recorded = Math.max(recorded, t);
    return at;
  };
  for (const item of timeline(session.events, session.commands)) {
    if (item.kind === 'event') {
      if (item.event.kind === 'output') yield { at: advance(item.event.t), data: item.event.data };
    } else if (options.showCommands) {
      // The original's lines: none for the start of a stray end, rc=0 when the end has no rc.
      const c = item.command;
      if (item.kind === 'command-start' && c.unmatchedEnd) continue;
      const text =
        item.kind === 'command-start'
          ? `[command start] ${c.cwd ?? ''} -- ${c.line ?? ''}\r\n`
          : `[command end] rc=${c.exitCode ?? 0}\r\n`;
      yield {
        at: advance(item.kind === 'command-start' ? c.start : c.end!),
        data: encoder.encode(text),
      };
    }
  }
}
