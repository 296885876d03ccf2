/**
 * `manifest.json`, the metadata entry of a .nex file.
 *
 * The original NEX tool writes four fields, compact, in this order:
 *   {"version":"1.0","created_at":"2026-01-01T09:00:00Z","recorder_version":"0.2","duration_seconds":12.5}
 * (duration_seconds may be null). It writes `created_at` when it saves the
 * file, i.e. at the end of the recording; the book writes the recording's
 * start there (see createdAtIsStart), which is what the exports need.
 *
 * The book's extensions, after those four (the original ignores unknown keys):
 *   "generator": "cottonos-book"        who wrote it; marks created_at as the start
 *   "title", "chapter": strings
 *   "terminal": {"cols":80,"rows":24,"type":"xterm-256color"}
 * Other unknown keys are kept and written back.
 */
import { jsonTypeName, NexFormatError } from './errors';
import { addSeconds, formatManifestTime, parseRfc3339 } from './instant';
import { formatFloat } from './json-numbers';
import { FORMAT_VERSION, type SessionInfo } from './session';

export const MANIFEST_ENTRY = 'manifest.json';
export const BOOK_GENERATOR = 'cottonos-book';
const KNOWN = new Set([
  'version',
  'created_at',
  'recorder_version',
  'duration_seconds',
  'generator',
  'title',
  'chapter',
  'terminal',
]);

export function writeManifest(info: SessionInfo): string {
  const fields: string[] = [
    `"version":${JSON.stringify(info.version || FORMAT_VERSION)}`,
    `"created_at":${info.createdAt === null ? 'null' : JSON.stringify(info.createdAt)}`,
    `"recorder_version":${JSON.stringify(info.recorderVersion)}`,
    `"duration_seconds":${info.durationSeconds === null ? 'null' : formatFloat(info.durationSeconds)}`,
    `"generator":${JSON.stringify(info.generator ?? BOOK_GENERATOR)}`,
  ];
  if (info.title !== undefined) fields.push(`"title":${JSON.stringify(info.title)}`);
  if (info.chapter !== undefined) fields.push(`"chapter":${JSON.stringify(info.chapter)}`);
  if (info.cols !== undefined || info.rows !== undefined || info.termType !== undefined) {
    fields.push(
      `"terminal":${JSON.stringify({ cols: info.cols, rows: info.rows, type: info.termType })}`,
    );
  }
  for (const [key, value] of Object.entries(info.extra ?? {})) {
    if (!KNOWN.has(key)) fields.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${fields.join(',')}}`;
}

function fail(problem: string): never {
  throw new NexFormatError(problem, { entry: MANIFEST_ENTRY });
}

function optionalString(json: Record<string, unknown>, key: string): string | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`"${key}" must be a string, found ${jsonTypeName(value)}`);
  return value;
}

function optionalSize(terminal: Record<string, unknown>, key: string): number | undefined {
  const value = terminal[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    fail(`"terminal.${key}" must be a positive integer, found ${JSON.stringify(value)}`);
  return value;
}

/** Parse manifest.json; throws NexFormatError naming the bad field. */
export function parseManifest(text: string): SessionInfo {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(`expected a JSON object, found ${jsonTypeName(json)}`);
  const m = json as Record<string, unknown>;
  const version = optionalString(m, 'version') ?? FORMAT_VERSION;
  const createdAt = optionalString(m, 'created_at') ?? null;
  if (createdAt !== null && !parseRfc3339(createdAt))
    fail(`"created_at" is not an RFC 3339 timestamp: ${JSON.stringify(createdAt)}`);
  const duration = m.duration_seconds;
  if (
    duration !== undefined &&
    duration !== null &&
    (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)
  ) {
    fail(
      `"duration_seconds" must be a non-negative number or null, found ${JSON.stringify(duration)}`,
    );
  }
  const terminal = m.terminal ?? {};
  if (typeof terminal !== 'object' || terminal === null || Array.isArray(terminal))
    fail(`"terminal" must be an object, found ${jsonTypeName(terminal)}`);
  const t = terminal as Record<string, unknown>;
  const extra = Object.fromEntries(Object.entries(m).filter(([key]) => !KNOWN.has(key)));
  const info: SessionInfo = {
    version,
    createdAt,
    recorderVersion: optionalString(m, 'recorder_version') ?? '',
    durationSeconds: typeof duration === 'number' ? duration : null,
    generator: optionalString(m, 'generator'),
    title: optionalString(m, 'title'),
    chapter: optionalString(m, 'chapter'),
    cols: optionalSize(t, 'cols'),
    rows: optionalSize(t, 'rows'),
    termType: typeof t.type === 'string' ? t.type : undefined,
    ...(Object.keys(extra).length ? { extra } : {}),
  };
  return dropUndefined(info);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** True when created_at is the recording's start (the book's files); the original writes the save time. */
export function createdAtIsStart(info: SessionInfo): boolean {
  return info.generator !== undefined;
}

/**
 * The recording's start as an RFC 3339 timestamp: created_at itself for the
 * book's files, created_at minus the duration for the original's (which
 * saves created_at when the recording ends). null when the manifest cannot
 * tell: no created_at, or an original file whose duration_seconds is null
 * (the original writes null when the session's last line is a command
 * event); readers then start from the first command event's own time.
 */
export function recordingStart(info: SessionInfo): string | null {
  if (info.createdAt === null) return null;
  if (createdAtIsStart(info)) return info.createdAt;
  if (info.durationSeconds === null) return null;
  return formatManifestTime(addSeconds(parseRfc3339(info.createdAt)!, -info.durationSeconds));
}
