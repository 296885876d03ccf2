/**
 * asciinema's asciicast formats, versions 2 and 3, to and from the session
 * model, so the book's recordings play in asciinema's tools and theirs here.
 *
 * Both are newline-delimited JSON: a header object, then one event per line,
 * `[time, code, data]` with codes o (output), i (input), r (resize, "COLSxROWS"),
 * m (marker) and, in v3 only, x (exit status).
 * - v2 header: {"version":2,"width":80,"height":24,"timestamp":…,"title":…,"env":{…}};
 *   an event's time is seconds since the start.
 * - v3 header: {"version":3,"term":{"cols":80,"rows":24,"type":…},"timestamp":…,…};
 *   an event's time is the interval since the previous event; lines starting
 *   with # are comments.
 * Data is text (JSON strings), so bytes that are not UTF-8 do not survive the
 * trip; a character cut between two chunks is moved whole into the later one.
 * Times are written in microseconds, and v3 intervals are summed in integer
 * microseconds, so times come back exactly. Casts carry no command events:
 * commands come back from the OSC 133 marks in the output.
 */
import { jsonTypeName, NexFormatError, orThrow, type ReadResult } from './errors';
import { formatManifestTime, parseRfc3339 } from './instant';
import { formatMicros } from './json-numbers';
import { extractCommands } from './osc133';
import {
  DEFAULT_COLS,
  DEFAULT_ROWS,
  emptyInfo,
  type Session,
  type SessionEvent,
  type SessionInfo,
} from './session';

export type AsciicastVersion = 2 | 3;
const ENTRY = 'asciicast';
const DEFAULT_TERM = 'xterm-256color';

// ---------------------------------------------------------------- writing

function headerFor(info: SessionInfo, version: AsciicastVersion): Record<string, unknown> {
  const cols = info.cols ?? DEFAULT_COLS;
  const rows = info.rows ?? DEFAULT_ROWS;
  const start = info.createdAt === null ? null : parseRfc3339(info.createdAt);
  const header: Record<string, unknown> =
    version === 2
      ? { version: 2, width: cols, height: rows }
      : { version: 3, term: { cols, rows, type: info.termType ?? DEFAULT_TERM } };
  if (start) header.timestamp = start.seconds;
  if (info.title !== undefined) header.title = info.title;
  if (version === 2) header.env = { TERM: info.termType ?? DEFAULT_TERM };
  return header;
}

/** Each event as [code, data], text decoded per stream so split characters stay whole. */
function* castEvents(
  events: readonly SessionEvent[],
  version: AsciicastVersion,
): Generator<[number, string, string]> {
  const output = new TextDecoder();
  const input = new TextDecoder();
  for (const event of events) {
    switch (event.kind) {
      case 'output': {
        const text = output.decode(event.data, { stream: true });
        if (text) yield [event.t, 'o', text];
        break;
      }
      case 'input': {
        const text = input.decode(event.data, { stream: true });
        if (text) yield [event.t, 'i', text];
        break;
      }
      case 'resize':
        yield [event.t, 'r', `${event.cols}x${event.rows}`];
        break;
      case 'marker':
        yield [event.t, 'm', event.label];
        break;
      case 'exit':
        if (version === 3) yield [event.t, 'x', String(event.status)];
        break;
    }
  }
  const restOut = output.decode();
  const restIn = input.decode();
  const end = events.length ? events[events.length - 1]!.t : 0;
  if (restOut) yield [end, 'o', restOut];
  if (restIn) yield [end, 'i', restIn];
}

