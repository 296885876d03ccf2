/**
 * `cotton nex`: the book's NEX tool — the original NEX commands that make
 * sense for recordings (play, inspect, csv, json), recording from a script on
 * the headless machine, and conversion to and from asciinema's formats.
 *
 *   cotton nex record --script FILE -o OUT.nex
 *   cotton nex play FILE [--speed X] [--idle-limit S] [--show-commands]
 *   cotton nex inspect FILE
 *   cotton nex csv FILE [-o OUT]      cotton nex json FILE [-o OUT]
 *   cotton nex convert IN OUT [--to v2|v3]   (.cast: asciicast v2 unless --to v3)
 *   cotton nex build-recordings [--check]    (the book's recordings, see book-recordings.ts)
 *
 * FILE may be a .nex or an asciicast (.cast) file, recognised by its content.
 * This file is the Node side (files, stdout, sleeping); src/nex is the library.
 *
 * Every subcommand exits alike: 0 when its input was whole; 2 when the input
 * was damaged and only the part before the damage was used (a warning on
 * stderr says where it stopped); 1 when the input is not a recording at all
 * (empty, not a ZIP, no session) or the command line is wrong. --help prints
 * a subcommand's usage and exits 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildBookRecordings } from './book-recordings';
import { parseAsciicast, writeAsciicast } from '../nex/asciicast';
import type { ReadResult } from '../nex/errors';
import { commandSummaries, toCsv, toJson } from '../nex/exports';
import { writeManifest } from '../nex/nex-manifest';
import { parseNex, storedManifest, writeNex } from '../nex/nex-format';
import { playbackFrames } from '../runtime/player/player-core';
import { parseScript } from '../nex/script';
import { recordScript } from '../runtime/node/script-runner';
import { outputBytes, type Session } from '../nex/session';
import { bootFromRepo } from '../runtime/node/node-host';
import { UsageError } from './cli-errors';

export const NEX_USAGE = `usage: cotton nex record --script FILE -o OUT.nex
       cotton nex play FILE [--speed X] [--idle-limit S] [--show-commands]
       cotton nex inspect FILE
       cotton nex csv FILE [-o OUT]
       cotton nex json FILE [-o OUT]
       cotton nex convert IN OUT [--to v2|v3]
       cotton nex build-recordings [--check]`;

/** `cotton nex SUB --help`: what each subcommand does. */
const SUBCOMMAND_HELP: Readonly<Record<string, string>> = {
  record:
    'usage: cotton nex record --script FILE -o OUT.nex\nRun a recording script (recordings/*/*.script) on the headless machine and write a .nex.',
  play: 'usage: cotton nex play FILE [--speed X] [--idle-limit S] [--show-commands]\nReplay a .nex or .cast recording in this terminal, in its time (faster with --speed, idle gaps cut to S seconds).',
  inspect:
    'usage: cotton nex inspect FILE\nShow the manifest as stored in the file, the events and the commands with their times and exit codes.',
  csv: "usage: cotton nex csv FILE [-o OUT]\nThe commands of a recording as CSV (the original tool's columns).",
  json: 'usage: cotton nex json FILE [-o OUT]\nThe commands of a recording as JSON.',
  convert:
    "usage: cotton nex convert IN OUT [--to v2|v3]\nConvert between .nex and asciicast (.cast: v2 unless --to v3), by the names' endings.",
  'build-recordings':
    'usage: cotton nex build-recordings [--check]\nRegenerate public/recordings from recordings/<chapter>/<name>.script; --check fails (1) when one is stale.',
};

const EXIT_NOTE =
  'Exit codes: 0 whole input; 2 damaged input, the part before the damage used (with a warning); 1 not a recording, or a usage error.';

/** The input was damaged: the command used what came before the damage. */
const EXIT_DAMAGED = 2;

