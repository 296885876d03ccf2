/**
 * Speed of the recording library: how fast a .nex file loads (unzip, parse
 * every session.json line, decode base64, rebuild the command timeline), as
 * a player or the book does before it can play or seek.
 *
 * nex.load_mb_s: megabytes (10^6 bytes) of session.json text per second, on a
 * recording generated here: 400 commands, about 16 MB of terminal output in
 * 1–4 KiB chunks, as a long, busy session would have.
 */
import { unzipSync } from 'fflate';
import { parseNex, writeNex } from '../nex/nex-format';
import { extractCommands } from '../nex/osc133';
import type { Session, SessionEvent } from '../nex/session';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** A deterministic pseudo-random source (LCG), so every run measures the same file. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function bigSession(commands: number, bytesPerCommand: number): Session {
  const random = lcg(1);
  const encoder = new TextEncoder();
  const words = [
    'kernel',
    'page',
    'frame',
    'irq',
    '0x1000',
    'ok',
    'thread',
    'ready',
    '\x1b[32mdone\x1b[0m',
    'scheduler',
  ];
  const events: SessionEvent[] = [];
  let t = 0;
  const out = (text: string) =>
    events.push({
      kind: 'output',
      t: (t += Math.round(random() * 2000) / 1e6),
      data: encoder.encode(text),
    });
  for (let c = 0; c < commands; c++) {
    out(`\x1b]133;A\x07cotton:/$ \x1b]133;B\x07run ${c}\r\n\x1b]133;C\x07`);
    for (let written = 0; written < bytesPerCommand; ) {
      const size = 1024 + Math.floor(random() * 3072);
      let chunk = '';
      while (chunk.length < size)
        chunk += `${words[Math.floor(random() * words.length)]} ${chunk.length % 80 < 8 ? '\r\n' : ''}`;
      out(chunk);
      written += chunk.length;
    }
    out(`\x1b]133;D;${c % 3}\x07`);
  }
  return {
    info: {
      version: '1.0',
      createdAt: '2026-01-01T09:00:00Z',
      recorderVersion: 'bench',
      durationSeconds: null,
    },
    events,
    commands: extractCommands(events),
  };
}

/** Load the generated file `runs` times after a warm-up; the median speed. */
export function nexBenchmarks(runs = 5): Result[] {
  const file = writeNex(bigSession(400, 40_000));
  const textBytes = unzipSync(file)['session.json']!.length;
  if (parseNex(file).value.commands.length !== 400)
    throw new Error('the benchmark recording did not load back whole');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    parseNex(file);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return [
    {
      name: 'nex.load_mb_s',
      value: Math.round((textBytes / 1e6 / (median / 1000)) * 10) / 10,
      unit: 'MB/s',
    },
  ];
}

/**
 * nex.seek_ms: the player's seek in a long recording, in Node: a synthetic
 * one-hour session (a command about every 10 s, output every second or so, a
 * busy listing now and then), laid out on the player's timeline, its
 * keyframes taken as the page takes them (player-keyframes.ts, on
 * @xterm/headless with the serialize addon), then 200 seeks to random times
 * in random order; each is timed until the terminal has parsed what the seek
 * wrote. The median, in milliseconds.
 */
export async function nexSeekBenchmark(seeks = 200): Promise<Result[]> {
  const [
    { Terminal },
    { SerializeAddon },
    { buildTimeline },
    { buildKeyframes },
    { PlayerEngine },
  ] = await Promise.all([
    import('@xterm/headless'),
    import('@xterm/addon-serialize'),
    import('../runtime/player/player-timeline'),
    import('../runtime/player/player-keyframes'),
    import('../runtime/player/player-engine'),
  ]);
  const timeline = buildTimeline(hourLongSession(), 2);
  const terminal = (): InstanceType<typeof Terminal> =>
    new Terminal({
      cols: timeline.cols,
      rows: timeline.rows,
      scrollback: 1000,
      allowProposedApi: true,
    });
  const builder = terminal();
  const addon = new SerializeAddon();
  builder.loadAddon(addon as never);
  const keyframes = await buildKeyframes(timeline, builder, () => addon.serialize());
  const screen = terminal();
  const engine = new PlayerEngine(timeline, keyframes, screen);
  const random = lcg(7);
  const flushed = (): Promise<void> => new Promise((resolve) => screen.write('', resolve));
  const times: number[] = [];
  for (let i = 0; i < seeks; i++) {
    const at = random() * timeline.duration;
    const start = performance.now();
    engine.seek(at);
    await flushed();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return [{ name: 'nex.seek_ms', value: Math.round(median * 1000) / 1000, unit: 'ms' }];
}

/** One hour of a shell session: prompts, commands, output about once a second. */
function hourLongSession(): Session {
  const random = lcg(3);
  const encoder = new TextEncoder();
  const events: SessionEvent[] = [];
  let t = 0;
  let command = 0;
  const out = (text: string): void => {
    t += 0.2 + random() * 1.6;
    events.push({ kind: 'output', t: Math.round(t * 1e6) / 1e6, data: encoder.encode(text) });
  };
  while (t < 3600) {
    out(`\x1b]133;A\x07cotton:/$ \x1b]133;B\x07ls /bin ${command}\r\n\x1b]133;C\x07`);
    const lines = random() < 0.1 ? 200 : 3 + Math.floor(random() * 8);
    for (let line = 0; line < lines; line += 4) {
      let text = '';
      for (let k = 0; k < 4; k++)
        text += `\x1b[32mfile-${command}-${line + k}\x1b[0m  ${'x'.repeat(Math.floor(random() * 50))}\r\n`;
      out(text);
    }
    out(`\x1b]133;D;0\x07`);
    command++;
  }
  return {
    info: {
      version: '1.0',
      createdAt: '2026-01-01T09:00:00Z',
      recorderVersion: 'bench',
      durationSeconds: t,
    },
    events,
    commands: extractCommands(events),
  };
}
