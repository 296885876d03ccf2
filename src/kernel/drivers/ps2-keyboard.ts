/**
 * Driver for the PS/2 keyboard: scan codes in, key events out.
 *
 * Models: the keyboard half of the 8042 controller (IBM PS/2 Hardware
 * Interface Technical Reference, "Keyboard/Auxiliary Device Controller") and
 * scan code set 1 (Microsoft "Keyboard Scan Code Specification", rev. 1.3a,
 * Appendix C), which is what the 8042 delivers to the CPU with translation
 * on, as the firmware leaves it.
 *
 * A keyboard knows nothing of characters. Each key sends a "make" code when
 * pressed and a "break" code (the make code with bit 7 set) when released;
 * keys added with the 101-key keyboard (arrows, right Ctrl/Alt, Insert …)
 * send an 0xE0 prefix first, Pause sends a fixed six-byte sequence starting
 * 0xE1. Everything else is the driver's job: remembering which modifiers are
 * held, toggling Caps Lock and Num Lock, and mapping key plus modifiers to a
 * character through a layout (US English here). Key names are the W3C UI
 * Events `KeyboardEvent.code` values ("KeyA", "ArrowUp"), which name physical
 * keys as scan codes do.
 *
 * The decoder is a small state machine fed one byte per IRQ 1, kept apart
 * from the port access so that it can be tested on byte sequences alone.
 */
import type { MachineInterface } from '../../emu/machine-interface';

export const PS2_DATA_PORT = 0x60;
export const PS2_STATUS_PORT = 0x64;
export const PS2_STATUS_OUTPUT_FULL = 0x01;
/** The byte in the output buffer came from the auxiliary device (the mouse). */
export const PS2_STATUS_AUX_DATA = 0x20;
export const KEYBOARD_IRQ = 1;

export const SCANCODE_EXTENDED_PREFIX = 0xe0;
export const SCANCODE_PAUSE_PREFIX = 0xe1;
export const SCANCODE_BREAK_BIT = 0x80;
/** Bytes of the Pause sequence after its 0xE1: 1D 45 E1 9D C5. */
const PAUSE_SEQUENCE_REST = 5;
/** 0xE0 0x2A / 0xE0 0x36: the "fake shifts" the keyboard wraps around some keys; not keys. */
const FAKE_SHIFT_CODES = [0x2a, 0x36];

export interface KeyEvent {
  /** The physical key, as a W3C `KeyboardEvent.code` name: 'KeyA', 'Enter', 'ArrowLeft'. */
  readonly key: string;
  readonly pressed: boolean;
  /**
   * The character typed, for presses of keys that type one: with Shift and
   * Caps Lock applied, Ctrl+letter as its control code (Ctrl+C = '\x03').
   */
  readonly char: string | null;
  readonly shift: boolean;
  readonly ctrl: boolean;
  readonly alt: boolean;
}

/** [make code, key name, character, character with Shift]. */
type KeyRow = readonly [number, string, string?, string?];

