import { describe, expect, it } from 'vitest';
import {
  ANSI_PALETTE,
  DEFAULT_FOREGROUND,
  TerminalScreen,
} from '../../../../src/kernel/gui/apps/terminal-screen';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the terminal screen', () => {
  it('prints text, returns and feeds lines, and backspaces', () => {
    const screen = new TerminalScreen(20, 5);
    screen.write(bytes('hello\r\nworld\bD'));
    expect(screen.lineText(0)).toBe('hello');
    expect(screen.lineText(1)).toBe('worlD');
    expect(screen.cursor).toEqual({ row: 1, col: 5 });
  });

  it('colours text with SGR: normal, bold as bright, background, and reset', () => {
    const screen = new TerminalScreen(20, 5);
    screen.write(bytes('\x1b[32mg\x1b[1;31mr\x1b[0;44mb\x1b[0mn'));
    const [g, r, b, n] = screen.allLines[0]!;
    expect(g!.fg).toBe(ANSI_PALETTE[2]);
    expect(r!.fg).toBe(ANSI_PALETTE[9]);
    expect(b!.bg).toBe(ANSI_PALETTE[4]);
    expect(n).toEqual({ char: 'n', fg: DEFAULT_FOREGROUND, bg: null });
  });

  it('wraps at the last column only when the next character comes', () => {
    const screen = new TerminalScreen(4, 3);
    screen.write(bytes('abcd'));
    expect(screen.allLines.length).toBe(1);
    screen.write(bytes('e'));
    expect([screen.lineText(0), screen.lineText(1)]).toEqual(['abcd', 'e']);
  });

  it('keeps scrolled-off lines as scrollback, up to its limit', () => {
    const screen = new TerminalScreen(10, 3, 5);
    for (let i = 0; i < 20; i++) screen.write(bytes(`line ${i}\r\n`));
    expect(screen.allLines.length).toBe(3 + 5);
    expect(screen.visibleLines(0).map((l) => l.map((c) => c.char).join(''))).toEqual([
      'line 18',
      'line 19',
      '',
    ]);
    expect(
      screen
        .visibleLines(2)[0]!
        .map((c) => c.char)
        .join(''),
    ).toBe('line 16');
  });

  it('clears the screen into the scrollback, erases lines, moves the cursor', () => {
    const screen = new TerminalScreen(10, 3);
    screen.write(bytes('old\r\n\x1b[H\x1b[2Jnew'));
    expect(
      screen
        .visibleLines(0)[0]!
        .map((c) => c.char)
        .join(''),
    ).toBe('new');
    expect(screen.allLines.some((l) => l.map((c) => c.char).join('') === 'old')).toBe(true);
    screen.write(bytes('\x1b[2D\x1b[K'));
    expect(
      screen
        .visibleLines(0)[0]!
        .map((c) => c.char)
        .join(''),
    ).toBe('n');
  });

  it("decodes UTF-8 and skips OSC strings (the shell's OSC 133 marks)", () => {
    const screen = new TerminalScreen(10, 3);
    screen.write(bytes('\x1b]133;A\x07é─\x1b]0;title\x1b\\!'));
    expect(screen.lineText(0)).toBe('é─!');
  });

  it('survives random bytes without throwing (seeded)', () => {
    const seed = Number(process.env.TERMINAL_SEED ?? 12345);
    let state = seed >>> 0 || 1;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) & 0xff;
    };
    const screen = new TerminalScreen(16, 4, 10);
    try {
      for (let i = 0; i < 20_000; i++) screen.feed(next());
    } catch (error) {
      throw new Error(`seed ${seed}: ${(error as Error).message}`);
    }
    expect(screen.allLines.length).toBeLessThanOrEqual(14);
  });
});
