/**
 * `session.json`, the event stream inside a .nex file: newline-delimited JSON,
 * one event per line, in time order — the original NEX tool's wire format.
 *
 * The original's lines:
 *   {"t":1.5,"data":"<base64 bytes>"}                                   output
 *   {"cmd_b64":"<base64>","cwd":"/home","phase":"start","t":…,"type":"command"}
 *   {"phase":"end","rc":0,"t":…,"type":"command"}
 * Output `t` is seconds since the start; the original's command `t` is Unix
 * epoch seconds from its shell hook's clock. Keys are in the order the
 * original writes them (its JSON objects sort their keys).
 *
 * The book's extensions are lines the original skips: it takes any line with
 * `t` and `data` as output and otherwise only looks at `"type":"command"`, so
 * each extension has a `type` and no `data` key:
 *   {"type":"input","t":…,"data_b64":"<base64>"}      bytes typed by the reader
 *   {"type":"resize","t":…,"cols":100,"rows":30}      terminal size change
 *   {"type":"marker","t":…,"label":"…"}               a named point (chapters, steps)
 *   {"type":"exit","t":…,"status":0}                  the recorded program exited
 * Lines with any other `type` are skipped here too, for later extensions.
 */
import { Base64Error, decodeBase64, encodeBase64 } from './base64';
import { jsonTypeName, NexFormatError } from './errors';
import { formatFloat } from './json-numbers';
import type { CommandRecord, SessionEvent } from './session';
import { timeline } from './timeline';

export const SESSION_ENTRY = 'session.json';

// ---------------------------------------------------------------- writing

export interface SessionWriteOptions {
  /** Command times as the original writes them (Unix seconds) from a relative time; identity if absent. */
  readonly commandTime?: (relative: number) => number;
}

function outputLine(t: number, data: Uint8Array): string {
  return `{"t":${formatFloat(t)},"data":"${encodeBase64(data)}"}`;
}

function eventLine(event: SessionEvent): string {
  switch (event.kind) {
    case 'output':
      return outputLine(event.t, event.data);
    case 'input':
      return `{"type":"input","t":${formatFloat(event.t)},"data_b64":"${encodeBase64(event.data)}"}`;
    case 'resize':
      return `{"type":"resize","t":${formatFloat(event.t)},"cols":${event.cols},"rows":${event.rows}}`;
    case 'marker':
      return `{"type":"marker","t":${formatFloat(event.t)},"label":${JSON.stringify(event.label)}}`;
    case 'exit':
      return `{"type":"exit","t":${formatFloat(event.t)},"status":${event.status}}`;
  }
}

/** The lines of session.json, each ending in a newline. */
export function* sessionLines(
  events: readonly SessionEvent[],
  commands: readonly CommandRecord[],
  options: SessionWriteOptions = {},
): Generator<string> {
  const time = options.commandTime ?? ((t: number) => t);
  const encoder = new TextEncoder();
  for (const item of timeline(events, commands)) {
    if (item.kind === 'event') {
      if (item.event.kind !== 'output' || item.event.data.length > 0)
        yield `${eventLine(item.event)}\n`;
    } else if (item.kind === 'command-start') {
      const { command } = item;
      if (command.unmatchedEnd) continue; // the file had only its end line
      const cmd =
        command.line === null ? '' : `"cmd_b64":"${encodeBase64(encoder.encode(command.line))}",`;
      const cwd = command.cwd === null ? '' : `"cwd":${JSON.stringify(command.cwd)},`;
      yield `{${cmd}${cwd}"phase":"start","t":${formatFloat(time(command.start))},"type":"command"}\n`;
    } else {
      const { command } = item;
      yield `{"phase":"end","rc":${command.exitCode ?? 'null'},"t":${formatFloat(time(command.end!))},"type":"command"}\n`;
    }
  }
}

// ---------------------------------------------------------------- reading

export interface SessionReadOptions {
  /** A relative time from a command event's `t` (which may be Unix seconds); identity if absent. */
  readonly commandTime?: (t: number, previousT: number) => number;
  /** Longest line accepted, in characters. */
  readonly maxLineLength?: number;
}

export interface SessionContent {
  readonly events: SessionEvent[];
  readonly commands: CommandRecord[];
  /** Whether the file had command events at all (if not, commands may come from OSC 133 marks). */
  readonly hasCommandEvents: boolean;
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

type Json = Record<string, unknown>;

/** Reads lines into events and commands; `fail` at the first bad line leaves what came before. */
class SessionReader {
  readonly events: SessionEvent[] = [];
  readonly commands: CommandRecord[] = [];
  hasCommandEvents = false;
  private open: { start: number; cwd: string | null; line: string | null; outputStart: number }[] =
    [];
  private offset = 0;
  private lastT = 0;
  private decoder = new TextDecoder();

  /** `commandTime(t, previousT)`: a command event's time, given the time of the event before it. */
  constructor(private readonly commandTime: (t: number, previousT: number) => number) {}