/** Keys with one-byte codes, US layout. */
const MAIN_KEYS: readonly KeyRow[] = [
  [0x01, 'Escape'],
  [0x02, 'Digit1', '1', '!'],
  [0x03, 'Digit2', '2', '@'],
  [0x04, 'Digit3', '3', '#'],
  [0x05, 'Digit4', '4', '$'],
  [0x06, 'Digit5', '5', '%'],
  [0x07, 'Digit6', '6', '^'],
  [0x08, 'Digit7', '7', '&'],
  [0x09, 'Digit8', '8', '*'],
  [0x0a, 'Digit9', '9', '('],
  [0x0b, 'Digit0', '0', ')'],
  [0x0c, 'Minus', '-', '_'],
  [0x0d, 'Equal', '=', '+'],
  [0x0e, 'Backspace', '\b', '\b'],
  [0x0f, 'Tab', '\t', '\t'],
  [0x10, 'KeyQ', 'q', 'Q'],
  [0x11, 'KeyW', 'w', 'W'],
  [0x12, 'KeyE', 'e', 'E'],
  [0x13, 'KeyR', 'r', 'R'],
  [0x14, 'KeyT', 't', 'T'],
  [0x15, 'KeyY', 'y', 'Y'],
  [0x16, 'KeyU', 'u', 'U'],
  [0x17, 'KeyI', 'i', 'I'],
  [0x18, 'KeyO', 'o', 'O'],
  [0x19, 'KeyP', 'p', 'P'],
  [0x1a, 'BracketLeft', '[', '{'],
  [0x1b, 'BracketRight', ']', '}'],
  [0x1c, 'Enter', '\n', '\n'],
  [0x1d, 'ControlLeft'],
  [0x1e, 'KeyA', 'a', 'A'],
  [0x1f, 'KeyS', 's', 'S'],
  [0x20, 'KeyD', 'd', 'D'],
  [0x21, 'KeyF', 'f', 'F'],
  [0x22, 'KeyG', 'g', 'G'],
  [0x23, 'KeyH', 'h', 'H'],
  [0x24, 'KeyJ', 'j', 'J'],
  [0x25, 'KeyK', 'k', 'K'],
  [0x26, 'KeyL', 'l', 'L'],
  [0x27, 'Semicolon', ';', ':'],
  [0x28, 'Quote', "'", '"'],
  [0x29, 'Backquote', '`', '~'],
  [0x2a, 'ShiftLeft'],
  [0x2b, 'Backslash', '\\', '|'],
  [0x2c, 'KeyZ', 'z', 'Z'],
  [0x2d, 'KeyX', 'x', 'X'],
  [0x2e, 'KeyC', 'c', 'C'],
  [0x2f, 'KeyV', 'v', 'V'],
  [0x30, 'KeyB', 'b', 'B'],
  [0x31, 'KeyN', 'n', 'N'],
  [0x32, 'KeyM', 'm', 'M'],
  [0x33, 'Comma', ',', '<'],
  [0x34, 'Period', '.', '>'],
  [0x35, 'Slash', '/', '?'],
  [0x36, 'ShiftRight'],
  [0x37, 'NumpadMultiply', '*', '*'],
  [0x38, 'AltLeft'],
  [0x39, 'Space', ' ', ' '],
  [0x3a, 'CapsLock'],
  [0x3b, 'F1'],
  [0x3c, 'F2'],
  [0x3d, 'F3'],
  [0x3e, 'F4'],
  [0x3f, 'F5'],
  [0x40, 'F6'],
  [0x41, 'F7'],
  [0x42, 'F8'],
  [0x43, 'F9'],
  [0x44, 'F10'],
  [0x45, 'NumLock'],
  [0x46, 'ScrollLock'],
  [0x47, 'Numpad7', '7'],
  [0x48, 'Numpad8', '8'],
  [0x49, 'Numpad9', '9'],
  [0x4a, 'NumpadSubtract', '-', '-'],
  [0x4b, 'Numpad4', '4'],
  [0x4c, 'Numpad5', '5'],
  [0x4d, 'Numpad6', '6'],
  [0x4e, 'NumpadAdd', '+', '+'],
  [0x4f, 'Numpad1', '1'],
  [0x50, 'Numpad2', '2'],
  [0x51, 'Numpad3', '3'],
  [0x52, 'Numpad0', '0'],
  [0x53, 'NumpadDecimal', '.'],
  [0x56, 'IntlBackslash', '\\', '|'],
  [0x57, 'F11'],
  [0x58, 'F12'],
];

/** Keys that send 0xE0 before their code. */
const EXTENDED_KEYS: readonly KeyRow[] = [
  [0x1c, 'NumpadEnter', '\n', '\n'],
  [0x1d, 'ControlRight'],
  [0x35, 'NumpadDivide', '/', '/'],
  [0x37, 'PrintScreen'],
  [0x38, 'AltRight'],
  [0x47, 'Home'],
  [0x48, 'ArrowUp'],
  [0x49, 'PageUp'],
  [0x4b, 'ArrowLeft'],
  [0x4d, 'ArrowRight'],
  [0x4f, 'End'],
  [0x50, 'ArrowDown'],
  [0x51, 'PageDown'],
  [0x52, 'Insert'],
  [0x53, 'Delete'],
  [0x5b, 'MetaLeft'],
  [0x5c, 'MetaRight'],
  [0x5d, 'ContextMenu'],
];

function byMakeCode(rows: readonly KeyRow[]): Map<number, KeyRow> {
  return new Map(rows.map((row) => [row[0], row]));
}

const MAIN_BY_CODE = byMakeCode(MAIN_KEYS);
const EXTENDED_BY_CODE = byMakeCode(EXTENDED_KEYS);

