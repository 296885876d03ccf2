/**
 * The original NEX tool's exports: one record per command, as CSV (`nex csv`)
 * or as a pretty-printed JSON array (`nex json`), with the same fields in the
 * same order and the same rules:
 *   start_iso, start_t, end_t, duration_s, duration_human, cwd, cmd, rc, output_bytes, output_snippet
 * - output bytes go to the innermost command running when they arrived;
 * - a command without an end ends at the last output (or 1 ms after its start);
 * - duration_human is `1.234s` from a second up, else `12ms`, else `850µs`;
 * - the snippet is the first 200 bytes of output, newlines written as `\n`.
 * One difference, on purpose: start_t and end_t are seconds since the start
 * of the recording (the original prints its hook's Unix times there), and
 * start_iso is created_at plus start_t, so the book's exports are the same
 * on every run.
 */
import { addSeconds, formatIsoOffset, instantFromUnixSeconds, parseRfc3339 } from './instant';
import { formatFloat } from './json-numbers';
import type { CommandRecord, Session } from './session';
import { timeline } from './timeline';

export interface CommandSummary {
  readonly start_iso: string;
  readonly start_t: number;
  readonly end_t: number;
  readonly duration_s: number;
  readonly duration_human: string;
  /** null where the recording does not say (a stray end), as in the original's JSON export. */
  readonly cwd: string | null;
  readonly cmd: string | null;
  readonly rc: number | null;
  readonly output_bytes: number;
  readonly output_snippet: string;
}

export const SUMMARY_COLUMNS = [
  'start_iso',
  'start_t',
  'end_t',
  'duration_s',
  'duration_human',
  'cwd',
  'cmd',
  'rc',
  'output_bytes',
  'output_snippet',
] as const;
const SNIPPET_BYTES = 200;

export function humanDuration(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(3)}s`;
  if (seconds >= 0.001) return `${(seconds * 1000).toFixed(0)}ms`;
  return `${(seconds * 1e6).toFixed(0)}µs`;
}

interface Tally {
  bytes: number;
  snippet: string;
  snippetBytes: number;
}

/** Output bytes and snippet per command, walking the stream with a stack of running commands. */
function tallyOutput(session: Session): { tallies: Map<CommandRecord, Tally>; lastOutput: number } {
  const tallies = new Map<CommandRecord, Tally>();
  const running: Tally[] = [];
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let lastOutput = 0;
  for (const item of timeline(session.events, session.commands)) {
    if (item.kind === 'command-start') {
      const tally = { bytes: 0, snippet: '', snippetBytes: 0 };
      tallies.set(item.command, tally);
      running.push(tally);
    } else if (item.kind === 'command-end') {
      running.pop();
    } else if (item.event.kind === 'output') {
      lastOutput = item.event.t;
      const top = running[running.length - 1];
      if (!top) continue;
      top.bytes += item.event.data.length;
      if (top.snippetBytes < SNIPPET_BYTES) {
        const piece = decoder.decode(item.event.data.subarray(0, SNIPPET_BYTES - top.snippetBytes));
        top.snippet += piece;
        top.snippetBytes += encoder.encode(piece).length;
      }
    }
  }
  return { tallies, lastOutput };
}

/** One summary per command, in the order they started. */
export function commandSummaries(session: Session): CommandSummary[] {
  const { tallies, lastOutput } = tallyOutput(session);
  const created = session.info.createdAt === null ? null : parseRfc3339(session.info.createdAt);
  const ordered = [...session.commands].sort(
    (a, b) => a.outputStart - b.outputStart || a.start - b.start,
  );
  return ordered.map((command) => {
    const start = command.start;
    const end = command.end ?? (lastOutput > start ? lastOutput : start + 0.001);
    const duration = end >= start ? end - start : 0;
    const tally = tallies.get(command) ?? { bytes: 0, snippet: '' };
    return {
      start_iso: formatIsoOffset(
        created ? addSeconds(created, start) : instantFromUnixSeconds(start),
      ),
      start_t: start,
      end_t: end,
      duration_s: duration,
      duration_human: humanDuration(duration),
      cwd: command.cwd,
      cmd: command.line,
      rc: command.exitCode,
      output_bytes: tally.bytes,
      output_snippet: tally.snippet.replace(/\n/g, '\\n'),
    };
  });
}

/** A CSV field, quoted when it holds a quote, comma or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(summaries: readonly CommandSummary[]): string {
  const rows = [SUMMARY_COLUMNS.join(',')];
  for (const s of summaries) {
    const fields = [
      s.start_iso,
      s.start_t.toFixed(6),
      s.end_t.toFixed(6),
      s.duration_s.toFixed(6),
      s.duration_human,
      s.cwd ?? '',
      s.cmd ?? '',
      s.rc === null ? '' : String(s.rc),
      String(s.output_bytes),
      s.output_snippet,
    ];
    rows.push(fields.map(csvField).join(','));
  }
  return `${rows.join('\n')}\n`;
}

const FLOAT_FIELDS = new Set<string>(['start_t', 'end_t', 'duration_s']);

/** The array pretty-printed as the original prints it (two-space indent, floats as floats). */
export function toJson(summaries: readonly CommandSummary[]): string {
  if (summaries.length === 0) return '[]';
  const objects = summaries.map((s) => {
    const fields = SUMMARY_COLUMNS.map((key) => {
      const value = s[key];
      const text =
        typeof value === 'number' && FLOAT_FIELDS.has(key)
          ? formatFloat(value)
          : JSON.stringify(value);
      return `    ${JSON.stringify(key)}: ${text}`;
    });
    return `  {\n${fields.join(',\n')}\n  }`;
  });
  return `[\n${objects.join(',\n')}\n]`;
}
