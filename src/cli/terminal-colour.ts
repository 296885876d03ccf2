/**
 * Colour only on a terminal: the machine's console is coloured (SGR escape
 * sequences) and marked for terminals that understand OSC 133 (where each
 * prompt and command starts). Written into a pipe or a file those are noise,
 * so `cotton` passes them on only when its output is a terminal and NO_COLOR
 * (https://no-color.org) is not set, as `ls --color=auto` does (FORCE_COLOR
 * keeps them in a pipe).
 *
 * EscapeStripper removes SGR sequences (CSI ... m) and OSC sequences (ESC ]
 * ... BEL or ESC \) from a byte stream. It keeps its state between chunks,
 * since a sequence may be split across two writes; every other byte passes.
 */

const ESC = 0x1b;
const BEL = 0x07;
const CSI_INTRO = 0x5b; // '['
const OSC_INTRO = 0x5d; // ']'
const BACKSLASH = 0x5c;
const SGR_FINAL = 0x6d; // 'm'

/**
 * Whether to keep colours and marks on a stream: never with NO_COLOR (set and
 * not empty); always with FORCE_COLOR (set, not empty and not 0), for tools
 * that read the marks through a pipe; otherwise only on a terminal.
 */
export function wantsColour(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

type State = 'text' | 'escape' | 'csi' | 'osc' | 'osc-escape';

export class EscapeStripper {
  private state: State = 'text';
  /** A CSI sequence seen so far: kept back until its final byte says whether it is SGR. */
  private csi: number[] = [];

  /** The chunk without SGR and OSC sequences (a sequence cut at the end is finished by the next chunk). */
  push(chunk: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const byte of chunk) this.step(byte, out);
    return Uint8Array.from(out);
  }

  private step(byte: number, out: number[]): void {
    switch (this.state) {
      case 'text':
        if (byte === ESC) this.state = 'escape';
        else out.push(byte);
        return;
      case 'escape':
        if (byte === CSI_INTRO) {
          this.state = 'csi';
          this.csi = [ESC, byte];
        } else if (byte === OSC_INTRO) this.state = 'osc';
        else {
          this.state = 'text';
          out.push(ESC, byte);
        }
        return;
      case 'csi':
        this.csi.push(byte);
        if (byte >= 0x40 && byte <= 0x7e) {
          if (byte !== SGR_FINAL) out.push(...this.csi);
          this.csi = [];
          this.state = 'text';
        }
        return;
      case 'osc':
        if (byte === BEL) this.state = 'text';
        else if (byte === ESC) this.state = 'osc-escape';
        return;
      case 'osc-escape':
        this.state = byte === BACKSLASH ? 'text' : 'osc';
        return;
    }
  }
}

/** A writer for `stream` that strips colours and marks unless the stream wants them. */
export function colourFilter(
  stream: { readonly isTTY?: boolean },
  env?: Readonly<Record<string, string | undefined>>,
): (bytes: Uint8Array) => Uint8Array {
  if (wantsColour(stream, env)) return (bytes) => bytes;
  const stripper = new EscapeStripper();
  return (bytes) => stripper.push(bytes);
}
