/**
 * The player's clock and keys: pauses beyond the idle limit are shortened and
 * commands and markers move with them; keys map to asciinema's actions; a
 * .cast file loads like a .nex.
 */
import { describe, expect, it } from 'vitest';
import { writeAsciicast } from '../../../src/nex/asciicast';
import { emptyInfo, type Session } from '../../../src/nex/session';
import { actionForKey, nextSpeed } from '../../../src/runtime/player/player-keys';
import { readRecording } from '../../../src/runtime/player/player-load';
import { buildTimeline } from '../../../src/runtime/player/player-timeline';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

const SESSION: Session = {
  info: emptyInfo({ cols: 40, rows: 10, durationSeconds: 30 }),
  events: [
    { kind: 'output', t: 0.5, data: bytes('$ ') },
    { kind: 'output', t: 10, data: bytes('ls\r\n') },
    { kind: 'marker', t: 10.5, label: 'after ls' },
    { kind: 'resize', t: 11, cols: 50, rows: 12 },
    { kind: 'output', t: 12, data: bytes('done') },
  ],
  commands: [
    { start: 10, end: 11.5, exitCode: 2, cwd: '/', line: 'ls', outputStart: 2, outputEnd: 6 },
  ],
};

describe("the player's timeline", () => {
  it('shortens pauses to the idle limit, and moves commands and markers with them', () => {
    const t = buildTimeline(SESSION, 2);
    expect(t.steps.map((s) => s.at)).toEqual([0.5, 2.5, 3.5, 4.5]);
    expect(t.commands).toEqual([{ line: 'ls', at: 2.5, duration: 1.5, exitCode: 2 }]);
    expect(t.markers).toEqual([{ label: 'after ls', at: 3 }]);
    expect(t.duration).toBe(6.5);
    expect(buildTimeline(SESSION).duration).toBe(30);
    expect([t.cols, t.rows]).toEqual([40, 10]);
  });

  it("maps asciinema's keys to actions and steps the speed from 0.5× to 8×", () => {
    expect(actionForKey(' ')).toEqual({ kind: 'toggle' });
    expect(actionForKey('7')).toEqual({ kind: 'seek-fraction', fraction: 0.7 });
    expect(actionForKey('ArrowLeft')).toEqual({ kind: 'seek-by', seconds: -5 });
    expect(actionForKey('.')).toEqual({ kind: 'frame' });
    expect(actionForKey('x')).toBeNull();
    expect([nextSpeed(1, 1), nextSpeed(8, 1), nextSpeed(1, -1), nextSpeed(0.5, -1)]).toEqual([
      2, 8, 0.5, 0.5,
    ]);
  });

  it('loads asciicast v2 and v3 as well as .nex, and reports a damaged cast with what came before', () => {
    for (const version of [2, 3] as const) {
      const { session, damage } = readRecording(bytes(writeAsciicast(SESSION, version)));
      expect(damage).toBeNull();
      expect(session.events.filter((e) => e.kind === 'output')).toHaveLength(3);
    }
    const cast = writeAsciicast(SESSION, 2).split('\n');
    const { session, damage } = readRecording(
      bytes([...cast.slice(0, 3), '[11, "o", "cut', ''].join('\n')),
    );
    expect(damage).toMatch(/line 4/);
    expect(session.events).toHaveLength(2);
  });
});
