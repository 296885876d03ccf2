/** Hand-made sessions for the nex tests: a tiny shell transcript with OSC 133 marks. */
import type { CommandRecord, Session, SessionEvent } from '../../src/nex/session';

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export const A = '\x1b]133;A\x07';
export const B = '\x1b]133;B\x07';
export const C = '\x1b]133;C\x07';
export const D = (status: number): string => `\x1b]133;D;${status}\x07`;
export const PROMPT = `${A}$ ${B}`;

export const output = (t: number, text: string): SessionEvent => ({
  kind: 'output',
  t,
  data: enc(text),
});
export const input = (t: number, text: string): SessionEvent => ({
  kind: 'input',
  t,
  data: enc(text),
});

/** Two commands: `echo hi` (0) and `nope` (127), typed and echoed, with a marker and a resize. */
export function shellSession(): Session {
  const events: SessionEvent[] = [
    output(0, `boot\r\n${PROMPT}`),
    input(0.5, 'echo hi\r'),
    output(0.5, 'echo hi'),
    output(0.6, `\r\n${C}hi\r\n`),
    output(0.75, `${D(0)}${PROMPT}`),
    { kind: 'marker', t: 1, label: 'second command' },
    { kind: 'resize', t: 1.25, cols: 100, rows: 30 },
    input(1.5, 'nope\r'),
    output(1.5, `nope\r\n${C}nope: command not found\r\n${D(127)}${PROMPT}`),
    { kind: 'exit', t: 2, status: 0 },
  ];
  return {
    info: {
      version: '1.0',
      createdAt: '2026-01-01T09:00:00Z',
      recorderVersion: 'test',
      durationSeconds: 2,
      cols: 80,
      rows: 24,
      title: 'Two commands',
      chapter: '02-shell',
    },
    events,
    commands: [],
  };
}

export function command(
  partial: Partial<CommandRecord> & Pick<CommandRecord, 'start' | 'outputStart'>,
): CommandRecord {
  return { end: null, exitCode: null, cwd: '/', line: '', outputEnd: null, ...partial };
}
