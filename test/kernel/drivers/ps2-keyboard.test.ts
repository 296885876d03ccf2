import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanCodeSet1 } from '../../../src/emu/ps2-scancodes';
import {
  Ps2Keyboard,
  ScanCodeSet1Decoder,
  type KeyEvent,
} from '../../../src/kernel/drivers/ps2-keyboard';
import { driverMachine } from './machine';

function decode(bytes: number[], decoder = new ScanCodeSet1Decoder()): KeyEvent[] {
  return bytes.flatMap((byte) => decoder.feed(byte) ?? []);
}

/** The characters typed by a byte sequence. */
function typed(bytes: number[], decoder = new ScanCodeSet1Decoder()): string {
  return decode(bytes, decoder)
    .map((e) => e.char ?? '')
    .join('');
}

const A = 0x1e;
const C = 0x2e;
const ONE = 0x02;
const LEFT_SHIFT = 0x2a;
const RIGHT_SHIFT = 0x36;
const CTRL = 0x1d;
const CAPS_LOCK = 0x3a;
const BREAK = 0x80;

describe('scan code set 1 decoder', () => {
  it('turns make and break codes into press and release events', () => {
    expect(decode([A, A | BREAK])).toEqual([
      { key: 'KeyA', pressed: true, char: 'a', shift: false, ctrl: false, alt: false },
      { key: 'KeyA', pressed: false, char: null, shift: false, ctrl: false, alt: false },
    ]);
  });

  it('applies Shift while either Shift key is held', () => {
    expect(typed([LEFT_SHIFT, A, ONE, LEFT_SHIFT | BREAK, A, ONE])).toBe('A!a1');
    expect(typed([LEFT_SHIFT, RIGHT_SHIFT, LEFT_SHIFT | BREAK, A, RIGHT_SHIFT | BREAK, A])).toBe(
      'Aa',
    );
  });

  it('toggles Caps Lock on each press; it shifts letters only, and Shift undoes it', () => {
    const decoder = new ScanCodeSet1Decoder();
    expect(typed([CAPS_LOCK, CAPS_LOCK | BREAK, A, ONE], decoder)).toBe('A1');
    expect(typed([LEFT_SHIFT, A, LEFT_SHIFT | BREAK], decoder)).toBe('a');
    expect(typed([CAPS_LOCK, CAPS_LOCK | BREAK, A], decoder)).toBe('a');
    expect(decoder.capsLock).toBe(false);
  });

  it('gives Ctrl+letter as its control code and reports the modifiers held', () => {
    const events = decode([CTRL, C, C | BREAK, CTRL | BREAK]);
    expect(events[1]).toMatchObject({ key: 'KeyC', char: '\x03', ctrl: true });
    expect(events[3]).toMatchObject({ key: 'ControlLeft', pressed: false, ctrl: false });
  });

  it('decodes 0xE0-prefixed keys: arrows, right Ctrl and Alt, the navigation block', () => {
    const events = decode([
      0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x1d, 0xe0, 0x4b, 0xe0, 0x9d, 0xe0, 0x38, 0xe0, 0x53,
    ]);
    expect(events.map((e) => [e.key, e.pressed])).toEqual([
      ['ArrowUp', true],
      ['ArrowUp', false],
      ['ControlRight', true],
      ['ArrowLeft', true],
      ['ControlRight', false],
      ['AltRight', true],
      ['Delete', true],
    ]);
    expect(events[3]).toMatchObject({ ctrl: true, char: null });
    expect(events[6]).toMatchObject({ alt: true, ctrl: false });
  });

  it('tells the numeric keypad keys apart from their main-block twins', () => {
    expect(decode([0xe0, 0x1c]).map((e) => [e.key, e.char])).toEqual([['NumpadEnter', '\n']]);
    expect(decode([0x1c]).map((e) => [e.key, e.char])).toEqual([['Enter', '\n']]);
  });

  it('types keypad digits only with Num Lock on', () => {
    const decoder = new ScanCodeSet1Decoder();
    expect(typed([0x47], decoder)).toBe('');
    expect(typed([0x45, 0xc5, 0x47], decoder)).toBe('7');
  });

  it('ignores the fake shifts around Print Screen and decodes Pause, which has no break', () => {
    expect(
      decode([0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa]).map((e) => [e.key, e.pressed]),
    ).toEqual([
      ['PrintScreen', true],
      ['PrintScreen', false],
    ]);
    const pause = decode([0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, A]);
    expect(pause.map((e) => [e.key, e.pressed])).toEqual([
      ['Pause', true],
      ['KeyA', true],
    ]);
    expect(pause[1]).toMatchObject({ ctrl: false }); // the 1D inside Pause is not a Ctrl press
  });

  it('ignores bytes that are no key (an ACK) and stays in step', () => {
    expect(typed([0xfa, A, 0x7f, A])).toBe('aa');
  });

  it("decodes every key the emulated keyboard sends back to the host's key name", () => {
    const source = readFileSync(
      new URL('../../../src/emu/ps2-scancodes.ts', import.meta.url),
      'utf8',
    );
    const codes = [...source.matchAll(/(\w+): 0x[0-9a-f]{2}/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      const decoder = new ScanCodeSet1Decoder();
      const down = decode(scanCodeSet1(code, true)!, decoder);
      const up = decode(scanCodeSet1(code, false)!, decoder);
      expect(
        [...down, ...up].map((e) => [e.key, e.pressed]),
        code,
      ).toEqual([
        [code, true],
        [code, false],
      ]);
    }
  });
});

describe('PS/2 keyboard driver on the emulated 8042', () => {
  it('reads one byte per interrupt and decodes what the keyboard sent', () => {
    const m = driverMachine();
    const keyboard = new Ps2Keyboard(m.cpu);
    for (const [code, pressed] of [
      ['ShiftLeft', true],
      ['KeyH', true],
      ['ShiftLeft', false],
      ['KeyI', true],
    ] as const) {
      m.ps2.keyEvent(code, pressed);
    }
    const chars: string[] = [];
    for (let irq = 0; irq < 10; irq++) {
      const event = keyboard.handleInterrupt();
      if (event?.char) chars.push(event.char);
    }
    expect(chars.join('')).toBe('Hi');
    expect(m.irqEdges.keyboard).toBe(4); // one interrupt per byte
  });

  it('leaves a mouse byte in the controller for the mouse driver', () => {
    const m = driverMachine();
    m.cpu.outb(0x64, 0xd4); // to the mouse:
    m.cpu.outb(0x60, 0xf4); // "enable reporting", answered with ACK from the mouse
    const keyboard = new Ps2Keyboard(m.cpu);
    expect(keyboard.handleInterrupt()).toBeNull();
    expect(m.cpu.inb(0x64) & 0x21).toBe(0x21); // still full, from the mouse
  });
});