  line(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`not JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error(`expected a JSON object, found ${jsonTypeName(value)}`);
    const json = value as Json;
    if (json.type === 'command') return this.command(json);
    if (json.type === undefined && 'data' in json) return this.output(json);
    if (typeof json.type !== 'string')
      throw new Error(
        `an event needs "t" and "data" (output) or a "type" string, found ${describeKeys(json)}`,
      );
    switch (json.type) {
      case 'input':
        return this.push({ kind: 'input', t: this.time(json), data: bytesField(json, 'data_b64') });
      case 'resize':
        return this.push({
          kind: 'resize',
          t: this.time(json),
          cols: sizeField(json, 'cols'),
          rows: sizeField(json, 'rows'),
        });
      case 'marker':
        return this.push({ kind: 'marker', t: this.time(json), label: stringField(json, 'label') });
      case 'exit':
        return this.push({
          kind: 'exit',
          t: this.time(json),
          status: integerField(json, 'status'),
        });
      default: // a later extension: skip, as the original skips ours
    }
  }

  finish(): void {
    for (const command of this.open)
      this.commands.push({ ...command, end: null, exitCode: null, outputEnd: null });
    this.open = [];
    this.commands.sort((a, b) => a.outputStart - b.outputStart || a.start - b.start);
  }

  private output(json: Json): void {
    const data = bytesField(json, 'data');
    this.push({ kind: 'output', t: this.time(json), data });
    this.offset += data.length;
  }

  private push(event: SessionEvent): void {
    this.events.push(event);
  }

  /** An event's `t`: a non-negative number, not before the previous event's. */
  private time(json: Json): number {
    const t = numberField(json, 't');
    if (t < this.lastT)
      throw new Error(
        `time ${t} s is before the previous event's ${this.lastT} s (events must be in time order)`,
      );
    this.lastT = t;
    return t;
  }

  private command(json: Json): void {
    this.hasCommandEvents = true;
    const phase = json.phase;
    if (typeof phase !== 'string')
      throw new Error(
        `a command event needs "phase": "start" or "end", found ${jsonTypeName(phase)}`,
      );
    const t = this.commandTime(numberField(json, 't'), this.lastT);
    if (phase === 'start') {
      const cwd = json.cwd === undefined || json.cwd === null ? null : stringField(json, 'cwd');
      const line =
        json.cmd_b64 === undefined || json.cmd_b64 === null
          ? null
          : this.decoder.decode(bytesField(json, 'cmd_b64'));
      this.open.push({ start: t, cwd, line, outputStart: this.offset });
    } else if (phase === 'end') {
      const rc = json.rc === undefined || json.rc === null ? null : integerField(json, 'rc');
      const open = this.open.pop();
      const end = { end: t, exitCode: rc, outputEnd: this.offset };
      if (open) this.commands.push({ ...open, ...end });
      else {
        // A stray end, as the original reads it: 1 ms long, no line, no directory.
        const start = Math.max(0, t - 0.001);
        const unknown = { cwd: null, line: null, unmatchedEnd: true } as const;
        this.commands.push({ start, outputStart: this.offset, ...unknown, ...end });
      }
    }
  }
}

function describeKeys(json: Json): string {
  const keys = Object.keys(json);
  return keys.length ? `keys ${keys.map((k) => JSON.stringify(k)).join(', ')}` : 'an empty object';
}

function numberField(json: Json, key: string): number {
  const value = json[key];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`"${key}" must be a number, found ${jsonTypeName(value)}`);
  if (value < 0) throw new Error(`"${key}" must not be negative, found ${value}`);
  return value;
}

function integerField(json: Json, key: string): number {
  const value = json[key];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new Error(
      `"${key}" must be an integer, found ${typeof value === 'number' ? value : jsonTypeName(value)}`,
    );
  return value;
}

function sizeField(json: Json, key: string): number {
  const value = integerField(json, key);
  if (value < 1 || value > 10000)
    throw new Error(`"${key}" must be between 1 and 10000, found ${value}`);
  return value;
}

function stringField(json: Json, key: string): string {
  const value = json[key];
  if (typeof value !== 'string')
    throw new Error(`"${key}" must be a string, found ${jsonTypeName(value)}`);
  return value;
}

function bytesField(json: Json, key: string): Uint8Array {
  const text = stringField(json, key);
  try {
    return decodeBase64(text);
  } catch (error) {
    if (error instanceof Base64Error)
      throw new Error(`"${key}" is not valid base64: ${error.message}`);
    throw error;
  }
}

/**
 * Read session.json's text. Never throws for bad content: returns what was
 * valid up to the first bad line, and an error naming that line.
 */
export function parseSessionJson(
  text: string,
  options: SessionReadOptions = {},
): { content: SessionContent; error: NexFormatError | null } {
  const reader = new SessionReader(options.commandTime ?? ((t) => t));
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  let error: NexFormatError | null = null;
  let lineNumber = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const length = end - start;
    if (length > maxLine) {
      error = new NexFormatError(
        `line is ${length} characters long, over the limit of ${maxLine}`,
        { entry: SESSION_ENTRY, line: lineNumber },
      );
      break;
    }
    const line = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      reader.line(line);
    } catch (cause) {
      error = new NexFormatError((cause as Error).message, {
        entry: SESSION_ENTRY,
        line: lineNumber,
      });
      break;
    }
  }
  reader.finish();
  return {
    content: {
      events: reader.events,
      commands: reader.commands,
      hasCommandEvents: reader.hasCommandEvents,
    },
    error,
  };
}
