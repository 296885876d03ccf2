/**
 * Files made the original NEX tool's way (src/recorder.rs of aryansrao/nex, as
 * described in docs/nex-format.md): created_at saved at the end, command
 * events in Unix seconds, `duration_seconds` null when the session's last
 * line is a command event (the original takes the duration from the last line
 * only if it is an output event), a command end with no start, an end with no
 * rc. Each case is read as the original reads it. Also: every `cotton nex`
 * subcommand exits alike on damaged and foreign input, and takes --help.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/nex/base64';
import { commandSummaries, toCsv } from '../../src/nex/exports';
import { readNex, writeNex } from '../../src/nex/nex-format';
import { playbackFrames } from '../../src/runtime/player/player-core';
import { nexInProcess } from '../support/cotton-cli';

const START = 1767258000; // 2026-01-01T09:00:00Z
const line = (o: object): string => JSON.stringify(o);
const out = (t: number, text: string): string => line({ t, data: encodeBase64(strToU8(text)) });
const start = (t: number, cmd: string): string =>
  line({
    type: 'command',
    phase: 'start',
    t,
    cwd: '/home/me',
    cmd_b64: encodeBase64(strToU8(cmd)),
  });
const end = (t: number, rc?: number): string =>
  line({ type: 'command', phase: 'end', t, ...(rc === undefined ? {} : { rc }) });

/** A .nex as the original writes it: compact manifest, then session.json as JSON lines. */
function originalNex(manifest: string, lines: string[]): Uint8Array {
  return zipSync({
    'manifest.json': strToU8(manifest),
    'session.json': strToU8(`${lines.join('\n')}\n`),
  });
}

const manifestOf = (duration: number | null, createdAt = '2026-01-01T09:00:12Z'): string =>
  `{"version":"1.0","created_at":"${createdAt}","recorder_version":"0.2","duration_seconds":${duration === null ? 'null' : duration}}`;

/** The session ends with a command event, so the original wrote duration_seconds: null. */
const NULL_DURATION = originalNex(manifestOf(null), [
  out(0.2, '$ '),
  start(START + 3, 'make'),
  out(3.1, 'building\n'),
  end(START + 5.5, 0),
  out(5.6, '$ '),
  start(START + 8, 'ls'),
  out(8.05, 'a b\n'),
  end(START + 8.25, 0),
]);

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nex-original-')), name);
  writeFileSync(path, bytes);
  return path;
}

describe('a recording whose duration_seconds is null', () => {
  it('starts from the first command event: times are not clamped to 0', () => {
    const session = readNex(NULL_DURATION);
    // The first command is anchored at the output before it (0.2 s); the rest keep their spacing.
    expect(session.commands.map((c) => [c.line, c.start, c.end])).toEqual([
      ['make', 0.2, 2.7],
      ['ls', 5.2, 5.45],
    ]);
  });

  it("gives each command its own moment as start_iso, as the original's export does", () => {
    const summaries = commandSummaries(readNex(NULL_DURATION));
    expect(summaries.map((s) => s.start_iso.slice(0, 19))).toEqual([
      '2026-01-01T09:00:03',
      '2026-01-01T09:00:08',
    ]);
    expect(summaries.map((s) => s.duration_human)).toEqual(['2.500s', '250ms']);
  });

  it('still reads a known duration the usual way (created_at minus the duration)', () => {
    const bytes = originalNex(manifestOf(12), [
      out(0.2, '$ '),
      start(START + 3, 'make'),
      end(START + 5.5, 0),
      out(12, '$ '),
    ]);
    expect(readNex(bytes).commands[0]).toMatchObject({ start: 3, end: 5.5 });
  });
});

describe('a command end with no start (a stray end)', () => {
  const STRAY = originalNex(manifestOf(6, '2026-01-01T09:00:06Z'), [
    end(START + 1, 1),
    out(2, '$ '),
    start(START + 3, 'true'),
    end(START + 4),
    out(6, '$ '),
  ]);

  it('is a 1 ms command with null line and directory, as in the original JSON export', async () => {
    const summaries = commandSummaries(readNex(STRAY));
    expect(summaries[0]).toMatchObject({ cmd: null, cwd: null, rc: 1, duration_human: '1ms' });
    const json = await nexInProcess(['json', file('stray.nex', STRAY)]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed[0]).toMatchObject({ cmd: null, cwd: null });
    expect(toCsv(summaries).split('\n')[1]).toMatch(/,1ms,,,1,/);
  });

  it("plays with the original's [command ...] lines: no start line for it, rc=0 for an end without rc", () => {
    const text = [...playbackFrames(readNex(STRAY), { showCommands: true, speed: 1000 })]
      .map((f) => new TextDecoder().decode(f.data))
      .join('');
    expect(text).toBe(
      '[command end] rc=1\r\n$ [command start] /home/me -- true\r\n[command end] rc=0\r\n$ ',
    );
  });

  it('is written back as an end line only', () => {
    const again = readNex(writeNex(readNex(STRAY)));
    expect(again.commands.map((c) => [c.line, c.exitCode, c.unmatchedEnd ?? false])).toEqual([
      [null, 1, true],
      ['true', null, false],
    ]);
  });
});

describe('cotton nex on the original files', () => {
  it('inspect prints the manifest as stored in the file', async () => {
    const path = file('null.nex', NULL_DURATION);
    const { code, stdout } = await nexInProcess(['inspect', path]);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['manifest:', manifestOf(null)]);
    expect(stdout).not.toContain('generator');
  });
});

describe('cotton nex exit codes', () => {
  const whole = writeNex(readNex(NULL_DURATION));
  const truncated = whole.subarray(0, whole.length - 30); // the central directory is cut

  it('exit 2 with a warning for a damaged file, using what came before the damage, for every subcommand', async () => {
    const path = file('cut.nex', truncated);
    const dir = mkdtempSync(join(tmpdir(), 'nex-exit-'));
    for (const args of [
      ['play', path, '--speed', '1000'],
      ['inspect', path],
      ['csv', path],
      ['json', path],
      ['convert', path, join(dir, 'out.cast')],
    ]) {
      const result = await nexInProcess(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/warning: .*cut\.nex is damaged/);
    }
    expect(readFileSync(join(dir, 'out.cast'), 'utf8')).toContain('building');
  });

  it('exit 1 for an empty file or one that is not a recording, for every subcommand', async () => {
    for (const [name, bytes] of [
      ['empty.nex', ''],
      ['text.nex', 'hello'],
    ] as const) {
      const path = file(name, bytes);
      for (const sub of ['play', 'inspect', 'csv', 'json']) {
        const result = await nexInProcess([sub, path]);
        expect(result.code, `${sub} ${name}`).toBe(1);
        expect(result.stderr).toMatch(/not a( readable)? \.nex or \.cast recording/);
      }
      expect((await nexInProcess(['convert', path, `${path}.cast`])).code).toBe(1);
    }
  });

  it('exit 0 for a whole file, and --help on every subcommand', async () => {
    expect((await nexInProcess(['csv', file('ok.nex', whole)])).code).toBe(0);
    for (const sub of ['record', 'play', 'inspect', 'csv', 'json', 'convert', 'build-recordings']) {
      const result = await nexInProcess([sub, '--help']);
      expect(result.code, sub).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^usage: cotton nex ${sub}`));
    }
    expect((await nexInProcess(['--help'])).code).toBe(0);
  });
});
