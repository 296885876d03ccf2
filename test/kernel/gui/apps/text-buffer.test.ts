import { describe, expect, it } from 'vitest';
import { TextBuffer } from '../../../../src/kernel/gui/apps/text-buffer';

function type(buffer: TextBuffer, text: string): void {
  for (const char of text) buffer.insert(char);
}

describe("the text editor's buffer", () => {
  it('inserts, splits and joins lines, and knows it is modified', () => {
    const buffer = new TextBuffer('ab');
    expect(buffer.modified).toBe(false);
    buffer.move('right');
    buffer.insert('\n');
    expect(buffer.text).toBe('a\nb');
    buffer.backspace();
    expect(buffer.text).toBe('ab');
    expect(buffer.modified).toBe(false);
    buffer.deleteForward();
    expect(buffer.text).toBe('a');
    expect(buffer.modified).toBe(true);
  });

  it('selects with shift, replaces the selection when typing', () => {
    const buffer = new TextBuffer('hello world');
    buffer.move('end');
    for (let i = 0; i < 5; i++) buffer.move('left', true);
    expect(buffer.selectedText()).toBe('world');
    type(buffer, 'there');
    expect(buffer.text).toBe('hello there');
    buffer.selectAll();
    buffer.backspace();
    expect(buffer.text).toBe('');
  });

  it('undoes a run of typing as one edit, and redoes it', () => {
    const buffer = new TextBuffer();
    type(buffer, 'one');
    buffer.insert('\n');
    type(buffer, 'two');
    expect(buffer.undo()).toBe(true);
    expect(buffer.text).toBe('one\n');
    buffer.undo();
    buffer.undo();
    expect(buffer.text).toBe('');
    expect(buffer.undo()).toBe(false);
    buffer.redo();
    buffer.redo();
    buffer.redo();
    expect(buffer.text).toBe('one\ntwo');
    type(buffer, '!');
    expect(buffer.redo()).toBe(false);
  });

  it('moves across line ends and clamps columns to shorter lines', () => {
    const buffer = new TextBuffer('long line\nab');
    buffer.move('end');
    buffer.move('down');
    expect(buffer.cursor).toEqual({ line: 1, col: 2 });
    buffer.move('right');
    expect(buffer.cursor).toEqual({ line: 1, col: 2 });
    buffer.move('home');
    buffer.move('left');
    expect(buffer.cursor).toEqual({ line: 0, col: 9 });
  });
});
