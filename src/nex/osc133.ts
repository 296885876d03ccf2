/**
 * Command timeline from the terminal byte stream: OSC 133 "semantic prompt"
 * marks (FinalTerm's, now understood by most terminals) and OSC 7 (the
 * working directory), both ECMA-48 Operating System Commands.
 *
 *   ESC ] 133 ; A BEL   prompt starts          ESC ] 133 ; B BEL   prompt ends, typing starts
 *   ESC ] 133 ; C BEL   the command runs       ESC ] 133 ; D ; n BEL   it ended with status n
 *   ESC ] 7 ; file://host/dir BEL   the shell's working directory is now dir
 *
 * (an OSC may also end with ST, ESC \). A command runs from its C mark to its
 * D mark; its output is the bytes in between. Its command line is what the
 * reader typed between B and C (typed-line.ts): output that arrives in
 * between, from a program in the background, is not the command. Where the
 * keys do not say what the line became (history recall, completion) or a
 * recording has no input events, the line is the shell's echo, replayed on a
 * one-line model of the terminal (printing overwrites, BS and CSI D/C move,
 * CSI K erases).
 *
 * The kernel shell emits A, B, C and D (src/kernel/shell/shell.ts); it has no
 * file system yet, so it sends no OSC 7 and the recorder supplies "/".
 */
import type { CommandRecord, SessionEvent } from './session';
import { TypedLine } from './typed-line';

const ESC = 0x1b;
const BEL = 0x07;
const BS = 0x08;
const CR = 0x0d;
/** Longer OSC strings are not marks; stop collecting them rather than grow without bound. */
const MAX_OSC = 4096;

type Token =
  | { readonly kind: 'text'; readonly byte: number }
  | { readonly kind: 'control'; readonly byte: number }
  | { readonly kind: 'csi'; readonly params: string; readonly final: string }
  | {
      readonly kind: 'osc';
      readonly payload: string;
      readonly start: number;
      readonly end: number;
    };

/** An ECMA-48 tokenizer that keeps its state across chunks (a sequence may be cut anywhere). */
class Tokenizer {
  private state: 'ground' | 'escape' | 'csi' | 'osc' | 'osc-escape' = 'ground';
  private buffer = '';
  private oscStart = 0;

  *feed(data: Uint8Array, offset: number): Generator<Token> {
    for (let i = 0; i < data.length; i++) {
      const byte = data[i]!;
      const at = offset + i;
      switch (this.state) {
        case 'ground':
          if (byte === ESC) this.state = 'escape';
          else if (byte < 0x20 || byte === 0x7f) yield { kind: 'control', byte };
          else yield { kind: 'text', byte };
          break;
        case 'escape':
          this.buffer = '';
          if (byte === 0x5b /* [ */) this.state = 'csi';
          else if (byte === 0x5d /* ] */) {
            this.state = 'osc';
            this.oscStart = at - 1;
          } else this.state = 'ground'; // a two-byte escape: nothing here cares
          break;
        case 'csi':
          if (byte >= 0x40 && byte <= 0x7e) {
            this.state = 'ground';
            yield { kind: 'csi', params: this.buffer, final: String.fromCharCode(byte) };
          } else if (this.buffer.length < MAX_OSC) this.buffer += String.fromCharCode(byte);
          break;
        case 'osc':
          if (byte === BEL) {
            this.state = 'ground';
            yield { kind: 'osc', payload: this.buffer, start: this.oscStart, end: at + 1 };
          } else if (byte === ESC) this.state = 'osc-escape';
          else if (this.buffer.length < MAX_OSC) this.buffer += String.fromCharCode(byte);
          break;
        case 'osc-escape': // ESC \ is ST; anything else aborts the OSC
          this.state = 'ground';
          if (byte === 0x5c)
            yield { kind: 'osc', payload: this.buffer, start: this.oscStart, end: at + 1 };
          break;
      }
    }
  }
}

/** One terminal line as the echo leaves it: cells, a cursor, overwrite semantics. */
export class EchoLine {
  private cells: number[] = [];
  private cursor = 0;

  apply(token: Token): void {
    if (token.kind === 'text') {
      this.cells[this.cursor++] = token.byte;
    } else if (token.kind === 'control') {
      if (token.byte === BS) this.cursor = Math.max(0, this.cursor - 1);
      else if (token.byte === CR) this.cursor = 0;
    } else if (token.kind === 'csi') {
      const n = Math.max(1, parseInt(token.params, 10) || 1);
      if (token.final === 'D') this.cursor = Math.max(0, this.cursor - n);
      else if (token.final === 'C') this.cursor += n;
      else if (token.final === 'K' && (token.params === '' || token.params === '0'))
        this.cells.length = Math.min(this.cells.length, this.cursor);
    }
  }

  /** The line's text, without the blanks that erasing left at its end. */
  text(): string {
    const bytes = Uint8Array.from(this.cells, (c) => c ?? 0x20);
    return new TextDecoder().decode(bytes).replace(/ +$/, '');
  }
}

export interface ExtractOptions {
  /** Working directory until an OSC 7 says otherwise. */
  readonly defaultCwd?: string;
}

interface OpenCommand {
  start: number;
  cwd: string;
  line: string;
  outputStart: number;
}

/** OSC 7 `file://host/path` → `/path`. */
function cwdFromOsc7(uri: string): string | null {
  const m = /^file:\/\/[^/]*(\/.*)$/.exec(uri);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/** Cut the output into commands by their OSC 133 marks. */
export function extractCommands(
  events: readonly SessionEvent[],
  options: ExtractOptions = {},
): CommandRecord[] {
  const commands: CommandRecord[] = [];
  const open: OpenCommand[] = [];
  const tokenizer = new Tokenizer();
  let cwd = options.defaultCwd ?? '';
  let echo: EchoLine | null = null;
  let typed: TypedLine | null = null;
  let offset = 0;
  const finish = (
    command: OpenCommand,
    t: number,
    exitCode: number | null,
    outputEnd: number,
  ): void => {
    commands.push({ ...command, end: t, exitCode, outputEnd });
  };
  for (const event of events) {
    if (event.kind === 'input') typed?.feed(event.data);
    if (event.kind !== 'output') continue;
    for (const token of tokenizer.feed(event.data, offset)) {
      if (token.kind !== 'osc') {
        echo?.apply(token);
        continue;
      }
      const [code, mark, status] = token.payload.split(';');
      if (code === '7') {
        cwd = cwdFromOsc7(token.payload.slice(2)) ?? cwd;
      } else if (code === '133' && mark === 'A') {
        // A prompt while a command is still open: it ended without saying how.
        while (open.length > 0) finish(open.pop()!, event.t, null, token.start);
      } else if (code === '133' && mark === 'B') {
        echo = new EchoLine();
        typed = new TypedLine();
      } else if (code === '133' && mark === 'C') {
        const line = typed?.typed && typed.known ? typed.text() : (echo?.text() ?? '');
        open.push({ start: event.t, cwd, line, outputStart: token.end });
        echo = null;
        typed = null;
      } else if (code === '133' && mark === 'D') {
        const command = open.pop();
        const exit = status !== undefined && /^-?\d+$/.test(status) ? Number(status) : null;
        if (command) finish(command, event.t, exit, token.start);
      }
    }
    offset += event.data.length;
  }
  for (const command of open)
    commands.push({ ...command, end: null, exitCode: null, outputEnd: null });
  return commands.sort((a, b) => a.outputStart - b.outputStart || a.start - b.start);
}
