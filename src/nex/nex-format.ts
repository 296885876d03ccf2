/**
 * Reading and writing .nex files, the original NEX tool's recording format: a
 * ZIP archive with two Deflate-compressed entries, `manifest.json` first (see
 * nex-manifest.ts) and `session.json` (see nex-session-json.ts). The book's
 * extensions are described there and in docs/nex-format.md; the original
 * reads the book's files and the book reads the original's.
 *
 * Writing is deterministic: the same session gives the same bytes. The
 * entries' ZIP timestamps are the recording's created_at (never the current
 * time), and times are written from values, never from a clock.
 *
 * Runs in Node and in the browser (fflate for ZIP and Deflate).
 */
import { Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';
import { NexFormatError, orThrow, type ReadResult } from './errors';
import {
  addSeconds,
  formatManifestTime,
  instantFromUnixSeconds,
  parseRfc3339,
  secondsBetween,
  toUnixSeconds,
  type Instant,
} from './instant';
import { MANIFEST_ENTRY, parseManifest, recordingStart, writeManifest } from './nex-manifest';
import { parseSessionJson, SESSION_ENTRY, sessionLines } from './nex-session-json';
import { extractCommands } from './osc133';
import { emptyInfo, lastEventTime, toMicros, type Session } from './session';

export interface NexWriteOptions {
  /**
   * How command events carry time: 'epoch' (Unix seconds, as the original
   * writes them, so its CSV shows real dates) or 'relative' (seconds since
   * the start, like output events). Epoch needs created_at; default 'epoch'.
   */
  readonly commandTimes?: 'epoch' | 'relative';
}

export interface NexReadOptions {
  /** Longest session.json line accepted, in characters (default 64 Mi). */
  readonly maxLineLength?: number;
  /** Working directory for commands found by OSC 133 marks when the file has no command events. */
  readonly defaultCwd?: string;
}

/** The ZIP timestamp: created_at's UTC fields (ZIP stores local time; this keeps it the same in every time zone). */
function zipTime(createdAt: string | null): Date {
  const fallback = new Date(1980, 0, 1, 0, 0, 0);
  const instant = createdAt === null ? null : parseRfc3339(createdAt);
  if (!instant) return fallback;
  const utc = new Date(instant.seconds * 1000);
  const year = utc.getUTCFullYear();
  if (year < 1980 || year > 2107) return fallback;
  const local = new Date(
    year,
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
  return local.getHours() === utc.getUTCHours() ? local : fallback; // not a DST gap in this zone
}

export function writeNex(session: Session, options: NexWriteOptions = {}): Uint8Array {
  const info = {
    ...session.info,
    durationSeconds: session.info.durationSeconds ?? toMicros(lastEventTime(session.events)),
  };
  const start = info.createdAt === null ? null : parseRfc3339(info.createdAt);
  const epoch = start !== null && options.commandTimes !== 'relative';
  const commandTime = (t: number): number => (epoch ? toUnixSeconds(addSeconds(start, t)) : t);
  const encoder = new TextEncoder();
  const manifest = encoder.encode(writeManifest(info));
  const body = encoder.encode(
    [...sessionLines(session.events, session.commands, { commandTime })].join(''),
  );
  const mtime = zipTime(info.createdAt);
  return zipSync({
    [MANIFEST_ENTRY]: [manifest, { mtime, level: 6 }],
    [SESSION_ENTRY]: [body, { mtime, level: 6 }],
  });
}

// ---------------------------------------------------------------- reading

interface Entries {
  readonly files: Record<string, Uint8Array>;
  readonly error: NexFormatError | null;
}

/** A damaged archive: read the local entries in order and keep whatever inflates before the damage. */
function salvageEntries(bytes: Uint8Array, reason: string): Entries {
  const chunks: Record<string, Uint8Array[]> = {};
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    const parts: Uint8Array[] = (chunks[file.name] = []);
    file.ondata = (error, data) => {
      if (!error) parts.push(data);
    };
    file.start();
  };
  try {
    unzip.push(bytes, true);
  } catch {
    // expected: the stream ends inside an entry
  }
  const files = Object.fromEntries(
    Object.entries(chunks).map(([name, parts]) => [name, concat(parts)]),
  );
  return {
    files,
    error: new NexFormatError(
      `the ZIP archive is damaged or truncated (${reason}); read what came before the damage`,
    ),
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readEntries(bytes: Uint8Array): Entries {
  const isZip =
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5);
  if (!isZip)
    return { files: {}, error: new NexFormatError('not a .nex file: it is not a ZIP archive') };
  try {
    return { files: unzipSync(bytes), error: null };
  } catch (error) {
    return salvageEntries(bytes, (error as Error).message);
  }
}

/**
 * Command event `t` → seconds since the start: Unix times (the original's) are
 * taken relative to the start. When the manifest cannot give the start (see
 * recordingStart), the first Unix time seen anchors it: that command is put
 * at the time of the event before it, and so are the Unix times after it, so
 * every command keeps its own moment (start_iso) and its order with the output.
 */
class CommandTimes {
  constructor(public start: Instant | null) {}

  relative(t: number, previousT: number): number {
    if (t <= 1e9) return t;
    this.start ??= addSeconds(instantFromUnixSeconds(t), -previousT);
    return Math.max(0, toMicros(secondsBetween(this.start, instantFromUnixSeconds(t))));
  }
}

/** Read a .nex file. Never throws for bad content: returns what was valid before the damage, and the damage. */
export function parseNex(bytes: Uint8Array, options: NexReadOptions = {}): ReadResult<Session> {
  const { files, error: zipError } = readEntries(bytes);
  let error = zipError;
  const decoder = new TextDecoder();
  let info = emptyInfo();
  const manifestBytes = files[MANIFEST_ENTRY];
  if (manifestBytes) {
    try {
      const manifest = parseManifest(decoder.decode(manifestBytes));
      info = manifest;
    } catch (cause) {
      error ??= cause as NexFormatError;
    }
  } else {
    error ??= new NexFormatError(`not a .nex recording: the archive has no ${MANIFEST_ENTRY}`);
  }
  const sessionBytes = files[SESSION_ENTRY];
  if (!sessionBytes) {
    error ??= new NexFormatError(`not a .nex recording: the archive has no ${SESSION_ENTRY}`);
    return { value: { info, events: [], commands: [] }, error };
  }
  const known = recordingStart(info);
  const times = new CommandTimes(known === null ? null : parseRfc3339(known));
  const { content, error: sessionError } = parseSessionJson(decoder.decode(sessionBytes), {
    commandTime: (t, previousT) => times.relative(t, previousT),
    maxLineLength: options.maxLineLength,
  });
  error ??= sessionError;
  const start = known ?? (times.start === null ? info.createdAt : formatManifestTime(times.start));
  info = { ...info, createdAt: start };
  const commands = content.hasCommandEvents
    ? content.commands
    : extractCommands(content.events, { defaultCwd: options.defaultCwd });
  return { value: { info, events: content.events, commands }, error };
}

/** manifest.json as stored in a .nex file (what the original's `nex inspect` prints), or null if it has none. */
export function storedManifest(bytes: Uint8Array): string | null {
  const manifest = readEntries(bytes).files[MANIFEST_ENTRY];
  return manifest ? new TextDecoder().decode(manifest) : null;
}

/** Read a .nex file; throws a PartialReadError (a NexFormatError carrying `partial`) if it is damaged. */
export function readNex(bytes: Uint8Array, options: NexReadOptions = {}): Session {
  return orThrow(parseNex(bytes, options));
}
