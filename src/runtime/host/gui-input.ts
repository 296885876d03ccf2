/**
 * Keyboard and mouse input for the desktop, written as text: what
 * `cotton boot --key/--keys/--mouse` and the recording scripts' `key`, `keys`
 * and `mouse` steps say, turned into the machine's PS/2 inputs.
 *
 *   key ctrl+s          press Ctrl, press S, release both (modifiers: ctrl, shift, alt)
 *   key Enter           a key by name (Enter, Escape, Tab, Backspace, Delete, Space,
 *                       Up/Down/Left/Right, Home, End, PageUp, PageDown, F1…F12),
 *                       a letter or digit, or a KeyboardEvent.code ("KeyA", "ArrowLeft")
 *   keys Hello, world   type the text on the keyboard (US layout; Shift where needed)
 *   mouse move 100 200  move the pointer to (100, 200)
 *   mouse down left     press a button (left, right, middle)
 *   mouse up left       release it
 *   mouse click 100 200 move there, press and release the left button
 *
 * A PS/2 mouse reports movement, not positions, so the host keeps the
 * position it has moved the pointer to. The desktop starts its pointer at
 * (0, 0) and keeps it on screen, and so must the positions given here for
 * the two to agree.
 */
import type { MachineInput } from './input-log';

export class GuiInputError extends Error {
  override readonly name = 'GuiInputError';
}

const BUTTONS: Readonly<Record<string, number>> = { left: 1, right: 2, middle: 4 };
const MODIFIERS: Readonly<Record<string, string>> = {
  ctrl: 'ControlLeft',
  shift: 'ShiftLeft',
  alt: 'AltLeft',
};
const NAMED_KEYS: Readonly<Record<string, string>> = {
  enter: 'Enter',
  return: 'Enter',
  escape: 'Escape',
  esc: 'Escape',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  space: 'Space',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
};
/** US layout punctuation: character → [code, with Shift]. */
const PUNCTUATION: Readonly<Record<string, readonly [string, boolean]>> = {
  ' ': ['Space', false],
  '\n': ['Enter', false],
  '\t': ['Tab', false],
  '-': ['Minus', false],
  _: ['Minus', true],
  '=': ['Equal', false],
  '+': ['Equal', true],
  '[': ['BracketLeft', false],
  '{': ['BracketLeft', true],
  ']': ['BracketRight', false],
  '}': ['BracketRight', true],
  ';': ['Semicolon', false],
  ':': ['Semicolon', true],
  "'": ['Quote', false],
  '"': ['Quote', true],
  '`': ['Backquote', false],
  '~': ['Backquote', true],
  '\\': ['Backslash', false],
  '|': ['Backslash', true],
  ',': ['Comma', false],
  '<': ['Comma', true],
  '.': ['Period', false],
  '>': ['Period', true],
  '/': ['Slash', false],
  '?': ['Slash', true],
};
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** "s" → "KeyS", "enter" → "Enter", "F5" → "F5", "KeyA" as it is. */
export function keyCode(name: string): string {
  const lower = name.toLowerCase();
  if (/^[a-z]$/.test(lower)) return `Key${lower.toUpperCase()}`;
  if (/^[0-9]$/.test(name)) return `Digit${name}`;
  if (/^f([1-9]|1[0-2])$/.test(lower)) return lower.toUpperCase();
  const named = NAMED_KEYS[lower];
  if (named) return named;
  if (/^(Key[A-Z]|Digit[0-9]|Arrow(Up|Down|Left|Right)|[A-Z][A-Za-z]+)$/.test(name)) return name;
  throw new GuiInputError(`unknown key '${name}'`);
}

/** Press and release: "ctrl+shift+s" → Ctrl and Shift down, S down and up, then Shift and Ctrl up. */
export function keyChord(spec: string): MachineInput[] {
  const parts = spec.split('+').filter((part) => part.length > 0);
  if (parts.length === 0) throw new GuiInputError(`empty key '${spec}'`);
  const key = keyCode(parts[parts.length - 1]!);
  const modifiers = parts.slice(0, -1).map((part) => {
    const code = MODIFIERS[part.toLowerCase()];
    if (!code) throw new GuiInputError(`unknown modifier '${part}' in '${spec}'`);
    return code;
  });
  const press = (code: string, pressed: boolean): MachineInput => ({ kind: 'key', code, pressed });
  return [
    ...modifiers.map((code) => press(code, true)),
    press(key, true),
    press(key, false),
    ...modifiers.reverse().map((code) => press(code, false)),
  ];
}

/** Type `text` on the keyboard, character by character. */
export function typedKeys(text: string): MachineInput[] {
  return [...text].flatMap((char) => {
    const [code, shift] = characterKey(char);
    return keyChord(shift ? `shift+${code}` : code);
  });
}

function characterKey(char: string): readonly [string, boolean] {
  if (/^[a-z]$/.test(char)) return [`Key${char.toUpperCase()}`, false];
  if (/^[A-Z]$/.test(char)) return [`Key${char}`, true];
  if (/^[0-9]$/.test(char)) return [`Digit${char}`, false];
  const digit = SHIFTED_DIGITS.indexOf(char);
  if (digit >= 0) return [`Digit${digit}`, true];
  const punctuation = PUNCTUATION[char];
  if (punctuation) return punctuation;
  throw new GuiInputError(`no key types '${char}' on a US keyboard`);
}

/** The host's side of the pointer: where it has moved it, and the buttons it holds. */
export class PointerState {
  x = 0;
  y = 0;
  buttons = 0;

  /** The inputs for a `mouse` spec: "move X Y", "down BUTTON", "up BUTTON", "click X Y". */
  inputs(spec: string): MachineInput[] {
    const [verb, ...args] = spec.trim().split(/\s+/);
    switch (verb) {
      case 'move':
        return [this.moveTo(...this.position(spec, args))];
      case 'down':
      case 'up': {
        const button = BUTTONS[args[0] ?? 'left'];
        if (button === undefined || args.length > 1)
          throw new GuiInputError(`mouse ${verb}: unknown button in '${spec}'`);
        this.buttons = verb === 'down' ? this.buttons | button : this.buttons & ~button;
        return [this.report(0, 0)];
      }
      case 'click': {
        const moved = this.moveTo(...this.position(spec, args));
        this.buttons |= BUTTONS.left!;
        const down = this.report(0, 0);
        this.buttons &= ~BUTTONS.left!;
        return [moved, down, this.report(0, 0)];
      }
      default:
        throw new GuiInputError(`mouse: expected move, down, up or click, not '${spec}'`);
    }
  }

  private position(spec: string, args: string[]): [number, number] {
    const numbers = args.map(Number);
    if (numbers.length !== 2 || numbers.some((n) => !Number.isInteger(n) || n < 0))
      throw new GuiInputError(`mouse: expected two pixel coordinates in '${spec}'`);
    return [numbers[0]!, numbers[1]!];
  }

  private moveTo(x: number, y: number): MachineInput {
    const input = this.report(x - this.x, y - this.y);
    this.x = x;
    this.y = y;
    return input;
  }

  private report(dx: number, dy: number): MachineInput {
    return { kind: 'mouse', dx, dy, buttons: this.buttons };
  }
}
