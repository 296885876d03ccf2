/**
 * The player's seek is exact: the screen after seeking to any time (restore a
 * keyframe, replay the rest) is the screen after playing straight to that
 * time, compared through xterm's serialize addon on @xterm/headless. Checked
 * on every book recording and on output cut inside escape sequences, UTF-8
 * characters and coloured text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerializeAddon } from '@xterm/addon-serialize';
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { readNex } from '../../../src/nex/nex-format';
import type { Session, SessionEvent } from '../../../src/nex/session';
import { emptyInfo } from '../../../src/nex/session';
import { PlayerEngine } from '../../../src/runtime/player/player-engine';
import {
  buildKeyframes,
  KEYFRAME_SECONDS,
  RestorePoints,
} from '../../../src/runtime/player/player-keyframes';
import { buildTimeline, type PlayerTimeline } from '../../../src/runtime/player/player-timeline';

const RECORDINGS = join(import.meta.dirname, '..', '..', '..', 'public', 'recordings');

function headless(timeline: PlayerTimeline): { terminal: Terminal; serialize: () => string } {
  const terminal = new Terminal({
    cols: timeline.cols,
    rows: timeline.rows,
    scrollback: 1000,
    allowProposedApi: true,
  });
  const addon = new SerializeAddon();
  terminal.loadAddon(addon as never);
  return { terminal, serialize: () => addon.serialize() };
}

const flushed = (terminal: Terminal): Promise<void> =>
  new Promise((resolve) => terminal.write('', resolve));

/** Seek to each target in a shuffled order; compare with straight play to the same time. */
async function checkSeeks(session: Session, targets: number[]): Promise<{ seeks: number }> {
  const timeline = buildTimeline(session, 2);
  const builder = headless(timeline);
  const keyframes = await buildKeyframes(timeline, builder.terminal, builder.serialize);
  const straight = headless(timeline);
  const reference = new PlayerEngine(timeline, keyframes, straight.terminal);
  const expected = new Map<number, string>();
  for (const at of [...targets].sort((a, b) => a - b)) {
    reference.advanceTo(at);
    await flushed(straight.terminal);
    expected.set(at, straight.serialize());
  }
  const seeking = headless(timeline);
  const engine = new PlayerEngine(timeline, keyframes, seeking.terminal);
  const shuffled = targets
    .map((at, i) => ({ at, key: (i * 7919) % targets.length }))
    .sort((a, b) => a.key - b.key);
  for (const { at } of shuffled) {
    engine.seek(at);
    await flushed(seeking.terminal);
    expect(seeking.serialize(), `after seeking to ${at}`).toBe(expected.get(at));
  }
  return { seeks: shuffled.length };
}

function targetsFor(session: Session): number[] {
  const { duration, steps } = buildTimeline(session, 2);
  const grid = Array.from({ length: Math.ceil(duration / 0.37) + 1 }, (_, i) =>
    Math.min(i * 0.37, duration),
  );
  return [...new Set([...grid, ...steps.map((s) => s.at), duration])];
}

describe('seeking in the player', () => {
  const files = readdirSync(RECORDINGS).filter((f) => f.endsWith('.nex'));

  it.each(files)(
    '%s: the screen after a seek is the screen after straight play',
    async (file) => {
      const session = readNex(readFileSync(join(RECORDINGS, file)));
      const { seeks } = await checkSeeks(session, targetsFor(session));
      expect(seeks).toBeGreaterThan(10);
    },
    120_000,
  ); // a seek every 0.37 s of a recording, each replayed from a keyframe

  it('is exact when output is cut inside escape sequences, UTF-8 characters and coloured text', async () => {
    const encoder = new TextEncoder();
    const text = encoder.encode(
      '\x1b[1;32mgrün\x1b[0m \x1b]133;A\x07é€😀\x1b[31mred\r\n'.repeat(40) +
        '\x1b[0m\x1b[2J\x1b[Hcleared\r\n',
    );
    const events: SessionEvent[] = [];
    for (let i = 0, t = 0; i < text.length; i += 7, t += 0.3)
      events.push({ kind: 'output', t, data: text.subarray(i, i + 7) });
    events.push(
      { kind: 'resize', t: 200, cols: 40, rows: 10 },
      { kind: 'output', t: 201, data: encoder.encode('narrow now\r\n') },
    );
    const session: Session = { info: emptyInfo({ cols: 60, rows: 12 }), events, commands: [] };
    await checkSeeks(session, targetsFor(session));
  });

  it('takes keyframes only where a restore is exact', () => {
    const points = new RestorePoints();
    const feed = (s: string | number[]): boolean => {
      points.feed(typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));
      return points.safe;
    };
    expect(feed('plain')).toBe(true);
    expect(feed('\x1b[3')).toBe(false);
    expect(feed('1m')).toBe(false); // red pen
    expect(feed('x\x1b[0m')).toBe(true);
    expect(feed('\x1b]133;')).toBe(false);
    expect(feed('A\x07')).toBe(true);
    expect(feed([0xe2, 0x82])).toBe(false);
    expect(feed([0xac])).toBe(true);
    expect(KEYFRAME_SECONDS).toBeGreaterThan(0);
  });
});
