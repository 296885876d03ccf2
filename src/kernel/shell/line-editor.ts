/**
 * The shell's line editor: turns the bytes a terminal sends into a line.
 *
 * Models: what readline or a Unix tty in "raw" mode does for a shell. The
 * terminal sends every key as it is pressed: printable characters as
 * themselves, Backspace as DEL (0x7f) or BS (0x08), Enter as CR, and cursor
 * keys as ECMA-48 escape sequences (Left = ESC [ D, Home = ESC [ H or
 * ESC [ 1 ~, …). Nothing appears on the screen unless the editor echoes it,
 * so each key returns the bytes that make the screen match the edited line.
 *
 * This is pure logic with no hardware in it: feed it bytes, get back what to
 * echo and, on Enter, the finished line. That keeps it easy to test.
 */
import { CSI, ERASE_TO_END_OF_LINE, cursorLeft, cursorRight } from '../lib/ansi';

const CTRL_A = 0x01;
const CTRL_C = 0x03;
const CTRL_E = 0x05;
const BS = 0x08;
const LF = 0x0a;
const CTRL_L = 0x0c;
const CR = 0x0d;
const ESC = 0x1b;
const DEL = 0x7f;

/** How many lines Up/Down can go back. */
const HISTORY_SIZE = 100;

/** What the shell has to do after a byte was fed to the editor. */
export type EditorEvent =
  | { readonly kind: 'echo'; readonly text: string } // send `text` to the terminal (may be empty)
  | { readonly kind: 'line'; readonly line: string } // Enter: run `line`
  | { readonly kind: 'cancel' } // Ctrl-C: drop the line, show a fresh prompt
  | { readonly kind: 'clear-screen' }; // Ctrl-L: clear, then prompt and redraw()

type EscapeState = 'none' | 'escape' | 'csi' | 'ss3';

export class LineEditor {
  private text = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Position in history while browsing with Up/Down; history.length = the line being typed. */
  private historyIndex = 0;
  /** The line being typed, kept while browsing history. */
  private draft = '';
  private escape: EscapeState = 'none';
  private escapeParams = '';
  private lastWasCR = false;

  /** The line as edited so far. */
  get line(): string {
    return this.text;
  }

  get cursorPosition(): number {
    return this.cursor;
  }

  /** Lines entered so far, oldest first. */
  historyEntries(): readonly string[] {
    return this.history;
  }

  /** Process one byte from the terminal. */
  feed(byte: number): EditorEvent {
    const afterCR = this.lastWasCR;
    this.lastWasCR = byte === CR;
    if (this.escape !== 'none') return this.feedEscape(byte);
    switch (byte) {
      case CR:
        return this.submit();
      case LF:
        return afterCR ? echo('') : this.submit(); // CR LF is one Enter
      case DEL:
      case BS:
        return this.backspace();
      case CTRL_A:
        return this.home();
      case CTRL_E:
        return this.end();
      case CTRL_C:
        this.reset();
        return { kind: 'cancel' };
      case CTRL_L:
        return { kind: 'clear-screen' };
      case ESC:
        this.escape = 'escape';
        return echo('');
      default:
        return byte >= 0x20 && byte < 0x7f ? this.insert(String.fromCharCode(byte)) : echo('');
    }
  }

  /** What to print after a fresh prompt to show the current line with the cursor in place. */
  redraw(): string {
    return this.text + cursorLeft(this.text.length - this.cursor);
  }

  // ---- escape sequences: ESC [ params final, or ESC O final ----

  private feedEscape(byte: number): EditorEvent {
    const char = String.fromCharCode(byte);
    if (this.escape === 'escape') {
      this.escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : 'none';
      this.escapeParams = '';
      return echo('');
    }
    if (this.escape === 'csi' && byte >= 0x20 && byte < 0x40) {
      this.escapeParams += char; // parameter and intermediate bytes
      return echo('');
    }
    this.escape = 'none';
    return this.key(char, this.escapeParams);
  }

  /** A complete escape sequence with final byte `final` and parameters `params`. */
  private key(final: string, params: string): EditorEvent {
    switch (final) {
      case 'A':
        return this.historyUp();
      case 'B':
        return this.historyDown();
      case 'C':
        return this.right();
      case 'D':
        return this.left();
      case 'H':
        return this.home();
      case 'F':
        return this.end();
      case '~':
        if (params === '1' || params === '7') return this.home();
        if (params === '4' || params === '8') return this.end();
        if (params === '3') return this.deleteAtCursor();
        return echo('');
      default:
        return echo('');
    }
  }

  // ---- editing ----

  private insert(char: string): EditorEvent {
    const after = this.text.slice(this.cursor);
    this.text = this.text.slice(0, this.cursor) + char + after;
    this.cursor++;
    return echo(char + after + cursorLeft(after.length));
  }

  private backspace(): EditorEvent {
    if (this.cursor === 0) return echo('');
    const after = this.text.slice(this.cursor);
    this.text = this.text.slice(0, this.cursor - 1) + after;
    this.cursor--;
    return echo(`\b${after} ${cursorLeft(after.length + 1)}`);
  }

  private deleteAtCursor(): EditorEvent {
    if (this.cursor === this.text.length) return echo('');
    const after = this.text.slice(this.cursor + 1);
    this.text = this.text.slice(0, this.cursor) + after;
    return echo(`${after} ${cursorLeft(after.length + 1)}`);
  }

  private left(): EditorEvent {
    if (this.cursor === 0) return echo('');
    this.cursor--;
    return echo(`${CSI}D`);
  }

  private right(): EditorEvent {
    if (this.cursor === this.text.length) return echo('');
    this.cursor++;
    return echo(`${CSI}C`);
  }

  private home(): EditorEvent {
    const move = cursorLeft(this.cursor);
    this.cursor = 0;
    return echo(move);
  }

  private end(): EditorEvent {
    const move = cursorRight(this.text.length - this.cursor);
    this.cursor = this.text.length;
    return echo(move);
  }

  /** Replace the whole line on screen and in the buffer. */
  private replaceLine(text: string): EditorEvent {
    const move = cursorLeft(this.cursor);
    this.text = text;
    this.cursor = text.length;
    return echo(move + text + ERASE_TO_END_OF_LINE);
  }

  // ---- history ----

  private historyUp(): EditorEvent {
    if (this.historyIndex === 0) return echo('');
    if (this.historyIndex === this.history.length) this.draft = this.text;
    this.historyIndex--;
    return this.replaceLine(this.history[this.historyIndex]!);
  }

  private historyDown(): EditorEvent {
    if (this.historyIndex === this.history.length) return echo('');
    this.historyIndex++;
    const text =
      this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]!;
    return this.replaceLine(text);
  }

  private submit(): EditorEvent {
    const line = this.text;
    if (line.trim() !== '' && line !== this.history[this.history.length - 1]) {
      this.history.push(line);
      if (this.history.length > HISTORY_SIZE) this.history.shift();
    }
    this.reset();
    return { kind: 'line', line };
  }

  private reset(): void {
    this.text = '';
    this.cursor = 0;
    this.draft = '';
    this.historyIndex = this.history.length;
  }
}

function echo(text: string): EditorEvent {
  return { kind: 'echo', text };
}
