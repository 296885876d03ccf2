/**
 * A terminal's screen: a grid of character cells with a cursor, a scrollback
 * of the lines that scrolled off the top, and the escape sequences that move
 * the cursor and colour the text.
 *
 * Models: the VT100 as xterm extends it, in the subset the kernel's shell and
 * its programs send (ECMA-48, "Control Functions for Coded Character Sets",
 * 5th edition): the control characters CR, LF, BS, HT and BEL; CSI sequences
 * ESC [ params final for cursor movement (CUU A, CUD B, CUF C, CUB D, CUP H),
 * erasing (ED J, EL K) and Select Graphic Rendition (SGR m: bold, the eight
 * colours and their bright variants, foreground and background, defaults);
 * and OSC strings (ESC ] … BEL or ESC \), which carry no picture here (the
 * shell's OSC 133 marks) and are skipped. Text arrives as UTF-8 bytes.
 *
 * The screen is the last `rows` lines of the buffer; clearing the screen
 * pushes its lines into the scrollback, as xterm does, so nothing printed is
 * lost. Parsing is a state machine fed one byte at a time, like the terminal
 * hardware it models, and never fails: an unknown sequence is ignored.
 */
import type { Color } from '../surface';

/** The 16 ANSI colours: 0–7 normal, 8–15 bright (xterm's default palette, softened). */
export const ANSI_PALETTE: readonly Color[] = [
  0x1e1e1e, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc, 0x11a8cd, 0xe5e5e5, 0x666666,
  0xf14c4c, 0x23d18b, 0xf5f543, 0x3b8eea, 0xd670d6, 0x29b8db, 0xffffff,
];
export const DEFAULT_FOREGROUND: Color = 0xd4d4d4;
export const DEFAULT_BACKGROUND: Color = 0x1e1e1e;
export const DEFAULT_SCROLLBACK = 1000;

const BEL = 0x07;
const BS = 0x08;
const HT = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const ESC = 0x1b;
const TAB_WIDTH = 8;
/** Parameters kept per sequence; more are ignored (a defence against endless input). */
const MAX_PARAMS = 16;

export interface Cell {
  readonly char: string;
  readonly fg: Color;
  /** null: the terminal's background. */
  readonly bg: Color | null;
}

type ParserState = 'ground' | 'escape' | 'csi' | 'osc' | 'osc-escape';

export class TerminalScreen {
  private lines: Cell[][] = [[]];
  /** Cursor: an index into `lines` and a column. */
  private row = 0;
  private col = 0;
  /** Set after writing the last column: the next character wraps first (xterm's deferred wrap). */
  private wrapPending = false;
  private fg: Color = DEFAULT_FOREGROUND;
  private bg: Color | null = null;
  private bold = false;
  private foregroundIndex: number | null = null;
  private state: ParserState = 'ground';
  private params = '';
  private utf8Pending: number[] = [];
  private utf8Needed = 0;

  constructor(
    public cols: number,
    public rows: number,
    readonly scrollback = DEFAULT_SCROLLBACK,
  ) {}

  /** Every line, scrollback first. */
  get allLines(): readonly (readonly Cell[])[] {
    return this.lines;
  }

