import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  GuiInputError,
  keyChord,
  PointerState,
  typedKeys,
} from '../../../src/runtime/host/gui-input';
import { encodePng } from '../../../src/runtime/host/png-encoder';

describe('desktop input specs', () => {
  it('turns a chord into presses and releases, modifiers around the key', () => {
    expect(
      keyChord('ctrl+s').map((e) => e.kind === 'key' && `${e.code}${e.pressed ? '+' : '-'}`),
    ).toEqual(['ControlLeft+', 'KeyS+', 'KeyS-', 'ControlLeft-']);
    expect(() => keyChord('hyper+s')).toThrow(GuiInputError);
    expect(() => keyChord('nosuchkey')).toThrow(GuiInputError);
  });

  it('types text with Shift where the US layout needs it', () => {
    const codes = typedKeys('A!').filter((e) => e.kind === 'key' && e.pressed);
    expect(codes.map((e) => e.kind === 'key' && e.code)).toEqual([
      'ShiftLeft',
      'KeyA',
      'ShiftLeft',
      'Digit1',
    ]);
  });

  it('turns positions into relative moves and tracks the buttons', () => {
    const pointer = new PointerState();
    expect(pointer.inputs('move 100 50')).toEqual([{ kind: 'mouse', dx: 100, dy: 50, buttons: 0 }]);
    expect(pointer.inputs('down left')).toEqual([{ kind: 'mouse', dx: 0, dy: 0, buttons: 1 }]);
    expect(pointer.inputs('move 90 60')).toEqual([{ kind: 'mouse', dx: -10, dy: 10, buttons: 1 }]);
    expect(pointer.inputs('up left')[0]).toMatchObject({ buttons: 0 });
    expect(() => pointer.inputs('move -1 2')).toThrow(GuiInputError);
  });
});

describe('the PNG encoder', () => {
  it('writes a signature, IHDR, a zlib IDAT of filtered rows, IEND', () => {
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255]);
    const png = encodePng(2, 2, rgba);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([2, 2]);
    const idatLength = view.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...rows]).toEqual([0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
    expect(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
    expect(() => encodePng(2, 2, rgba.subarray(4))).toThrow(RangeError);
  });
});
