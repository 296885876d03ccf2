/**
 * A recorded terminal session in memory: the one model every format is read
 * into and written from (.nex, asciicast v2 and v3), and that exports and
 * players work on.
 *
 * Shaped after what a recorder can actually observe at a PTY or serial line:
 * - a time-ordered stream of events (bytes out, bytes in, resizes, markers,
 *   the exit of the recorded program), times in seconds since the start;
 * - commands, found in that stream (OSC 133 marks) or given by the recorder
 *   (the original NEX tool's shell hook). A command is placed in the stream by
 *   byte offsets into the concatenated output as well as by time, because
 *   "which output belongs to which command" is a question about bytes: the
 *   mark that starts a command usually arrives in the middle of a chunk.
 */

export interface OutputEvent {
  readonly kind: 'output';
  readonly t: number;
  readonly data: Uint8Array;
}
export interface InputEvent {
  readonly kind: 'input';
  readonly t: number;
  readonly data: Uint8Array;
}
export interface ResizeEvent {
  readonly kind: 'resize';
  readonly t: number;
  readonly cols: number;
  readonly rows: number;
}
export interface MarkerEvent {
  readonly kind: 'marker';
  readonly t: number;
  readonly label: string;
}
export interface ExitEvent {
  readonly kind: 'exit';
  readonly t: number;
  readonly status: number;
}
export type SessionEvent = OutputEvent | InputEvent | ResizeEvent | MarkerEvent | ExitEvent;

export interface CommandRecord {
  /** Seconds since the start of the recording. */
  readonly start: number;
  /** null: the recording ended (or broke off) while it ran. */
  readonly end: number | null;
  readonly exitCode: number | null;
  /** Working directory; null when the recording does not say (the original's JSON export shows null). */
  readonly cwd: string | null;
  /** The command line as typed; null when the recording does not say. */
  readonly line: string | null;
  /**
   * An end event with no start before it: the original reads it as a command of
   * 1 ms with no line and no directory, and prints no `[command start]` for it.
   */
  readonly unmatchedEnd?: true;
  /** Offset in the concatenated output where the command's own output begins. */
  readonly outputStart: number;
  /** Offset where it ends (exclusive); null when `end` is. */
  readonly outputEnd: number | null;
}

/** What the manifest says about the recording (the original's four fields, then the book's extensions). */
export interface SessionInfo {
  /** Format version, "1.0" in the original. */
  readonly version: string;
  /** RFC 3339: when the recording started (readers convert the original's save time to this); null if unknown. */
  readonly createdAt: string | null;
  readonly recorderVersion: string;
  readonly durationSeconds: number | null;
  readonly cols?: number;
  readonly rows?: number;
  /** The TERM the output was written for. */
  readonly termType?: string;
  readonly title?: string;
  /** The book chapter the recording belongs to. */
  readonly chapter?: string;
  /** Who wrote the file: set by the book's writer; absent in the original's files. */
  readonly generator?: string;
  /** Manifest fields nobody here knows, kept so a round trip does not drop them. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Session {
  readonly info: SessionInfo;
  readonly events: readonly SessionEvent[];
  readonly commands: readonly CommandRecord[];
}

export const FORMAT_VERSION = '1.0';
export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;

export function emptyInfo(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    version: FORMAT_VERSION,
    createdAt: null,
    recorderVersion: '',
    durationSeconds: null,
    ...overrides,
  };
}

/** Round to whole microseconds: the resolution every format here stores exactly. */
export function toMicros(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** All output bytes, concatenated. */
export function outputBytes(events: readonly SessionEvent[]): Uint8Array {
  const chunks = events.filter((e): e is OutputEvent => e.kind === 'output');
  const out = new Uint8Array(chunks.reduce((n, e) => n + e.data.length, 0));
  let at = 0;
  for (const e of chunks) {
    out.set(e.data, at);
    at += e.data.length;
  }
  return out;
}

/** Time of the last event, 0 for none. */
export function lastEventTime(events: readonly SessionEvent[]): number {
  return events.reduce((t, e) => Math.max(t, e.t), 0);
}

/**
 * Output events joined where consecutive ones share a time: the same bytes at
 * the same times, however a writer happened to cut them (the .nex writer cuts
 * output at command boundaries). What "keeps output and timing" compares.
 */
export function coalesceOutput(events: readonly SessionEvent[]): { t: number; data: Uint8Array }[] {
  const out: { t: number; data: Uint8Array }[] = [];
  for (const e of events) {
    if (e.kind !== 'output' || e.data.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.t === e.t) {
      const joined = new Uint8Array(last.data.length + e.data.length);
      joined.set(last.data);
      joined.set(e.data, last.data.length);
      last.data = joined;
    } else out.push({ t: e.t, data: e.data });
  }
  return out;
}
