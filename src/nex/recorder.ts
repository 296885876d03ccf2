/**
 * Records a terminal session as it happens: what a PTY recorder such as the
 * original NEX tool sees (bytes out, with their times), plus what the book can
 * also see (bytes typed, resizes, markers), into the session model.
 *
 * Times come from the caller in nanoseconds, normally the Cotton PC's virtual
 * clock, never from the host's clock: a recording made in fast mode has the
 * timing the machine would have had in real time, and the same inputs give
 * the same recording, byte for byte. Times are kept to the microsecond, the
 * resolution every file format here stores exactly. Commands are cut from the
 * output by its OSC 133 marks when the recording is finished.
 */
import { formatManifestTime } from './instant';
import { BOOK_GENERATOR } from './nex-manifest';
import { extractCommands } from './osc133';
import {
  DEFAULT_COLS,
  DEFAULT_ROWS,
  FORMAT_VERSION,
  type Session,
  type SessionEvent,
  type SessionInfo,
} from './session';

export const RECORDER_VERSION = 'cottonos-book-nex 0.1';

export interface RecorderOptions {
  /** When the recording started, Unix seconds (for the book: the machine's RTC at power-on). Required: never the host's clock. */
  readonly startTime: number;
  readonly cols?: number;
  readonly rows?: number;
  readonly termType?: string;
  readonly title?: string;
  readonly chapter?: string;
  /** Working directory of commands, until an OSC 7 mark names one. */
  readonly defaultCwd?: string;
}

const secondsFromNs = (ns: number): number => Math.round(ns / 1000) / 1e6;

export class SessionRecorder {
  private readonly events: SessionEvent[] = [];
  private lastT = 0;

  constructor(readonly options: RecorderOptions) {}

  /** A time in seconds, never before the previous event's (a reboot restarts a machine's clock). */
  private time(ns: number): number {
    this.lastT = Math.max(this.lastT, secondsFromNs(ns));
    return this.lastT;
  }

  output(data: Uint8Array, ns: number): void {
    if (data.length > 0) this.events.push({ kind: 'output', t: this.time(ns), data: data.slice() });
  }

  input(data: Uint8Array, ns: number): void {
    if (data.length > 0) this.events.push({ kind: 'input', t: this.time(ns), data: data.slice() });
  }

  resize(cols: number, rows: number, ns: number): void {
    this.events.push({ kind: 'resize', t: this.time(ns), cols, rows });
  }

  marker(label: string, ns: number): void {
    this.events.push({ kind: 'marker', t: this.time(ns), label });
  }

  exit(status: number, ns: number): void {
    this.events.push({ kind: 'exit', t: this.time(ns), status });
  }

  /** The session so far; `endNs` (if later than the last event) is its duration. */
  finish(endNs?: number): Session {
    const o = this.options;
    const end = endNs === undefined ? this.lastT : Math.max(this.lastT, secondsFromNs(endNs));
    const info: SessionInfo = {
      version: FORMAT_VERSION,
      createdAt: formatManifestTime({ seconds: Math.floor(o.startTime), nanos: 0 }),
      recorderVersion: RECORDER_VERSION,
      durationSeconds: end,
      generator: BOOK_GENERATOR,
      cols: o.cols ?? DEFAULT_COLS,
      rows: o.rows ?? DEFAULT_ROWS,
      termType: o.termType ?? 'xterm-256color',
      ...(o.title !== undefined ? { title: o.title } : {}),
      ...(o.chapter !== undefined ? { chapter: o.chapter } : {}),
    };
    const events = [...this.events];
    return { info, events, commands: extractCommands(events, { defaultCwd: o.defaultCwd }) };
  }
}
