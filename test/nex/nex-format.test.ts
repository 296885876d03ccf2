import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../src/nex/base64';
import { readNex, writeNex } from '../../src/nex/nex-format';
import { extractCommands } from '../../src/nex/osc133';
import { coalesceOutput, type Session } from '../../src/nex/session';
import { dec, enc, shellSession } from './sessions';

function withCommands(session: Session): Session {
  return { ...session, commands: extractCommands(session.events, { defaultCwd: '/' }) };
}

function entries(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]),
  );
}

describe('base64', () => {
  it('round-trips every length and rejects bad characters', () => {
    for (let n = 0; n < 10; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 200) & 255);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
    expect(() => decodeBase64('aGk*')).toThrow(/invalid base64 character "\*" at offset 3/);
    expect(() => decodeBase64('aGkha')).toThrow(/truncated/);
  });
});

describe('.nex files', () => {
  it('are a ZIP of manifest.json then session.json in the original layout', () => {
    const bytes = writeNex(withCommands(shellSession()));
    const files = entries(bytes);
    expect(Object.keys(files)).toEqual(['manifest.json', 'session.json']);
    expect(JSON.parse(files['manifest.json']!)).toEqual({
      version: '1.0',
      created_at: '2026-01-01T09:00:00Z',
      recorder_version: 'test',
      duration_seconds: 2,
      generator: 'cottonos-book',
      title: 'Two commands',
      chapter: '02-shell',
      terminal: { cols: 80, rows: 24 },
    });
    expect(files['manifest.json']).toMatch(
      /^\{"version":"1.0","created_at":"2026-01-01T09:00:00Z","recorder_version":"test","duration_seconds":2.0,/,
    );
    const lines = files['session.json']!.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `{"t":0.0,"data":"${encodeBase64(enc('boot\r\n\x1b]133;A\x07$ \x1b]133;B\x07'))}"}`,
    );
    // The original's command events: sorted keys, Unix-time t, placed where the C and D marks are.
    const start = lines.findIndex((l) => l.includes('"phase":"start"'));
    expect(lines[start]).toBe(
      `{"cmd_b64":"${encodeBase64(enc('echo hi'))}","cwd":"/","phase":"start","t":1767258000.6,"type":"command"}`,
    );
    expect(dec(decodeBase64(JSON.parse(lines[start - 1]!).data))).toMatch(/\x1b\]133;C\x07$/);
    expect(dec(decodeBase64(JSON.parse(lines[start + 1]!).data))).toBe('hi\r\n');
    expect(lines[start + 2]).toBe('{"phase":"end","rc":0,"t":1767258000.75,"type":"command"}');
    // Extensions carry a type and no "data" key, so the original skips them.
    for (const line of lines.filter((l) => /"type":"(input|resize|marker|exit)"/.test(l)))
      expect(JSON.parse(line)).not.toHaveProperty('data');
  });

  it('read back as written: events, commands, manifest', () => {
    const session = withCommands(shellSession());
    const back = readNex(writeNex(session));
    expect(back.info).toMatchObject({
      createdAt: '2026-01-01T09:00:00Z',
      title: 'Two commands',
      chapter: '02-shell',
      cols: 80,
      rows: 24,
    });
    expect(coalesceOutput(back.events)).toEqual(coalesceOutput(session.events));
    expect(back.events.filter((e) => e.kind !== 'output')).toEqual(
      session.events.filter((e) => e.kind !== 'output'),
    );
    expect(back.commands).toEqual(session.commands);
  });

  it('are byte-identical for the same session, with fixed ZIP timestamps', () => {
    const a = writeNex(withCommands(shellSession()));
    const b = writeNex(withCommands(shellSession()));
    expect(a).toEqual(b);
    const view = new DataView(a.buffer, a.byteOffset);
    const dosDate = view.getUint16(12, true);
    expect([(dosDate >> 9) + 1980, (dosDate >> 5) & 15, dosDate & 31]).toEqual([2026, 1, 1]);
    expect(view.getUint16(10, true) >> 11).toBe(9);
  });

  it('can write command times relative, and reads both kinds', () => {
    const session = withCommands(shellSession());
    const bytes = writeNex(session, { commandTimes: 'relative' });
    expect(entries(bytes)['session.json']).toContain('"phase":"start","t":0.6,');
    expect(readNex(bytes).commands).toEqual(session.commands);
  });

  it("read the original tool's files: created_at at the end, Unix command times, stray ends, unknown lines", () => {
    const line = (o: object) => JSON.stringify(o);
    const startEpoch = 1767258000; // created_at 10.5 s later, when the original saved the file
    const session = [
      line({ t: 0.25, data: encodeBase64(enc('$ ')) }),
      line({
        type: 'command',
        phase: 'start',
        t: startEpoch + 1.5,
        cwd: '/home/me',
        cmd_b64: encodeBase64(enc('ls -l')),
      }),
      line({ t: 1.75, data: encodeBase64(enc('file\n')) }),
      line({ type: 'command', phase: 'end', t: startEpoch + 2, rc: 0 }),
      '',
      line({ type: 'command', phase: 'end', t: startEpoch + 3, rc: 1 }),
      line({ type: 'something-new', t: 4 }),
      line({ t: 10.5, data: encodeBase64(enc('exit\n')) }),
    ].join('\n');
    const manifest =
      '{"version":"1.0","created_at":"2026-01-01T09:00:10.500Z","recorder_version":"0.2","duration_seconds":10.5}';
    const bytes = zipSync({ 'manifest.json': strToU8(manifest), 'session.json': strToU8(session) });
    const read = readNex(bytes);
    expect(read.info.createdAt).toBe('2026-01-01T09:00:00Z');
    expect(read.commands).toEqual([
      {
        start: 1.5,
        end: 2,
        exitCode: 0,
        cwd: '/home/me',
        line: 'ls -l',
        outputStart: 2,
        outputEnd: 7,
      },
      {
        start: 2.999,
        end: 3,
        exitCode: 1,
        cwd: null,
        line: null,
        unmatchedEnd: true,
        outputStart: 7,
        outputEnd: 7,
      },
    ]);
    expect(
      dec(new Uint8Array(read.events.flatMap((e) => (e.kind === 'output' ? [...e.data] : [])))),
    ).toBe('$ file\nexit\n');
  });

  it('take commands from OSC 133 marks when a file has no command events', () => {
    const session = shellSession();
    const read = readNex(writeNex(session), { defaultCwd: '/' });
    expect(read.commands.map((c) => [c.line, c.exitCode])).toEqual([
      ['echo hi', 0],
      ['nope', 127],
    ]);
  });
});
