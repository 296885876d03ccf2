/**
 * Recordings of the real machine: a script run on the headless Cotton PC,
 * commands and exit codes from the kernel shell's own OSC 133 marks, and the
 * same script giving the same .nex file, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { commandSummaries } from '../../src/nex/exports';
import { readNex, writeNex } from '../../src/nex/nex-format';
import { parseScript, ScriptError } from '../../src/nex/script';
import { recordScript, splitKeys } from '../../src/runtime/node/script-runner';
import { bootFromRepo } from '../../src/runtime/node/node-host';

const SCRIPT = `# a short session
title Exit codes
chapter 02-shell
size 100x30
prompt
typing 40ms
run echo hello
marker unknown command next
run nosuchcommand
# Backspaces, then history: Up twice recalls "echo hello"
type hist\\x7f\\x7f\\x7f\\x7f\\e[A\\e[A\\r
prompt
resize 90x25
wait 250ms
`;

describe('recording the real machine', () => {
  const script = parseScript(SCRIPT);
  const session = recordScript(script, bootFromRepo);

  it("finds the commands, their lines and exit codes in the shell's OSC 133 marks", () => {
    expect(session.commands.map((c) => [c.line, c.exitCode, c.cwd])).toEqual([
      ['echo hello', 0, '/'],
      ['nosuchcommand', 127, '/'],
      ['echo hello', 0, '/'],
    ]);
    const [first, second] = commandSummaries(session);
    expect(first).toMatchObject({
      cmd: 'echo hello',
      rc: 0,
      output_bytes: 7,
      output_snippet: 'hello\r\\n',
    });
    expect(second).toMatchObject({
      rc: 127,
      output_snippet: 'nosuchcommand: command not found\r\\n',
    });
    expect(first!.start_iso.startsWith('2026-01-01T09:00:00.')).toBe(true);
  });

  it('times input by the virtual clock, key by key, and keeps markers and resizes', () => {
    const inputs = session.events.filter((e) => e.kind === 'input');
    expect(inputs).toHaveLength(
      'echo hello\r'.length + 'nosuchcommand\r'.length + 'hist'.length + 4 + 2 + 1,
    );
    const gaps = inputs.slice(1, 11).map((e, i) => Math.round((e.t - inputs[i]!.t) * 1000));
    expect(gaps).toEqual(Array(10).fill(40));
    expect(
      session.events.filter((e) => e.kind === 'marker' || e.kind === 'resize').map((e) => e.kind),
    ).toEqual(['marker', 'resize']);
    expect(session.info).toMatchObject({
      createdAt: '2026-01-01T09:00:00Z',
      cols: 100,
      rows: 30,
      title: 'Exit codes',
      chapter: '02-shell',
    });
    const lastOutput = session.events.filter((e) => e.kind === 'output').at(-1)!.t;
    expect(session.info.durationSeconds).toBeCloseTo(lastOutput + 0.25, 6);
  });

  it('lasts as long as its output took to leave the serial line', () => {
    const mem = recordScript(parseScript('prompt\nrun mem\n'), bootFromRepo);
    const [summary] = commandSummaries(mem);
    // Hundreds of bytes, each written to the UART's port after polling its status: about
    // two I/O cycles (2 µs) a byte, so the command's output spans some hundreds of µs.
    expect(summary!.output_bytes).toBeGreaterThan(300);
    expect(summary!.duration_s).toBeGreaterThan(summary!.output_bytes * 1e-6);
    const outputs = mem.events.filter((e) => e.kind === 'output' && e.t >= summary!.start_t);
    expect(new Set(outputs.map((e) => e.t)).size).toBeGreaterThan(1);
  });

  it('gives byte-identical .nex files for the same script, and reads back the same', () => {
    const first = writeNex(session);
    const again = writeNex(recordScript(parseScript(SCRIPT), bootFromRepo));
    expect(again).toEqual(first);
    expect(readNex(first).commands).toEqual(session.commands);
  });

  it('types an escape sequence as one key', () => {
    expect(splitKeys('a\x1b[A\x1b[1;5C\x1bOHé\r')).toEqual([
      'a',
      '\x1b[A',
      '\x1b[1;5C',
      '\x1bOH',
      'é',
      '\r',
    ]);
  });

  it("the rtc setting moves created_at with the machine's clock", () => {
    const s = recordScript(
      parseScript('rtc 2027-06-01T12:00:00Z\nprompt\nrun echo x\n'),
      bootFromRepo,
    );
    expect(s.info.createdAt).toBe('2027-06-01T12:00:00Z');
    expect(commandSummaries(s)[0]!.start_iso.startsWith('2027-06-01T12:00:00.')).toBe(true);
  });

  it('names the script line of a bad step, and of a step that fails on the machine', () => {
    expect(() => parseScript('prompt\nwalk 3s\n')).toThrow(
      new ScriptError(
        "unknown step 'walk' (expected prompt, typing, type, run, wait, marker, resize, power-cut, key, keys, mouse, link, title, chapter, size, rtc or disk)",
        2,
      ),
    );
    expect(() => parseScript('wait soon')).toThrow(
      /script line 1: expected a duration like 250ms or 1.5s, found "soon"/,
    );
    expect(() => recordScript(parseScript('prompt\nprompt 50ms\n'), bootFromRepo)).toThrow(
      /script line 2: prompt: timed out after 50 ms of virtual time/,
    );
  });
});
