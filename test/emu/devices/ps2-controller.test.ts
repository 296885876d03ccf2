import { describe, expect, it } from 'vitest';
import { IoBus } from '../../../src/emu/io-bus';
import { Ps2Controller } from '../../../src/emu/ps2-controller';

const DATA = 0x60;
const STATUS = 0x64;
const COMMAND = 0x64;
const OUTPUT_FULL = 0x01;
const AUX_DATA = 0x20;

function setup() {
  const edges = { irq1: 0, irq12: 0, resets: 0 };
  const lines = { irq1: false, irq12: false };
  const controller = new Ps2Controller(
    (high) => {
      if (high && !lines.irq1) edges.irq1++;
      lines.irq1 = high;
    },
    (high) => {
      if (high && !lines.irq12) edges.irq12++;
      lines.irq12 = high;
    },
    () => edges.resets++,
  );
  const io = new IoBus();
  io.attach(controller, DATA);
  io.attach(controller, STATUS);
  /** Read everything waiting in the output buffer, as a driver's poll loop does. */
  const drain = (): number[] => {
    const bytes: number[] = [];
    while (io.in8(STATUS) & OUTPUT_FULL) bytes.push(io.in8(DATA));
    return bytes;
  };
  const controllerCommand = (command: number, data?: number): void => {
    io.out8(COMMAND, command);
    if (data !== undefined) io.out8(DATA, data);
  };
  return { controller, io, edges, lines, drain, controllerCommand };
}

/** The OSDev-style initialisation: disable ports, flush, config, self test, enable, reset devices. */
function initialise(s: ReturnType<typeof setup>): void {
  s.controllerCommand(0xad);
  s.controllerCommand(0xa7);
  s.drain();
  s.controllerCommand(0x20);
  const config = s.drain()[0]!;
  s.controllerCommand(0x60, (config | 0x03) & ~0x30); // both interrupts, both clocks, translation kept
  s.controllerCommand(0xae);
  s.controllerCommand(0xa8);
}

describe('8042 PS/2 controller', () => {
  it('reads and writes the configuration byte', () => {
    const s = setup();
    s.controllerCommand(0x20);
    expect(s.drain()).toEqual([0x65]);
    s.controllerCommand(0x60, 0x47);
    s.controllerCommand(0x20);
    expect(s.drain()).toEqual([0x47]);
    expect(s.io.in8(STATUS) & 0x04).toBe(0x04);
  });

  it('passes its self test (0xAA → 0x55) and port tests (→ 0x00)', () => {
    const s = setup();
    s.controllerCommand(0xaa);
    expect(s.drain()).toEqual([0x55]);
    s.controllerCommand(0xab);
    s.controllerCommand(0xa9);
    expect(s.drain()).toEqual([0x00, 0x00]);
  });

  it('resets the keyboard: 0xFF → 0xFA 0xAA, and identifies it', () => {
    const s = setup();
    initialise(s);
    s.io.out8(DATA, 0xff);
    expect(s.drain()).toEqual([0xfa, 0xaa]);
    s.io.out8(DATA, 0xf2);
    expect(s.drain()).toEqual([0xfa, 0xab, 0x41]);
    s.io.out8(DATA, 0xed);
    s.io.out8(DATA, 0x02);
    expect(s.drain()).toEqual([0xfa, 0xfa]);
    expect(s.controller.keyboard.leds).toBe(2);
  });

  it('sends set 1 make and break codes, 0xE0-prefixed for extended keys, one IRQ1 per byte', () => {
    const s = setup();
    initialise(s);
    const before = s.edges.irq1;
    s.controller.keyEvent('KeyA', true);
    s.controller.keyEvent('KeyA', false);
    s.controller.keyEvent('ArrowUp', true);
    s.controller.keyEvent('ArrowUp', false);
    s.controller.keyEvent('ControlRight', true);
    expect(s.lines.irq1).toBe(true);
    expect(s.drain()).toEqual([0x1e, 0x9e, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x1d]);
    expect(s.edges.irq1 - before).toBe(8);
    expect(s.lines.irq1).toBe(false);
  });

  it('sends the long sequences of Print Screen and Pause, and drops unknown keys', () => {
    const s = setup();
    s.controller.keyEvent('PrintScreen', true);
    s.controller.keyEvent('PrintScreen', false);
    s.controller.keyEvent('Pause', true);
    s.controller.keyEvent('Pause', false);
    s.controller.keyEvent('NoSuchKey', true);
    expect(s.drain()).toEqual([
      0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,
    ]);
  });

  it('holds keyboard bytes while the keyboard port is disabled', () => {
    const s = setup();
    s.controllerCommand(0xad);
    s.controller.keyEvent('KeyB', true);
    expect(s.io.in8(STATUS) & OUTPUT_FULL).toBe(0);
    s.controllerCommand(0xae);
    expect(s.drain()).toEqual([0x30]);
  });

  it('enables the mouse through 0xD4 and delivers 3-byte packets on IRQ12 with AUXB set', () => {
    const s = setup();
    initialise(s);
    s.controllerCommand(0xd4, 0xff);
    expect(s.drain()).toEqual([0xfa, 0xaa, 0x00]);
    s.controllerCommand(0xd4, 0xf6);
    s.controllerCommand(0xd4, 0xf4);
    expect(s.drain()).toEqual([0xfa, 0xfa]);
    s.controller.mouseEvent(5, 3, 0x01); // right 5, down 3, left button held
    expect(s.lines.irq12).toBe(true);
    expect(s.io.in8(STATUS) & AUX_DATA).toBe(AUX_DATA);
    expect(s.drain()).toEqual([0x01 | 0x08 | 0x20, 5, 0xfd]);
    expect(s.edges.irq12).toBe(8); // every mouse byte, replies included
  });

  it('splits large moves into packets of at most 255 counts', () => {
    const s = setup();
    initialise(s);
    s.controllerCommand(0xd4, 0xf4);
    s.drain();
    s.controller.mouseEvent(-300, 0, 0);
    expect(s.drain()).toEqual([0x18, 0x01, 0x00, 0x18, 0xd3, 0x00]);
  });

  it('sends no packets before the driver enables reporting', () => {
    const s = setup();
    initialise(s);
    s.controller.mouseEvent(1, 1, 0);
    expect(s.drain()).toEqual([]);
  });

  it('pulses the CPU reset line on 0xFE', () => {
    const s = setup();
    s.controllerCommand(0xfe);
    expect(s.edges.resets).toBe(1);
  });
});
