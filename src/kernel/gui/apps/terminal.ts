/**
 * Terminal: the kernel's shell in a window.
 *
 * Models a terminal emulator with a pseudo-terminal behind it (xterm and a
 * pty): the window shows a TerminalScreen (./terminal-screen.ts) and turns
 * key presses into the bytes a terminal sends (characters as UTF-8, Enter as
 * CR, arrows as ESC [ A …); a Console (drivers/console.ts) is the other end,
 * with the same line discipline as the serial console, and the shell thread
 * runs on it exactly as it runs on COM1. The shell does not know which
 * terminal it has: it is given a kernel whose `console` is this one.
 *
 * Shift+PageUp / Shift+PageDown scroll through the scrollback; any other key
 * returns to the bottom. Closing the window hangs the console up, which ends
 * the shell (and interrupts the program it runs).
 */
import { Console } from '../../drivers/console';
import type { KeyEvent } from '../../drivers/ps2-keyboard';
import { utf8Encode } from '../../lib/utf8';
import { spawn } from '../../sched/scheduler';
import { shellThread } from '../../shell/shell';
import type { App, AppMouseEvent } from '../app';
import type { DesktopServices } from '../desktop-services';
import { rect } from '../rect';
import type { Surface } from '../surface';
import { DEFAULT_BACKGROUND, TerminalScreen } from './terminal-screen';

export const TERMINAL_COLUMNS = 80;
export const TERMINAL_ROWS = 24;
const PADDING = 4;
const CURSOR_COLOUR = 0xd4d4d4;
const CURSOR_HEIGHT = 2;

/** Keys that send an escape sequence rather than a character (xterm's normal cursor mode). */
const KEY_SEQUENCES: Readonly<Record<string, string>> = {
  ArrowUp: '\x1b[A',
  ArrowDown: '\x1b[B',
  ArrowRight: '\x1b[C',
  ArrowLeft: '\x1b[D',
  Home: '\x1b[H',
  End: '\x1b[F',
  Delete: '\x1b[3~',
};

export class Terminal implements App {
  readonly title = 'Terminal';
  readonly preferredSize: { width: number; height: number };
  readonly screen: TerminalScreen;
  readonly console: Console;
  private scrolledBack = 0;

  constructor(private readonly services: DesktopServices) {
    const { font, kernel } = services;
    this.preferredSize = {
      width: TERMINAL_COLUMNS * font.width + 2 * PADDING,
      height: TERMINAL_ROWS * font.height + 2 * PADDING,
    };
    this.screen = new TerminalScreen(TERMINAL_COLUMNS, TERMINAL_ROWS);
    this.console = new Console(kernel.cpu, (byte) => this.output(byte));
    spawn('shell', shellThread({ ...kernel, console: this.console }, services.shellCommands));
  }

  private output(byte: number): void {
    this.screen.feed(byte);
    this.scrolledBack = 0;
    this.services.invalidate(this);
  }

  draw(surface: Surface): void {
    const { font } = this.services;
    this.screen.resize(
      Math.floor((surface.width - 2 * PADDING) / font.width),
      Math.floor((surface.height - 2 * PADDING) / font.height),
    );
    surface.fillRect(surface.bounds, DEFAULT_BACKGROUND);
    this.screen.visibleLines(this.scrolledBack).forEach((line, row) => {
      const y = PADDING + row * font.height;
      line.forEach((cell, col) => {
        const x = PADDING + col * font.width;
        if (cell.bg !== null) surface.fillRect(rect(x, y, font.width, font.height), cell.bg);
        if (cell.char !== ' ') surface.drawText(font, x, y, cell.char, cell.fg);
      });
    });
    if (this.scrolledBack === 0) {
      const { row, col } = this.screen.cursor;
      const x = PADDING + col * font.width;
      const y = PADDING + (row + 1) * font.height - CURSOR_HEIGHT;
      surface.fillRect(rect(x, y, font.width, CURSOR_HEIGHT), CURSOR_COLOUR);
    }
  }

  onKey(event: KeyEvent): boolean {
    if (!event.pressed) return false;
    if (event.shift && (event.key === 'PageUp' || event.key === 'PageDown'))
      return this.scroll(event.key);
    const sequence = KEY_SEQUENCES[event.key] ?? keyCharacter(event);
    if (sequence === null) return false;
    this.console.receive(utf8Encode(sequence));
    return this.scroll(null);
  }

  /** Page through the scrollback (null: back to the bottom); returns whether the view moved. */
  private scroll(key: 'PageUp' | 'PageDown' | null): boolean {
    const page = this.screen.rows - 1;
    const limit = this.screen.allLines.length - this.screen.rows;
    const before = this.scrolledBack;
    if (key === 'PageUp')
      this.scrolledBack = Math.min(Math.max(0, limit), this.scrolledBack + page);
    else if (key === 'PageDown') this.scrolledBack = Math.max(0, this.scrolledBack - page);
    else this.scrolledBack = 0;
    return this.scrolledBack !== before;
  }

  onMouse(_event: AppMouseEvent): boolean {
    return false;
  }

  onClose(): void {
    this.console.hangUp();
  }
}

/** What a key types: Enter sends CR (a terminal's Return), Backspace DEL (as xterm does). */
function keyCharacter(event: KeyEvent): string | null {
  if (event.char === '\n') return '\r';
  if (event.char === '\b') return '\x7f';
  return event.char;
}
