import { describe, expect, it } from 'vitest';
import { parseAsciicast, readAsciicast, writeAsciicast } from '../../src/nex/asciicast';
import { readNex, writeNex } from '../../src/nex/nex-format';
import { extractCommands } from '../../src/nex/osc133';
import { coalesceOutput, type Session } from '../../src/nex/session';
import { enc, shellSession } from './sessions';

const withCommands = (s: Session): Session => ({
  ...s,
  commands: extractCommands(s.events, { defaultCwd: '/' }),
});

describe('asciicast', () => {
  it('v2: header and absolute times', () => {
    const text = writeAsciicast(shellSession(), 2);
    const lines = text.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      version: 2,
      width: 80,
      height: 24,
      timestamp: 1767258000,
      title: 'Two commands',
      env: { TERM: 'xterm-256color' },
    });
    expect(lines[2]).toBe('[0.5, "i", "echo hi\\r"]');
    expect(lines).toContain('[1.25, "r", "100x30"]');
    expect(lines).toContain('[1, "m", "second command"]');
    expect(text).not.toContain('"x"'); // v2 has no exit events
  });

  it('v3: term header, intervals and exit events', () => {
    const lines = writeAsciicast(shellSession(), 3).trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      version: 3,
      term: { cols: 80, rows: 24, type: 'xterm-256color' },
      timestamp: 1767258000,
      title: 'Two commands',
    });
    expect(lines[4]).toBe('[0.1, "o", "\\r\\n\\u001b]133;C\\u0007hi\\r\\n"]');
    expect(lines[lines.length - 1]).toBe('[0.5, "x", "0"]');
  });

  for (const version of [2, 3] as const) {
    it(`.nex → .cast v${version} → .nex keeps output bytes, timing, other events and commands`, () => {
      const original = readNex(writeNex(withCommands(shellSession())));
      const cast = readAsciicast(writeAsciicast(original, version), { defaultCwd: '/' });
      const back = readNex(writeNex(cast));
      expect(coalesceOutput(back.events)).toEqual(coalesceOutput(original.events));
      const others = (s: Session) =>
        s.events.filter((e) => e.kind !== 'output' && (version === 3 || e.kind !== 'exit'));
      expect(others(back)).toEqual(others(original));
      expect(back.commands).toEqual(original.commands);
      expect(back.info).toMatchObject({
        createdAt: '2026-01-01T09:00:00Z',
        cols: 80,
        rows: 24,
        title: 'Two commands',
      });
    });
  }

  it('keeps microsecond times exact over many v3 intervals', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'output' as const,
      t: (i * 1234567) / 1e6,
      data: enc('x'),
    }));
    const session: Session = { ...shellSession(), events };
    expect(readAsciicast(writeAsciicast(session, 3)).events.map((e) => e.t)).toEqual(
      events.map((e) => e.t),
    );
  });

  it('moves a UTF-8 character cut between chunks whole into the later event', () => {
    const euro = enc('€');
    const session: Session = {
      ...shellSession(),
      events: [
        { kind: 'output', t: 0, data: euro.subarray(0, 1) },
        { kind: 'output', t: 1, data: euro.subarray(1) },
      ],
    };
    const back = readAsciicast(writeAsciicast(session, 2));
    expect(back.events).toEqual([{ kind: 'output', t: 1, data: euro }]);
  });

  it('reads v3 comments and skips unknown codes, as the spec asks', () => {
    const text =
      '{"version":3,"term":{"cols":90,"rows":20}}\n# a comment\n[0.5,"o","a"]\n[0.25,"z","?"]\n[0.25,"o","b"]\n';
    const s = readAsciicast(text);
    expect(s.info).toMatchObject({ cols: 90, rows: 20 });
    expect(s.events.map((e) => e.t)).toEqual([0.5, 1]);
  });

  it('reports the damaged line and keeps the events before it', () => {
    const text = '{"version":2,"width":80,"height":24}\n[0.5,"o","a"]\n[0.25,"o","b"]\n';
    const { value, error } = parseAsciicast(text);
    expect(error?.message).toBe(
      "asciicast line 3: time 0.25 s is before the previous event's 0.5 s (events must be in time order)",
    );
    expect(error?.line).toBe(3);
    expect(value.events).toHaveLength(1);
    expect(() => readAsciicast(text)).toThrow(/line 3/);
    expect(parseAsciicast('{"version":1}').error?.message).toMatch(
      /unsupported asciicast version 1/,
    );
    expect(parseAsciicast('{"version":3,"term":{"cols":"80","rows":24}}').error?.message).toMatch(
      /term.cols" must be a positive integer, found "80"/,
    );
    expect(parseAsciicast('').error?.message).toMatch(/no asciicast header/);
    expect(
      parseAsciicast('{"version":2,"width":80,"height":24}\n[1,"r","big"]').error?.message,
    ).toMatch(/line 2: a resize event needs "COLSxROWS"/);
  });
});