  /** The first line of the screen (lines above it are scrollback). */
  get screenTop(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  /** The cursor, relative to the screen. */
  get cursor(): { row: number; col: number } {
    return { row: this.row - this.screenTop, col: Math.min(this.col, this.cols - 1) };
  }

  /** `rows` lines ending `scrolledBack` lines above the bottom. */
  visibleLines(scrolledBack = 0): (readonly Cell[])[] {
    const end = this.lines.length - scrolledBack;
    return this.lines.slice(Math.max(0, end - this.rows), end);
  }

  /** Text of a line, for tests and copying. */
  lineText(index: number): string {
    return (this.lines[index] ?? []).map((cell) => cell.char).join('');
  }

  resize(cols: number, rows: number): void {
    this.cols = Math.max(1, cols);
    this.rows = Math.max(1, rows);
  }

  write(bytes: Iterable<number>): void {
    for (const byte of bytes) this.feed(byte);
  }

  feed(byte: number): void {
    switch (this.state) {
      case 'ground':
        return this.ground(byte);
      case 'escape':
        return this.escape(byte);
      case 'csi':
        return this.csi(byte);
      case 'osc':
        if (byte === BEL) this.state = 'ground';
        else if (byte === ESC) this.state = 'osc-escape';
        return;
      case 'osc-escape': // ESC \ (string terminator) ends the OSC; anything else also does
        this.state = 'ground';
        return;
    }
  }

  // ---- ground: text and control characters ----

  private ground(byte: number): void {
    if (this.utf8Needed > 0) return this.continueUtf8(byte);
    if (byte >= 0x80) return this.startUtf8(byte);
    switch (byte) {
      case ESC:
        this.state = 'escape';
        return;
      case CR:
        this.col = 0;
        this.wrapPending = false;
        return;
      case LF:
        return this.lineFeed();
      case BS:
        this.col = Math.max(0, Math.min(this.col, this.cols - 1) - 1);
        this.wrapPending = false;
        return;
      case HT:
        this.col = Math.min(this.cols - 1, (Math.floor(this.col / TAB_WIDTH) + 1) * TAB_WIDTH);
        return;
      default:
        if (byte >= 0x20 && byte !== 0x7f) this.put(String.fromCharCode(byte));
    }
  }

  private startUtf8(byte: number): void {
    const needed = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : byte >= 0xc0 ? 1 : 0;
    if (needed === 0) return this.put('\ufffd');
    this.utf8Pending = [byte];
    this.utf8Needed = needed;
  }

  private continueUtf8(byte: number): void {
    if ((byte & 0xc0) !== 0x80) {
      this.utf8Needed = 0;
      this.put('\ufffd');
      return this.ground(byte);
    }
    this.utf8Pending.push(byte);
    if (--this.utf8Needed > 0) return;
    const [first, ...rest] = this.utf8Pending;
    const lead = first! & (0x3f >> (this.utf8Pending.length - 1));
    const codePoint = rest.reduce((value, b) => (value << 6) | (b & 0x3f), lead);
    this.put(String.fromCodePoint(Math.min(codePoint, 0x10ffff)));
  }

  private put(char: string): void {
    if (this.wrapPending) {
      this.wrapPending = false;
      this.col = 0;
      this.lineFeed();
    }
    const line = this.lines[this.row]!;
    while (line.length < this.col) line.push(this.blank());
    line[this.col] = { char, fg: this.fg, bg: this.bg };
    if (this.col === this.cols - 1) this.wrapPending = true;
    else this.col++;
  }

  private blank(): Cell {
    return { char: ' ', fg: this.fg, bg: this.bg };
  }

  private lineFeed(): void {
    this.wrapPending = false;
    this.row++;
    if (this.row === this.lines.length) this.lines.push([]);
    const excess = this.lines.length - this.rows - this.scrollback;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.row -= excess;
    }
  }

  // ---- escape sequences ----

  private escape(byte: number): void {
    if (byte === 0x5b) {
      this.state = 'csi';
      this.params = '';
    } else if (byte === 0x5d) {
      this.state = 'osc';
    } else {
      this.state = 'ground'; // a two-byte escape this terminal does not act on
    }
  }

  private csi(byte: number): void {
    if ((byte >= 0x30 && byte <= 0x3f) || byte === 0x20) {
      if (this.params.length < MAX_PARAMS * 4) this.params += String.fromCharCode(byte);
      return;
    }
    this.state = 'ground';
    if (byte >= 0x40 && byte <= 0x7e) this.perform(String.fromCharCode(byte), this.numbers());
  }

  private numbers(): number[] {
    if (this.params.startsWith('?')) return [];
    return this.params
      .split(';')
      .slice(0, MAX_PARAMS)
      .map((part) => (part === '' ? 0 : Number.parseInt(part, 10) || 0));
  }

