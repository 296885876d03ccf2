import { describe, expect, it } from 'vitest';
import { LineEditor, type EditorEvent } from '../../../src/kernel/shell/line-editor';

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';
const HOME = '\x1b[H';
const END = '\x1b[F';

function type(editor: LineEditor, text: string): EditorEvent[] {
  return [...text].map((c) => editor.feed(c.charCodeAt(0)));
}
/** Type `text` and return the line submitted last. */
function enter(editor: LineEditor, text: string): string | undefined {
  const line = type(editor, text)
    .filter((e) => e.kind === 'line')
    .pop();
  return line?.kind === 'line' ? line.line : undefined;
}
function echoed(events: EditorEvent[]): string {
  return events.map((e) => (e.kind === 'echo' ? e.text : '')).join('');
}

describe('the shell line editor', () => {
  it('echoes printable characters and returns the line on Enter', () => {
    const editor = new LineEditor();
    expect(echoed(type(editor, 'ls'))).toBe('ls');
    expect(editor.feed(0x0d)).toEqual({ kind: 'line', line: 'ls' });
    expect(editor.line).toBe('');
  });

  it('accepts CR, LF and CR LF as one Enter each', () => {
    const editor = new LineEditor();
    const lines = type(editor, 'a\rb\nc\r\n').filter((e) => e.kind === 'line');
    expect(lines).toEqual([
      { kind: 'line', line: 'a' },
      { kind: 'line', line: 'b' },
      { kind: 'line', line: 'c' },
    ]);
  });

  it('deletes with DEL and BS, not past the start', () => {
    const editor = new LineEditor();
    type(editor, 'abc\x7f\x08\x7f\x7fx');
    expect(editor.line).toBe('x');
  });

  it('inserts and deletes in the middle after Left/Right', () => {
    const editor = new LineEditor();
    expect(enter(editor, `eho${LEFT}${LEFT}c${RIGHT}l${RIGHT}${RIGHT}!\r`)).toBe('echlo!');
    expect(enter(editor, `abcd${LEFT}${LEFT}\x7f\r`)).toBe('acd');
  });

  it('redraws the rest of the line when inserting in the middle', () => {
    const editor = new LineEditor();
    type(editor, `ac${LEFT}`);
    expect(echoed(type(editor, 'b'))).toBe('bc\x1b[1D');
  });

  it('moves to the start and end with Home/End in their common encodings', () => {
    const editor = new LineEditor();
    expect(enter(editor, `bc${HOME}a${END}d\r`)).toBe('abcd');
    expect(enter(editor, 'yz\x1b[1~x\x1b[4~!\r')).toBe('xyz!');
    expect(enter(editor, 'yz\x1bOHx\x1bOF!\r')).toBe('xyz!');
    expect(enter(editor, 'bc\x01a\x05d\r')).toBe('abcd');
  });

  it('deletes under the cursor with Delete (ESC [ 3 ~)', () => {
    const editor = new LineEditor();
    expect(enter(editor, `abc${HOME}\x1b[3~\r`)).toBe('bc');
  });

  it('recalls history with Up/Down and restores the draft', () => {
    const editor = new LineEditor();
    enter(editor, 'first\r');
    enter(editor, 'second\r');
    type(editor, 'dra');
    type(editor, UP);
    expect(editor.line).toBe('second');
    type(editor, UP + UP + UP);
    expect(editor.line).toBe('first');
    type(editor, DOWN);
    expect(editor.line).toBe('second');
    type(editor, DOWN);
    expect(editor.line).toBe('dra');
    expect(enter(editor, `${UP}${UP}\r`)).toBe('first');
  });

  it('keeps blank lines and immediate repeats out of history', () => {
    const editor = new LineEditor();
    enter(editor, 'a\r\r   \ra\rb\r');
    expect(editor.historyEntries()).toEqual(['a', 'b']);
  });

  it('replaces the shown line when recalling history', () => {
    const editor = new LineEditor();
    enter(editor, 'echo hi\r');
    type(editor, 'xy');
    expect(echoed(type(editor, UP))).toBe('\x1b[2Decho hi\x1b[K');
  });

  it('cancels the line with Ctrl-C and asks for a clear screen with Ctrl-L', () => {
    const editor = new LineEditor();
    type(editor, 'abc');
    expect(editor.feed(0x03)).toEqual({ kind: 'cancel' });
    expect(editor.line).toBe('');
    type(editor, `xyz${LEFT}`);
    expect(editor.feed(0x0c)).toEqual({ kind: 'clear-screen' });
    expect(editor.redraw()).toBe('xyz\x1b[1D');
  });

  it('ignores control bytes and unknown escape sequences', () => {
    const editor = new LineEditor();
    expect(enter(editor, 'a\x02\x1b[5~\x1b[1;5Cb\r')).toBe('ab');
  });
});
