/**
 * The machine's serial console on the page: an xterm.js terminal that fills
 * its container.
 *
 * xterm already speaks what a serial terminal sends: Enter is \r, arrows are
 * ESC [ A … D, Backspace is DEL; so keystrokes go to the UART unchanged. The
 * DOM renderer (xterm's default) keeps the text in the page, readable by
 * screen readers and by the browser tests.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { followTheme } from './page-theme';

const ROWS = 24;
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

const DARK = { background: '#17181c', foreground: '#e6e6e6', cursor: '#e6e6e6' };
const LIGHT = { background: '#fbfbfb', foreground: '#1b1b1b', cursor: '#1b1b1b' };

export function createConsole(container: HTMLElement, onInput: (data: string) => void): Console {
  const terminal = new Terminal({
    rows: ROWS,
    convertEol: false,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
    fontSize: 14,
    scrollback: 5000,
  });
  followTheme((light) => (terminal.options.theme = light ? LIGHT : DARK));
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(container);
  const refit = (): void => {
    const dimensions = fit.proposeDimensions();
    if (dimensions && dimensions.cols > 0) terminal.resize(dimensions.cols, ROWS);
  };
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
