/**
 * The Text Editor's document: lines of text, a cursor, a selection, and
 * undo/redo.
 *
 * A selection is the text between an anchor (where Shift was first held)
 * and the cursor; typing replaces it. Undo keeps whole snapshots of the
 * lines, one per edit, at most UNDO_LIMIT: for the files a hobby OS edits
 * this is simpler and no slower than recording inverse operations, and it
 * cannot get an inverse wrong. A run of typed characters is one edit, so one
 * undo takes back a word at a time rather than a letter (as most editors do).
 * `modified` compares against the snapshot taken when the file was last
 * loaded or saved, so undoing back to it clears the marker.
 */

export const UNDO_LIMIT = 200;

export interface Position {
  readonly line: number;
  readonly col: number;
}

interface Snapshot {
  readonly lines: readonly string[];
  readonly cursor: Position;
}

export type Movement = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

export class TextBuffer {
  private lines: string[] = [''];
  private cursorPosition: Position = { line: 0, col: 0 };
  private anchor: Position | null = null;
  private readonly undoStack: Snapshot[] = [];
  private readonly redoStack: Snapshot[] = [];
  private savedLines: readonly string[] = [''];
  /** Whether the last edit was typing, which the next typed character joins. */
  private typing = false;

  constructor(text = '') {
    this.load(text);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(index: number): string {
    return this.lines[index] ?? '';
  }

  get cursor(): Position {
    return this.cursorPosition;
  }

  get modified(): boolean {
    return (
      this.lines.length !== this.savedLines.length ||
      this.lines.some((line, i) => line !== this.savedLines[i])
    );
  }

  /** Replace everything (a file was opened); nothing to undo, not modified. */
  load(text: string): void {
    this.lines = text.split('\n');
    this.cursorPosition = { line: 0, col: 0 };
    this.anchor = null;
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.typing = false;
    this.markSaved();
  }

  markSaved(): void {
    this.savedLines = [...this.lines];
  }

  // ---- selection ----

  /** The selection as (start, end) in document order, or null. */
  selection(): { start: Position; end: Position } | null {
    const a = this.anchor;
    if (!a || comparePositions(a, this.cursorPosition) === 0) return null;
    return comparePositions(a, this.cursorPosition) < 0
      ? { start: a, end: this.cursorPosition }
      : { start: this.cursorPosition, end: a };
  }

  selectedText(): string {
    const range = this.selection();
    if (!range) return '';
    const { start, end } = range;
    if (start.line === end.line) return this.line(start.line).slice(start.col, end.col);
    return [
      this.line(start.line).slice(start.col),
      ...this.lines.slice(start.line + 1, end.line),
      this.line(end.line).slice(0, end.col),
    ].join('\n');
  }

  selectAll(): void {
    this.anchor = { line: 0, col: 0 };
    const last = this.lines.length - 1;
    this.cursorPosition = { line: last, col: this.line(last).length };
  }

  // ---- moving ----

  /** Move the cursor; with `extend` (Shift held) the selection grows, else it is dropped. */
  move(movement: Movement, extend = false): void {
    if (extend && !this.anchor) this.anchor = this.cursorPosition;
    if (!extend) this.anchor = null;
    this.typing = false;
    this.cursorPosition = this.moved(this.cursorPosition, movement);
  }

  private moved({ line, col }: Position, movement: Movement): Position {
    const length = (l: number) => this.line(l).length;
    switch (movement) {
      case 'left':
        if (col > 0) return { line, col: col - 1 };
        return line > 0 ? { line: line - 1, col: length(line - 1) } : { line, col };
      case 'right':
        if (col < length(line)) return { line, col: col + 1 };
        return line < this.lines.length - 1 ? { line: line + 1, col: 0 } : { line, col };
      case 'up':
        return line > 0
          ? { line: line - 1, col: Math.min(col, length(line - 1)) }
          : { line, col: 0 };
      case 'down':
        return line < this.lines.length - 1
          ? { line: line + 1, col: Math.min(col, length(line + 1)) }
          : { line, col: length(line) };
      case 'home':
        return { line, col: 0 };
      case 'end':
        return { line, col: length(line) };
    }
  }

  /** Put the cursor at (line, col), clamped to the text (a mouse click). */
  moveTo(line: number, col: number, extend = false): void {
    if (extend && !this.anchor) this.anchor = this.cursorPosition;
    if (!extend) this.anchor = null;
    this.typing = false;
    const clampedLine = Math.max(0, Math.min(this.lines.length - 1, line));
    this.cursorPosition = {
      line: clampedLine,
      col: Math.max(0, Math.min(this.line(clampedLine).length, col)),
    };
  }

  // ---- editing ----

  /** Type `text` (may hold newlines) at the cursor, replacing the selection. */
  insert(text: string): void {
    const joinsTyping = this.typing && !this.selection() && !text.includes('\n');
    if (!joinsTyping) this.remember();
    this.deleteSelection();
    const { line, col } = this.cursorPosition;
    const current = this.line(line);
    const pieces = (current.slice(0, col) + text + current.slice(col)).split('\n');
    this.lines.splice(line, 1, ...pieces);
    const lastPiece = pieces.length - 1;
    const insertedLines = text.split('\n');
    this.cursorPosition = {
      line: line + lastPiece,
      col: lastPiece === 0 ? col + text.length : insertedLines[insertedLines.length - 1]!.length,
    };
    this.typing = !text.includes('\n');
  }

  /** Backspace: the selection, or the character before the cursor (joining lines at column 0). */
  backspace(): void {
    if (!this.selection() && this.cursorPosition.line === 0 && this.cursorPosition.col === 0)
      return;
    this.remember();
    if (!this.deleteSelection()) {
      this.anchor = this.moved(this.cursorPosition, 'left');
      this.deleteSelection();
    }
  }

  /** Delete: the selection, or the character after the cursor. */
  deleteForward(): void {
    const end = this.moved(this.cursorPosition, 'right');
    if (!this.selection() && comparePositions(end, this.cursorPosition) === 0) return;
    this.remember();
    if (!this.deleteSelection()) {
      this.anchor = end;
      this.deleteSelection();
    }
  }

  /** Remove the selected text; returns whether there was any. */
  private deleteSelection(): boolean {
    const range = this.selection();
    this.anchor = null;
    if (!range) return false;
    const { start, end } = range;
    const joined = this.line(start.line).slice(0, start.col) + this.line(end.line).slice(end.col);
    this.lines.splice(start.line, end.line - start.line + 1, joined);
    this.cursorPosition = start;
    return true;
  }

  // ---- undo ----

  private snapshot(): Snapshot {
    return { lines: [...this.lines], cursor: this.cursorPosition };
  }

  /** Save the state before an edit, for undo; a new edit forgets what could be redone. */
  private remember(): void {
    this.undoStack.push(this.snapshot());
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack.length = 0;
    this.typing = false;
  }

  undo(): boolean {
    return this.swap(this.undoStack, this.redoStack);
  }

  redo(): boolean {
    return this.swap(this.redoStack, this.undoStack);
  }

  private swap(from: Snapshot[], to: Snapshot[]): boolean {
    const state = from.pop();
    if (!state) return false;
    to.push(this.snapshot());
    this.lines = [...state.lines];
    this.cursorPosition = state.cursor;
    this.anchor = null;
    this.typing = false;
    return true;
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.col - b.col;
}
