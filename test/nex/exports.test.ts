import { describe, expect, it } from 'vitest';
import {
  commandSummaries,
  humanDuration,
  SUMMARY_COLUMNS,
  toCsv,
  toJson,
} from '../../src/nex/exports';
import { extractCommands } from '../../src/nex/osc133';
import type { Session } from '../../src/nex/session';
import { command, output, shellSession } from './sessions';

describe('CSV and JSON exports', () => {
  const session = shellSession();
  const summaries = commandSummaries({
    ...session,
    commands: extractCommands(session.events, { defaultCwd: '/' }),
  });

  it('summarise each command as the original does', () => {
    expect(summaries).toEqual([
      {
        start_iso: '2026-01-01T09:00:00.600+00:00',
        start_t: 0.6,
        end_t: 0.75,
        duration_s: 0.15000000000000002,
        duration_human: '150ms',
        cwd: '/',
        cmd: 'echo hi',
        rc: 0,
        output_bytes: 4,
        output_snippet: 'hi\r\\n',
      },
      {
        start_iso: '2026-01-01T09:00:01.500+00:00',
        start_t: 1.5,
        end_t: 1.5,
        duration_s: 0,
        duration_human: '0µs',
        cwd: '/',
        cmd: 'nope',
        rc: 127,
        output_bytes: 25,
        output_snippet: 'nope: command not found\r\\n',
      },
    ]);
  });

  it('CSV: the original columns in order, six decimals, quoting', () => {
    const csv = toCsv(summaries).split('\n');
    expect(csv[0]).toBe(
      'start_iso,start_t,end_t,duration_s,duration_human,cwd,cmd,rc,output_bytes,output_snippet',
    );
    expect(csv[1]).toBe(
      '2026-01-01T09:00:00.600+00:00,0.600000,0.750000,0.150000,150ms,/,echo hi,0,4,"hi\r\\n"',
    );
    const tricky = toCsv([
      { ...summaries[0]!, cmd: 'echo "a, b"', rc: null, output_snippet: 'plain' },
    ]).split('\n')[1];
    expect(tricky).toBe(
      '2026-01-01T09:00:00.600+00:00,0.600000,0.750000,0.150000,150ms,/,"echo ""a, b""",,4,plain',
    );
  });

  it('JSON: a pretty array of objects with the same fields', () => {
    const json = toJson(summaries);
    expect(JSON.parse(json)).toEqual(summaries);
    expect(Object.keys(JSON.parse(json)[0])).toEqual([...SUMMARY_COLUMNS]);
    expect(json).toContain('\n    "start_t": 0.6,\n');
    expect(json).toContain('\n    "duration_s": 0.0,\n');
    expect(toJson([])).toBe('[]');
  });

  it('human durations', () => {
    expect([1.2344, 1, 0.012, 0.00085, 0.0009996, 0].map(humanDuration)).toEqual([
      '1.234s',
      '1.000s',
      '12ms',
      '850µs',
      '1000µs',
      '0µs',
    ]);
  });

  it('commands without an end end at the last output (or 1 ms after their start)', () => {
    const s: Session = {
      ...shellSession(),
      events: [output(0, 'aaaa'), output(3, 'bb')],
      commands: [
        command({ start: 1, outputStart: 2, line: 'sleep' }),
        command({ start: 5, outputStart: 6, line: 'late' }),
      ],
    };
    const [first, second] = commandSummaries(s);
    expect(first).toMatchObject({ end_t: 3, duration_human: '2.000s', rc: null, output_bytes: 4 });
    expect(second).toMatchObject({ end_t: 5.001, output_bytes: 0 });
  });

  it('nested output goes to the innermost running command', () => {
    const s: Session = {
      ...shellSession(),
      events: [output(0, 'outer1-'), output(1, 'inner-'), output(2, 'outer2')],
      commands: [
        command({ start: 0, outputStart: 0, end: 3, outputEnd: 19, exitCode: 0, line: 'outer' }),
        command({ start: 1, outputStart: 7, end: 1.5, outputEnd: 13, exitCode: 3, line: 'inner' }),
      ],
    };
    expect(commandSummaries(s).map((c) => [c.cmd, c.output_bytes, c.output_snippet, c.rc])).toEqual(
      [
        ['outer', 13, 'outer1-outer2', 0],
        ['inner', 6, 'inner-', 3],
      ],
    );
  });

  it("snippets stop at 200 bytes; output before any command is nobody's", () => {
    const s: Session = {
      ...shellSession(),
      events: [output(0, 'x'.repeat(50)), output(1, 'y\n'.repeat(300))],
      commands: [command({ start: 1, outputStart: 50, line: 'spam' })],
    };
    const [summary] = commandSummaries(s);
    expect(summary!.output_bytes).toBe(600);
    expect(summary!.output_snippet).toBe('y\\n'.repeat(100));
  });
});
