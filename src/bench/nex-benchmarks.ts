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
  const words = ['kernel', 'page', 'frame', 'irq', '0x1000', 'ok', 'thread', 'ready', '\x1b[32mdone\x1b[0m', 'scheduler'];
  const events: SessionEvent[] = [];
  let t = 0;
  const out = (text: string) => events.push({ kind: 'output', t: (t += Math.round(random() * 2000) / 1e6), data: encoder.encode(text) });
  for (let c = 0; c < commands; c++) {
    out(`\x1b]133;A\x07cotton:/$ \x1b]133;B\x07run ${c}\r\n\x1b]133;C\x07`);
    for (let written = 0; written < bytesPerCommand; ) {
      const size = 1024 + Math.floor(random() * 3072);
      let chunk = '';
      while (chunk.length < size) chunk += `${words[Math.floor(random() * words.length)]} ${chunk.length % 80 < 8 ? '\r\n' : ''}`;
      out(chunk);
      written += chunk.length;
    }
    out(`\x1b]133;D;${c % 3}\x07`);
  }
  return { info: { version: '1.0', createdAt: '2026-01-01T09:00:00Z', recorderVersion: 'bench', durationSeconds: null }, events, commands: extractCommands(events) };
}

/** Load the generated file `runs` times after a warm-up; the median speed. */
export function nexBenchmarks(runs = 5): Result[] {
  const file = writeNex(bigSession(400, 40_000));
  const textBytes = unzipSync(file)['session.json']!.length;
  if (parseNex(file).value.commands.length !== 400) throw new Error('the benchmark recording did not load back whole');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    parseNex(file);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return [{ name: 'nex.load_mb_s', value: Math.round((textBytes / 1e6 / (median / 1000)) * 10) / 10, unit: 'MB/s' }];
}
