/**
 * ANSI/ECMA-48 escape sequences the kernel writes to the serial console.
 *
 * The console is a serial line: whatever the kernel wants to look like colour,
 * a cleared screen or a moved cursor has to travel as bytes that the terminal
 * on the other end (xterm.js in the book, any VT100-style terminal otherwise)
 * interprets. ECMA-48 calls them Control Sequences (CSI = ESC '[') and Select
 * Graphic Rendition (SGR, CSI … 'm') for colours. Named here once so the rest
 * of the kernel reads as words, not as escape codes.
 */

export const ESC = '\x1b';
export const BEL = '\x07';
/** Control Sequence Introducer. */
export const CSI = `${ESC}[`;
/** Operating System Command (used by the shell's OSC 133 prompt marks). */
export const OSC = `${ESC}]`;

// Select Graphic Rendition (CSI n m).
export const RESET = `${CSI}0m`;
export const BOLD = `${CSI}1m`;
export const DIM = `${CSI}2m`;
export const RED = `${CSI}31m`;
export const GREEN = `${CSI}32m`;
export const YELLOW = `${CSI}33m`;
export const BLUE = `${CSI}34m`;
export const MAGENTA = `${CSI}35m`;
export const CYAN = `${CSI}36m`;
export const BRIGHT_RED = `${CSI}1;31m`;

/** Wrap `text` in a colour and reset afterwards. */
export function paint(colour: string, text: string): string {
  return `${colour}${text}${RESET}`;
}

/** Move the cursor `n` columns left (CUB) or right (CUF); nothing for n = 0. */
export function cursorLeft(n: number): string {
  return n > 0 ? `${CSI}${n}D` : '';
}
export function cursorRight(n: number): string {
  return n > 0 ? `${CSI}${n}C` : '';
}

/** Erase from the cursor to the end of the line (EL 0). */
export const ERASE_TO_END_OF_LINE = `${CSI}K`;
/** Cursor home, then erase the whole display (CUP + ED 2). */
export const CLEAR_SCREEN = `${CSI}H${CSI}2J`;