  private perform(final: string, params: number[]): void {
    const n = Math.max(1, params[0] ?? 0);
    this.wrapPending = false;
    switch (final) {
      case 'A':
        this.row = Math.max(this.screenTop, this.row - n);
        return;
      case 'B':
        this.row = Math.min(this.lines.length - 1, this.row + n);
        return;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + n);
        return;
      case 'D':
        this.col = Math.max(0, Math.min(this.col, this.cols - 1) - n);
        return;
      case 'H':
      case 'f':
        return this.moveTo(Math.max(1, params[0] ?? 1) - 1, Math.max(1, params[1] ?? 1) - 1);
      case 'J':
        return this.eraseDisplay(params[0] ?? 0);
      case 'K':
        return this.eraseLine(params[0] ?? 0);
      case 'm':
        return this.selectGraphicRendition(params.length > 0 ? params : [0]);
    }
  }

  private moveTo(screenRow: number, col: number): void {
    const top = this.screenTop;
    while (this.lines.length < top + this.rows && this.lines.length <= top + screenRow)
      this.lines.push([]);
    this.row = Math.min(top + screenRow, this.lines.length - 1);
    this.col = Math.min(col, this.cols - 1);
  }

  /** ED: 0 cursor to end, 1 start to cursor, 2 (and 3) the whole screen, into the scrollback. */
  private eraseDisplay(mode: number): void {
    if (mode === 0) {
      this.eraseLine(0);
      this.lines.length = this.row + 1;
    } else if (mode === 1) {
      for (let r = this.screenTop; r < this.row; r++) this.lines[r] = [];
      this.eraseLine(1);
    } else {
      const screenRow = this.row - this.screenTop;
      const pad = this.rows - (this.lines.length - this.screenTop);
      for (let i = 0; i < this.rows + Math.max(0, pad); i++) this.lines.push([]);
      const excess = this.lines.length - this.rows - this.scrollback;
      if (excess > 0) this.lines.splice(0, excess);
      this.row = this.screenTop + screenRow;
    }
  }

  /** EL: 0 cursor to end of line, 1 start to cursor, 2 the whole line. */
  private eraseLine(mode: number): void {
    const line = this.lines[this.row]!;
    if (mode === 0) line.length = Math.min(line.length, this.col);
    else if (mode === 1)
      for (let c = 0; c <= this.col && c < line.length; c++) line[c] = this.blank();
    else line.length = 0;
  }

  private selectGraphicRendition(params: number[]): void {
    for (const p of params) {
      if (p === 0) {
        this.bold = false;
        this.foregroundIndex = null;
        this.fg = DEFAULT_FOREGROUND;
        this.bg = null;
      } else if (p === 1) {
        this.bold = true;
      } else if (p === 2 || p === 22) {
        this.bold = false;
      } else if (p >= 30 && p <= 37) {
        this.foregroundIndex = p - 30;
      } else if (p === 39) {
        this.foregroundIndex = null;
      } else if (p >= 40 && p <= 47) {
        this.bg = ANSI_PALETTE[p - 40]!;
      } else if (p === 49) {
        this.bg = null;
      } else if (p >= 90 && p <= 97) {
        this.foregroundIndex = p - 90 + 8;
      } else if (p >= 100 && p <= 107) {
        this.bg = ANSI_PALETTE[p - 100 + 8]!;
      }
    }
    this.fg = this.foregroundColour();
  }

  /** Bold shows the normal colours in their bright variants, as xterm's boldColors does. */
  private foregroundColour(): Color {
    if (this.foregroundIndex === null) return this.bold ? ANSI_PALETTE[15]! : DEFAULT_FOREGROUND;
    const index =
      this.bold && this.foregroundIndex < 8 ? this.foregroundIndex + 8 : this.foregroundIndex;
    return ANSI_PALETTE[index]!;
  }
}