/** Numpad keys that type their digit only with Num Lock on (without, they are cursor keys). */
const NUM_LOCK_KEYS = new Set([
  'Numpad0',
  'Numpad1',
  'Numpad2',
  'Numpad3',
  'Numpad4',
  'Numpad5',
  'Numpad6',
  'Numpad7',
  'Numpad8',
  'Numpad9',
  'NumpadDecimal',
]);

/** Scan code set 1 bytes → key events, one byte at a time. */
export class ScanCodeSet1Decoder {
  /** Modifier keys held down now, by name (left and right apart). */
  private readonly held = new Set<string>();
  capsLock = false;
  numLock = false;
  private afterExtendedPrefix = false;
  private pauseBytesLeft = 0;

  get shift(): boolean {
    return this.held.has('ShiftLeft') || this.held.has('ShiftRight');
  }
  get ctrl(): boolean {
    return this.held.has('ControlLeft') || this.held.has('ControlRight');
  }
  get alt(): boolean {
    return this.held.has('AltLeft') || this.held.has('AltRight');
  }

  /** One byte from the keyboard; returns the key event it completes, if any. */
  feed(byte: number): KeyEvent | null {
    if (this.pauseBytesLeft > 0)
      return --this.pauseBytesLeft === 0 ? this.event('Pause', true) : null;
    if (byte === SCANCODE_PAUSE_PREFIX) {
      this.pauseBytesLeft = PAUSE_SEQUENCE_REST;
      return null;
    }
    if (byte === SCANCODE_EXTENDED_PREFIX) {
      this.afterExtendedPrefix = true;
      return null;
    }
    const extended = this.afterExtendedPrefix;
    this.afterExtendedPrefix = false;
    const pressed = (byte & SCANCODE_BREAK_BIT) === 0;
    const makeCode = byte & ~SCANCODE_BREAK_BIT;
    if (extended && FAKE_SHIFT_CODES.includes(makeCode)) return null;
    const row = (extended ? EXTENDED_BY_CODE : MAIN_BY_CODE).get(makeCode);
    if (!row) return null; // a code this layout does not know (or an ACK, 0xFA): ignored
    const [, key, plain, shifted] = row;
    this.trackLocksAndModifiers(key, pressed);
    return this.event(key, pressed, plain, shifted);
  }

  private trackLocksAndModifiers(key: string, pressed: boolean): void {
    if (key.startsWith('Shift') || key.startsWith('Control') || key.startsWith('Alt')) {
      if (pressed) this.held.add(key);
      else this.held.delete(key);
    } else if (pressed && key === 'CapsLock') {
      this.capsLock = !this.capsLock;
    } else if (pressed && key === 'NumLock') {
      this.numLock = !this.numLock;
    }
  }

  private event(key: string, pressed: boolean, plain?: string, shifted?: string): KeyEvent {
    const char = pressed ? this.character(key, plain, shifted) : null;
    return { key, pressed, char, shift: this.shift, ctrl: this.ctrl, alt: this.alt };
  }

  private character(key: string, plain?: string, shifted?: string): string | null {
    if (plain === undefined) return null;
    if (NUM_LOCK_KEYS.has(key)) return this.numLock ? plain : null;
    const isLetter = key.startsWith('Key');
    if (isLetter && this.ctrl) return String.fromCharCode(plain.charCodeAt(0) & 0x1f);
    const useShifted = isLetter ? this.shift !== this.capsLock : this.shift;
    return useShifted ? (shifted ?? plain) : plain;
  }
}

/** The keyboard on the 8042's first port, read on IRQ 1. */
export class Ps2Keyboard {
  readonly decoder = new ScanCodeSet1Decoder();

  constructor(private readonly cpu: MachineInterface) {}

  /**
   * The IRQ 1 handler's work: read the byte waiting in the controller and
   * decode it. Returns null when the byte completes no event, or when the
   * output buffer is empty or holds the mouse's byte (left for IRQ 12).
   */
  handleInterrupt(): KeyEvent | null {
    const status = this.cpu.inb(PS2_STATUS_PORT);
    if (!(status & PS2_STATUS_OUTPUT_FULL) || status & PS2_STATUS_AUX_DATA) return null;
    return this.decoder.feed(this.cpu.inb(PS2_DATA_PORT));
  }
}
