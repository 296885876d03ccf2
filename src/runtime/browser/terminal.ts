/**
 * The machine's serial console on the page: an xterm.js terminal that fills
 * its container.
 *
 * xterm already speaks what a serial terminal sends: Enter is \r, arrows are
 * ESC [ A … D, Backspace is DEL; so keystrokes go to the UART unchanged. The
 * DOM renderer (xterm's default) keeps the text in the page, readable by
 * screen readers and by the browser tests.
 *
 * The shell writes for 80 columns. A narrower box first shrinks the font, down
 * to MIN_FONT_PX; where even that is too wide (a phone), the terminal takes
 * SCROLL_COLS and scrolls sideways (machine.css), so no line wraps in the
 * middle of a word. Every colour of
 * both themes, dim text included (machine.css), reads at a contrast of at
 * least 4.5:1 on its background (WCAG AA).
 */
import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal } from '@xterm/xterm';
import { followTheme } from './page-theme';

const ROWS = 24;
/** The width the shell and the programs write for. */
const WIDE_COLS = 80;
const FONT_PX = 14;
const MIN_FONT_PX = 10;
/** A terminal that scrolls sideways is as wide as the widest line the book's commands print (help's). */
const SCROLL_COLS = 120;
/** WCAG AA for text: xterm adjusts any colour a program asks for that reads worse. */
const MIN_CONTRAST = 4.5;
const RED = '\x1b[1;31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** A terminal's text, scrollback and screen, one line per line the program wrote. */
export function bufferText(terminal: Terminal): string {
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y);
    const text = line?.translateToString(true) ?? '';
    // A row that continues the previous one (the line was wider than the terminal) joins it.
    if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return lines.join('\n');
}

export interface Console {
  readonly terminal: Terminal;
  /** A message from the page (not the machine), on a line of its own. */
  notice(text: string, tone?: 'error' | 'info'): void;
  /** The scrollback and screen as text, wrapped rows joined into their lines. */
  text(): string;
  dispose(): void;
}

/** On #17181c, every colour at 5.7:1 or more. */
const DARK: ITheme = {
  background: '#17181c',
  foreground: '#e6e6e6',
  cursor: '#e6e6e6',
  cursorAccent: '#17181c',
  selectionBackground: '#3a4a66',
  black: '#8b949e',
  red: '#ff7b72',
  green: '#56d364',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#c9d1d9',
  brightBlack: '#9da5ae',
  brightRed: '#ffa198',
  brightGreen: '#7ee787',
  brightYellow: '#f2cc60',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#87e8f0',
  brightWhite: '#ffffff',
};
/** On #fbfbfb, every colour at 6.1:1 or more. */
const LIGHT: ITheme = {
  background: '#fbfbfb',
  foreground: '#1b1b1b',
  cursor: '#1b1b1b',
  cursorAccent: '#fbfbfb',
  selectionBackground: '#c8d8f0',
  black: '#1b1b1b',
  red: '#b3261e',
  green: '#116329',
  yellow: '#7a4a00',
  blue: '#0550ae',
  magenta: '#7a35c9',
  cyan: '#0b6169',
  white: '#57606a',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#0f5323',
  brightYellow: '#633c01',
  brightBlue: '#0a3f8a',
  brightMagenta: '#6639ba',
  brightCyan: '#094c52',
  brightWhite: '#24292f',
};

/**
 * The largest font (FONT_PX down to MIN_FONT_PX) at which WIDE_COLS fit the
 * box, and the columns: as many as fit, or SCROLL_COLS in a box that scrolls.
 */
function fitColumns(terminal: Terminal, fit: FitAddon, box: HTMLElement): void {
  terminal.options.fontSize = FONT_PX;
  let fitted = fit.proposeDimensions();
  if (!fitted || !(fitted.cols > 0)) return;
  if (fitted.cols < WIDE_COLS) {
    const size = Math.floor((FONT_PX * fitted.cols) / WIDE_COLS);
    terminal.options.fontSize = Math.max(MIN_FONT_PX, size);
    fitted = fit.proposeDimensions() ?? fitted;
  }
  const scrolls = fitted.cols < WIDE_COLS;
  terminal.resize(scrolls ? SCROLL_COLS : fitted.cols, ROWS);
  box.toggleAttribute('data-scrolls', scrolls);
}

export function createConsole(container: HTMLElement, onInput: (data: string) => void): Console {
  const terminal = new Terminal({
    rows: ROWS,
    convertEol: false,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
    fontSize: FONT_PX,
    minimumContrastRatio: MIN_CONTRAST,
    scrollback: 5000,
  });
  followTheme((light) => (terminal.options.theme = light ? LIGHT : DARK));
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(container);
  const refit = (): void => fitColumns(terminal, fit, container);
  const observer = new ResizeObserver(refit);
  observer.observe(container);
  refit();
  const input = terminal.onData(onInput);
  return {
    terminal,
    notice(text, tone = 'info') {
      const colour = tone === 'error' ? RED : DIM;
      const lines = text.split('\n').map((line) => `${colour}${line}${RESET}`);
      terminal.write(`\r\n${lines.join('\r\n')}\r\n`);
    },
    text: () => bufferText(terminal),
    dispose() {
      observer.disconnect();
      input.dispose();
      terminal.dispose();
    },
  };
}
