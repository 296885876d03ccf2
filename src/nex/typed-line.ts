/**
 * The command line as the reader typed it: the keys sent between a prompt's
 * end (OSC 133 B) and the command's start (OSC 133 C), replayed on a small
 * line editor.
 *
 * The echo on the screen is not enough on its own: a program running in the
 * background writes between the prompt and the reader's keys, and its output
 * would become the "command". The keys are what the reader typed, whatever
 * else the screen showed. They do not say everything, though: history recall
 * and completion fill the line from the shell's memory, so a line that used
 * them is marked as not known, and the caller falls back to the echo.
 */
const ESC = 0x1b;
const BS = 0x08;
const DEL = 0x7f;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const CTRL_A = 0x01;
const CTRL_E = 0x05;
const CTRL_U = 0x15;

export class TypedLine {
  private chars: number[] = [];
  private cursor = 0;
  private pendingEscape: number[] | null = null;
  private ended = false;
  /** Whether any key arrived at all. */
  typed = false;
  /** False once a key filled the line from somewhere the keys do not show (history, completion). */
  known = true;

  /** Feed the bytes of one input event. */
  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.ended) return;
      this.typed = true;
      if (this.pendingEscape) this.continueEscape(byte);
      else this.key(byte);
    }
  }

  private key(byte: number): void {
    if (byte === CR || byte === LF) this.ended = true;
    else if (byte === ESC) this.pendingEscape = [];
    else if (byte === BS || byte === DEL) this.deleteBefore();
    else if (byte === CTRL_U) this.deleteToStart();
    else if (byte === CTRL_A) this.cursor = 0;
    else if (byte === CTRL_E) this.cursor = this.chars.length;
    else if (byte === TAB) this.known = false;
    else if (byte >= 0x20) this.chars.splice(this.cursor++, 0, byte);
  }

  /** CSI sequences: arrows move the cursor, Home/End/Delete edit; anything else (history) is unknown. */
  private continueEscape(byte: number): void {
    const sequence = this.pendingEscape!;
    sequence.push(byte);
    if (sequence.length === 1 && byte !== 0x5b && byte !== 0x4f) return this.endEscape(false);
    if (sequence.length === 1 || (byte >= 0x30 && byte <= 0x3f)) return;
    const text = String.fromCharCode(...sequence);
    if (text === '[D' || text === 'OD') this.cursor = Math.max(0, this.cursor - 1);
    else if (text === '[C' || text === 'OC')
      this.cursor = Math.min(this.chars.length, this.cursor + 1);
    else if (text === '[H' || text === 'OH' || text === '[1~') this.cursor = 0;
    else if (text === '[F' || text === 'OF' || text === '[4~') this.cursor = this.chars.length;
    else if (text === '[3~') this.chars.splice(this.cursor, 1);
    else return this.endEscape(false);
    this.endEscape(true);
  }

  private endEscape(understood: boolean): void {
    this.pendingEscape = null;
    if (!understood) this.known = false;
  }

  private deleteToStart(): void {
    this.chars.splice(0, this.cursor);
    this.cursor = 0;
  }

  private deleteBefore(): void {
    if (this.cursor === 0) return;
    this.chars.splice(--this.cursor, 1);
  }

  text(): string {
    return new TextDecoder().decode(Uint8Array.from(this.chars)).replace(/ +$/, '');
  }
}