/** Where the command writes: the process's streams, or a test's buffers. */
export interface NexIo {
  readonly stdout: (data: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: NexIo = {
  stdout: (data) => process.stdout.write(data),
  stderr: (text) => process.stderr.write(text),
};

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUED = new Set(['--script', '-o', '--out', '--speed', '--idle-limit', '--to']);

function parseArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') positional.push(arg);
    else if (VALUED.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`, NEX_USAGE);
      flags.set(arg === '--out' ? '-o' : arg, value);
    } else if (arg === '--show-commands' || arg === '--check' || arg === '--help' || arg === '-h')
      flags.set(arg === '-h' ? '--help' : arg, true);
    else throw new UsageError(`unknown option ${arg}`, NEX_USAGE);
  }
  return { positional, flags };
}

function needFiles(parsed: Parsed, count: number, what: string): string[] {
  if (parsed.positional.length !== count) throw new UsageError(`expected ${what}`, NEX_USAGE);
  return parsed.positional;
}

function positiveNumber(parsed: Parsed, flag: string): number | undefined {
  const value = parsed.flags.get(flag);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${flag} needs a positive number, not '${value}'`);
  return n;
}

const isCast = (path: string): boolean => path.endsWith('.cast');

interface Loaded {
  readonly session: Session;
  /** 0 for a whole file, EXIT_DAMAGED when only the part before the damage was read. */
  readonly exit: number;
}

/**
 * Load a .nex or .cast file. A damaged file is loaded up to the damage, with a
 * warning and exit code 2; a file with nothing readable in it is refused.
 */
function load(path: string, io: NexIo): Loaded {
  const bytes = readFileSync(path);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const result: ReadResult<Session> =
    isZip || (!isCast(path) && bytes[0] !== 0x7b)
      ? parseNex(bytes)
      : parseAsciicast(bytes.toString('utf8'));
  if (!result.error) return { session: result.value, exit: 0 };
  if (bytes.length === 0) throw new Error(`${path} is empty, not a .nex or .cast recording`);
  if (result.value.events.length === 0)
    throw new Error(`${path} is not a readable .nex or .cast recording: ${result.error.message}`);
  io.stderr(
    `cotton nex: warning: ${path} is damaged: ${result.error.message}; using the ${result.value.events.length} events before it (exit code 2)\n`,
  );
  return { session: result.value, exit: EXIT_DAMAGED };
}

function writeOut(text: string | Uint8Array, out: string | true | undefined, io: NexIo): void {
  if (typeof out === 'string') writeFileSync(out, text);
  else io.stdout(text);
}

function record(parsed: Parsed, io: NexIo): number {
  const script = parsed.flags.get('--script');
  const out = parsed.flags.get('-o');
  if (typeof script !== 'string' || typeof out !== 'string')
    throw new UsageError('record needs --script FILE and -o OUT.nex', NEX_USAGE);
  const session = recordScript(parseScript(readFileSync(script, 'utf8')), bootFromRepo);
  writeFileSync(out, writeNex(session));
  const failed = session.commands.filter((c) => c.exitCode !== 0).length;
  io.stderr(
    `recorded ${session.commands.length} commands (${failed} not exiting 0), ${session.info.durationSeconds} s, to ${out}\n`,
  );
  return 0;
}

async function play(parsed: Parsed, io: NexIo): Promise<number> {
  const [file] = needFiles(parsed, 1, 'one FILE to play');
  const options = {
    speed: positiveNumber(parsed, '--speed'),
    idleLimit: positiveNumber(parsed, '--idle-limit'),
    showCommands: parsed.flags.has('--show-commands'),
  };
  const { session, exit } = load(file!, io);
  const start = performance.now();
  for (const frame of playbackFrames(session, options)) {
    const wait = start + frame.at * 1000 - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    io.stdout(frame.data);
  }
  return exit;
}

function inspect(parsed: Parsed, io: NexIo): number {
  const [file] = needFiles(parsed, 1, 'one FILE to inspect');
  const { session, exit } = load(file!, io);
  // The manifest as the file holds it, as the original prints it; a .cast has none: the book's reading of its header.
  const stored = storedManifest(readFileSync(file!));
  const lines = [`manifest:\n${stored ?? writeManifest(session.info)}`, ''];
  const { events } = session;
  const count = (kind: string) => events.filter((e) => e.kind === kind).length;
  lines.push(
    `events: ${count('output')} output (${outputBytes(events).length} bytes), ${count('input')} input, ${count('resize')} resize, ${count('marker')} marker`,
  );
  lines.push(`commands: ${session.commands.length}`);
  for (const s of commandSummaries(session)) {
    lines.push(
      `  ${s.start_t.toFixed(3).padStart(9)}s  ${s.duration_human.padStart(8)}  rc=${String(s.rc ?? '?').padEnd(3)}  ${s.cmd}`,
    );
  }
  for (const e of events)
    if (e.kind === 'marker') lines.push(`marker ${e.t.toFixed(3)}s  ${e.label}`);
  writeOut(`${lines.join('\n')}\n`, undefined, io);
  return exit;
}

function exportCommands(parsed: Parsed, format: 'csv' | 'json', io: NexIo): number {
  const [file] = needFiles(parsed, 1, `one FILE to export as ${format.toUpperCase()}`);
  const { session, exit } = load(file!, io);
  const summaries = commandSummaries(session);
  writeOut(
    format === 'csv' ? toCsv(summaries) : `${toJson(summaries)}\n`,
    parsed.flags.get('-o'),
    io,
  );
  return exit;
}

function convert(parsed: Parsed, io: NexIo): number {
  const [input, output] = needFiles(parsed, 2, 'IN and OUT files');
  const to = parsed.flags.get('--to');
  if (to !== undefined && to !== 'v2' && to !== 'v3')
    throw new Error(`--to takes v2 or v3, not '${String(to)}'`);
  if (!output!.endsWith('.nex') && !isCast(output!))
    throw new UsageError(`cannot tell the format of '${output}': use .nex or .cast`, NEX_USAGE);
  if (to !== undefined && !isCast(output!))
    throw new UsageError('--to is for .cast outputs', NEX_USAGE);
  const { session, exit } = load(input!, io);
  if (output!.endsWith('.nex')) writeFileSync(output!, writeNex(session));
  else writeFileSync(output!, writeAsciicast(session, to === 'v3' ? 3 : 2));
  return exit;
}

/** Regenerate public/recordings from recordings/<chapter>/<name>.script; with --check, fail (1) if a committed file differs. */
function buildRecordings(parsed: Parsed, io: NexIo): number {
  const check = parsed.flags.has('--check');
  const { changed, unchanged } = buildBookRecordings(process.cwd(), { check });
  for (const path of changed) io.stderr(`${check ? 'differs' : 'wrote'}: ${path}\n`);
  io.stderr(
    `${unchanged.length} recordings up to date, ${changed.length} ${check ? 'stale (run cotton nex build-recordings)' : 'rewritten'}\n`,
  );
  return check && changed.length > 0 ? 1 : 0;
}

export async function nexCommand(argv: readonly string[], io: NexIo = PROCESS_IO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${NEX_USAGE}\n\n${EXIT_NOTE}\n`);
    return 0;
  }
  const parsed = parseArgs(rest);
  if (parsed.flags.has('--help') && sub !== undefined && SUBCOMMAND_HELP[sub]) {
    io.stdout(`${SUBCOMMAND_HELP[sub]}\n${EXIT_NOTE}\n`);
    return 0;
  }
  switch (sub) {
    case 'record':
      return record(parsed, io);
    case 'play':
      return play(parsed, io);
    case 'inspect':
      return inspect(parsed, io);
    case 'csv':
      return exportCommands(parsed, 'csv', io);
    case 'json':
      return exportCommands(parsed, 'json', io);
    case 'convert':
      return convert(parsed, io);
    case 'build-recordings':
      return buildRecordings(parsed, io);
    default:
      throw new UsageError(
        sub === undefined ? 'a nex command is needed' : `unknown nex command '${sub}'`,
        NEX_USAGE,
      );
  }
}