export function writeAsciicast(session: Session, version: AsciicastVersion): string {
  const lines = [JSON.stringify(headerFor(session.info, version))];
  let previous = 0;
  for (const [t, code, data] of castEvents(session.events, version)) {
    const micros = Math.round(t * 1e6);
    const time = version === 2 ? micros : micros - previous;
    previous = micros;
    lines.push(`[${formatMicros(time / 1e6)}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- reading

export interface AsciicastReadOptions {
  /** Working directory for the commands found by OSC 133 marks. */
  readonly defaultCwd?: string;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(
      `header "${name}" must be a positive integer, found ${JSON.stringify(value) ?? jsonTypeName(value)}`,
    );
  }
  return value;
}

function parseHeader(value: unknown): { version: AsciicastVersion; info: SessionInfo } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`the header must be a JSON object, found ${jsonTypeName(value)}`);
  const h = value as Record<string, unknown>;
  if (h.version !== 2 && h.version !== 3)
    throw new Error(`unsupported asciicast version ${JSON.stringify(h.version)} (expected 2 or 3)`);
  const term = (h.version === 3 ? h.term : undefined) as Record<string, unknown> | undefined;
  if (h.version === 3 && (typeof term !== 'object' || term === null || Array.isArray(term)))
    throw new Error('a v3 header needs "term": {"cols", "rows"}');
  const cols = positiveInteger(term ? term.cols : h.width, term ? 'term.cols' : 'width');
  const rows = positiveInteger(term ? term.rows : h.height, term ? 'term.rows' : 'height');
  const termType = term ? term.type : (h.env as Record<string, unknown> | undefined)?.TERM;
  const timestamp = h.timestamp;
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp)))
    throw new Error(`header "timestamp" must be a number, found ${jsonTypeName(timestamp)}`);
  const info = emptyInfo({
    createdAt:
      typeof timestamp === 'number'
        ? formatManifestTime({ seconds: Math.floor(timestamp), nanos: 0 })
        : null,
    recorderVersion: `asciicast v${h.version}`,
    cols,
    rows,
    ...(typeof termType === 'string' ? { termType } : {}),
    ...(typeof h.title === 'string' ? { title: h.title } : {}),
  });
  return { version: h.version, info };
}

/** Parse one event line into a session event (null for codes this reader does not know, as the spec asks). */
function parseEvent(value: unknown, t: number, encoder: TextEncoder): SessionEvent | null {
  const [, code, data] = value as [number, unknown, unknown];
  if (typeof code !== 'string')
    throw new Error(`the event code must be a string, found ${jsonTypeName(code)}`);
  if (typeof data !== 'string')
    throw new Error(`the event data must be a string, found ${jsonTypeName(data)}`);
  switch (code) {
    case 'o':
      return { kind: 'output', t, data: encoder.encode(data) };
    case 'i':
      return { kind: 'input', t, data: encoder.encode(data) };
    case 'm':
      return { kind: 'marker', t, label: data };
    case 'r': {
      const m = /^(\d+)x(\d+)$/.exec(data);
      if (!m || +m[1]! < 1 || +m[2]! < 1)
        throw new Error(`a resize event needs "COLSxROWS", found ${JSON.stringify(data)}`);
      return { kind: 'resize', t, cols: +m[1]!, rows: +m[2]! };
    }
    case 'x': {
      if (!/^-?\d+$/.test(data))
        throw new Error(`an exit event needs an integer status, found ${JSON.stringify(data)}`);
      return { kind: 'exit', t, status: Number(data) };
    }
    default:
      return null;
  }
}

/** Read an asciicast v2 or v3 file. Never throws for bad content: returns what was valid before the damage, and the damage. */
export function parseAsciicast(
  text: string,
  options: AsciicastReadOptions = {},
): ReadResult<Session> {
  const events: SessionEvent[] = [];
  const encoder = new TextEncoder();
  let header: { version: AsciicastVersion; info: SessionInfo } | null = null;
  let error: NexFormatError | null = null;
  let micros = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && !error; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || (line.startsWith('#') && header?.version !== 2)) continue;
    try {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        throw new Error(`not JSON (${(cause as Error).message})`);
      }
      if (!header) {
        header = parseHeader(value);
        continue;
      }
      if (!Array.isArray(value) || value.length < 3)
        throw new Error(
          `an event must be an array [time, code, data], found ${jsonTypeName(value)}`,
        );
      const time = value[0];
      if (typeof time !== 'number' || !Number.isFinite(time) || time < 0)
        throw new Error(
          `the event time must be a non-negative number, found ${JSON.stringify(time)}`,
        );
      const next = header.version === 2 ? Math.round(time * 1e6) : micros + Math.round(time * 1e6);
      if (next < micros)
        throw new Error(
          `time ${time} s is before the previous event's ${micros / 1e6} s (events must be in time order)`,
        );
      micros = next;
      const event = parseEvent(value, micros / 1e6, encoder);
      if (event) events.push(event);
    } catch (cause) {
      error = new NexFormatError((cause as Error).message, { entry: ENTRY, line: i + 1 });
    }
  }
  if (!header && !error)
    error = new NexFormatError('empty file: no asciicast header', { entry: ENTRY });
  const info = header?.info ?? emptyInfo();
  return {
    value: { info, events, commands: extractCommands(events, { defaultCwd: options.defaultCwd }) },
    error,
  };
}

export function readAsciicast(text: string, options: AsciicastReadOptions = {}): Session {
  return orThrow(parseAsciicast(text, options));
}
