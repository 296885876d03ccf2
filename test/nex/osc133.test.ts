import { describe, expect, it } from 'vitest';
import { extractCommands } from '../../src/nex/osc133';
import { C, D, enc, input, output, PROMPT, shellSession } from './sessions';

describe('OSC 133 command extraction', () => {
  it('finds commands, their lines, exit codes and output ranges', () => {
    const session = shellSession();
    const commands = extractCommands(session.events, { defaultCwd: '/' });
    expect(commands.map((c) => [c.line, c.exitCode, c.start, c.end, c.cwd])).toEqual([
      ['echo hi', 0, 0.6, 0.75, '/'],
      ['nope', 127, 1.5, 1.5, '/'],
    ]);
    const all = session.events.flatMap((e) => (e.kind === 'output' ? [...e.data] : []));
    const text = (c: (typeof commands)[number]) =>
      new TextDecoder().decode(Uint8Array.from(all.slice(c.outputStart, c.outputEnd!)));
    expect(text(commands[0]!)).toBe('hi\r\n');
    expect(text(commands[1]!)).toBe('nope: command not found\r\n');
  });

  it('follows marks cut between chunks, ST terminators and OSC 7 directories', () => {
    const stream = `${PROMPT}ls\r\n\x1b]133;C\x1b\\x\r\n\x1b]133;D;2\x1b\\\x1b]7;file://host/home/a%20b\x07${PROMPT}pwd\r\n${C}`;
    const events = [...stream].map((ch, i) => output(i / 100, ch));
    const commands = extractCommands(events, { defaultCwd: '/' });
    expect(commands.map((c) => [c.line, c.exitCode, c.cwd, c.end === null])).toEqual([
      ['ls', 2, '/', false],
      ['pwd', null, '/home/a b', true],
    ]);
  });

  it('reconstructs the line from the echo of line editing (backspace, cursor moves, history redraw)', () => {
    // typed "ech", Backspace, "ho hi", Left ×2, "X", then history replaced the line with "uptime"
    const echo = 'ech\b \bho hi\x1b[D\x1b[DXhi\x1b[D\x1b[D\x1b[6Duptime\x1b[K';
    const commands = extractCommands([output(0, `${PROMPT}${echo}\r\n${C}${D(0)}`)]);
    expect(commands[0]!.line).toBe('uptime');
    const edited = extractCommands([
      output(0, `${PROMPT}echo hi\x1b[D\x1b[DXhi\x1b[D\x1b[D\r\n${C}${D(0)}`),
    ]);
    expect(edited[0]!.line).toBe('echo Xhi');
  });

  it('ends a command left open by a new prompt, and ignores an empty line and Ctrl-C', () => {
    const stream = `${PROMPT}\r\n${PROMPT}ab^C\r\n${PROMPT}run\r\n${C}out${PROMPT}`;
    const commands = extractCommands([output(0, stream), output(1, 'late')]);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ line: 'run', exitCode: null, end: 0 });
  });

  it('survives garbage: unterminated and huge OSC strings', () => {
    const junk = enc(`\x1b]133;${'x'.repeat(100_000)}`);
    expect(extractCommands([{ kind: 'output', t: 0, data: junk }])).toEqual([]);
  });

  it('takes the line from the keys the reader typed, not from background output after the prompt', () => {
    // A program in the background prints between the prompt and the reader's keys, and between keys.
    const events = [
      output(0, PROMPT),
      output(0.1, 'spin A: round 1\r\n'),
      input(0.2, 'ps'),
      output(0.2, 'ps'),
      output(0.3, 'spin A: round 2\r\n'),
      input(0.4, 'x\x7f -e\r'),
      output(0.4, 'x\b \b -e\r\n'),
      output(0.5, `${C}PID\r\n${D(0)}`),
    ];
    expect(extractCommands(events).map((c) => c.line)).toEqual(['ps -e']);
  });

  it('edits the typed line with arrows, Home, End, Delete and Ctrl-U', () => {
    const keys = 'echo hi\x1b[D\x1b[DX\x1b[Ha\x1b[3~\x1b[F!\x15uptime -p\r';
    const events = [output(0, PROMPT), input(0.1, keys), output(0.2, `\r\n${C}${D(0)}`)];
    expect(extractCommands(events)[0]!.line).toBe('uptime -p');
    const moved = [output(0, PROMPT), input(0.1, 'echo hi\x1b[D\x1b[DX\r'), output(0.2, C)];
    expect(extractCommands(moved)[0]!.line).toBe('echo Xhi');
  });

  it('falls back to the echo where the keys do not say what the line became (history, completion)', () => {
    const events = [
      output(0, PROMPT),
      input(0.1, '\x1b[A\r'),
      output(0.1, 'uptime\r\n'),
      output(0.2, `${C}${D(0)}`),
    ];
    expect(extractCommands(events)[0]!.line).toBe('uptime');
  });
});
