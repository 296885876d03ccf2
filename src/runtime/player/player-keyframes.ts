/**
 * Keyframes, so that the player seeks anywhere at once: the timeline is
 * replayed once, at load, into a terminal that nobody sees, and its whole
 * state (scrollback, screen, cursor, modes: xterm's serialize addon) is
 * snapshotted every KEYFRAME_SECONDS of playback or KEYFRAME_BYTES of output.
 * A seek restores the nearest keyframe before the target and replays only
 * what follows it.
 *
 * A snapshot is only taken where restoring it is exact: between escape
 * sequences, outside a UTF-8 character, with the default SGR pen (serialize
 * restores cells, not the pen that later output is written with). Resizes
 * and resets are queued behind the writes (inOrder). Terminals
 * are reached through the few methods both xterm.js and @xterm/headless
 * have, so the seek tests run in Node.
 */
import type { PlayerTimeline } from './player-timeline';

export const KEYFRAME_SECONDS = 2;
export const KEYFRAME_BYTES = 64 * 1024;

/** The terminal methods replay needs: xterm.js's Terminal and @xterm/headless's both have them. */
export interface ReplayTerminal {
  readonly cols: number;
  readonly rows: number;
  write(data: string | Uint8Array, callback?: () => void): void;
  resize(cols: number, rows: number): void;
  reset(): void;
}

export interface Keyframe {
  /** Index of the first timeline step not in the snapshot. */
  readonly next: number;
  /** Playback time of the snapshot (the time of step `next - 1`, 0 for the start). */
  readonly at: number;
  readonly cols: number;
  readonly rows: number;
  /** The serialize addon's output: written to a reset terminal of this size, it restores the state. */
  readonly state: string;
}

/**
 * Follows the byte stream just far enough to say whether this is a point
 * where a snapshot restores exactly (see the header).
 */
export class RestorePoints {
  private state: 'ground' | 'escape' | 'csi' | 'string' | 'string-escape' = 'ground';
  private utf8Pending = 0;
  private csi = '';
  private penIsDefault = true;

  feed(data: Uint8Array): void {
    for (const byte of data) this.byte(byte);
  }

  get safe(): boolean {
    return this.state === 'ground' && this.utf8Pending === 0 && this.penIsDefault;
  }

  private byte(byte: number): void {
    switch (this.state) {
      case 'ground':
        if (byte === 0x1b) this.state = 'escape';
        else if (byte >= 0xc0 && byte < 0xf8)
          this.utf8Pending = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
        else if (byte >= 0x80 && byte < 0xc0) this.utf8Pending = Math.max(0, this.utf8Pending - 1);
        else this.utf8Pending = 0;
        return;
      case 'escape':
        if (byte === 0x5b) {
          this.state = 'csi';
          this.csi = '';
        } else if (byte === 0x5d || byte === 0x50 || byte === 0x5f || byte === 0x5e)
          this.state = 'string'; // OSC, DCS, APC, PM
        else if (byte < 0x20 || (byte >= 0x20 && byte < 0x30))
          return; // intermediates: the sequence goes on
        else this.state = 'ground';
        return;
      case 'csi':
        if (byte >= 0x40 && byte <= 0x7e) {
          if (byte === 0x6d) this.sgr(this.csi);
          this.state = 'ground';
        } else this.csi += String.fromCharCode(byte);
        return;
      case 'string':
        if (byte === 0x07) this.state = 'ground';
        else if (byte === 0x1b) this.state = 'string-escape';
        return;
      case 'string-escape':
        this.state = byte === 0x5c ? 'ground' : 'string';
    }
  }

  /** After `CSI params m`: whether the pen is back to the default (a reset is the last thing it says). */
  private sgr(params: string): void {
    const last = params.split(';').at(-1) ?? '';
    this.penIsDefault = last === '' || Number(last) === 0;
  }
}

/**
 * Run `action` (a resize, a reset) once the writes queued before it are
 * parsed: xterm parses writes later, but resizes and resets at once.
 */
export function inOrder(terminal: ReplayTerminal, action: () => void): void {
  terminal.write('', action);
}

function flushed(terminal: ReplayTerminal): Promise<void> {
  return new Promise((resolve) => terminal.write('', resolve));
}

/**
 * Replay the whole timeline into `terminal` (fresh, unseen) and return the
 * keyframes; `serialize` reads its state (the serialize addon's serialize()).
 */
export async function buildKeyframes(
  timeline: PlayerTimeline,
  terminal: ReplayTerminal,
  serialize: () => string,
): Promise<Keyframe[]> {
  terminal.reset();
  terminal.resize(timeline.cols, timeline.rows);
  const keyframes: Keyframe[] = [
    { next: 0, at: 0, cols: timeline.cols, rows: timeline.rows, state: '' },
  ];
  const points = new RestorePoints();
  let bytesSince = 0;
  for (let i = 0; i < timeline.steps.length; i++) {
    const step = timeline.steps[i]!;
    if (step.kind === 'resize') inOrder(terminal, () => terminal.resize(step.cols, step.rows));
    else {
      terminal.write(step.data);
      points.feed(step.data);
      bytesSince += step.data.length;
    }
    const last = keyframes[keyframes.length - 1]!;
    const due = step.at - last.at >= KEYFRAME_SECONDS || bytesSince >= KEYFRAME_BYTES;
    const nextIsLater = (timeline.steps[i + 1]?.at ?? Infinity) > step.at;
    if (!due || !nextIsLater || !points.safe) continue;
    await flushed(terminal);
    keyframes.push({
      next: i + 1,
      at: step.at,
      cols: terminal.cols,
      rows: terminal.rows,
      state: serialize(),
    });
    bytesSince = 0;
  }
  await flushed(terminal);
  return keyframes;
}

/** The last keyframe at or before playback time `at`. */
export function keyframeBefore(keyframes: readonly Keyframe[], at: number): Keyframe {
  let lo = 0;
  let hi = keyframes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keyframes[mid]!.at <= at) lo = mid;
    else hi = mid - 1;
  }
  return keyframes[lo]!;
}
