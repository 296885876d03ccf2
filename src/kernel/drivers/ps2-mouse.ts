/**
 * Driver for the PS/2 mouse on the 8042's auxiliary port.
 *
 * Models: IBM PS/2 Hardware Interface Technical Reference, "Keyboard/Auxiliary
 * Device Controller" (commands 0xA8, 0x20/0x60, 0xD4) and the pointing device
 * chapter (commands 0xF6, 0xF4, the 3-byte data report).
 *
 * The firmware leaves the auxiliary port off. Bringing the mouse up takes
 * three steps: enable the port (0xA8); talk to the mouse itself, which the
 * controller allows one byte at a time by prefixing each with command 0xD4
 * (0xF6 "set defaults", then 0xF4 "enable data reporting", each answered with
 * ACK 0xFA); and set bit 1 of the controller's configuration byte so that the
 * mouse's bytes raise IRQ 12.
 *
 * From then on the mouse sends a 3-byte packet whenever it moves or a button
 * changes:
 *
 *   byte 0  bit 7 Y overflow, bit 6 X overflow, bit 5 Y sign, bit 4 X sign,
 *           bit 3 always 1, bit 2 middle, bit 1 right, bit 0 left button
 *   byte 1  X movement, low 8 bits (the sign bit in byte 0 makes it 9-bit)
 *   byte 2  Y movement, low 8 bits, positive = up
 *
 * Bytes arrive one interrupt at a time, and nothing in a byte says where it
 * sits in a packet. If one is lost the driver would read every later packet
 * shifted by a byte, so it only starts a packet on a byte with bit 3 set: a
 * shifted stream soon offers a first byte with bit 3 clear, is dropped byte by
 * byte and falls back into step (the resynchronisation Linux's psmouse does).
 */
import type { MachineInterface } from '../../emu/machine-interface';
import {
  PS2_DATA_PORT,
  PS2_STATUS_AUX_DATA,
  PS2_STATUS_OUTPUT_FULL,
  PS2_STATUS_PORT,
} from './ps2-keyboard';

export const MOUSE_IRQ = 12;

/** Writes to the status port are controller commands. */
const PS2_COMMAND_PORT = PS2_STATUS_PORT;
const PS2_STATUS_INPUT_FULL = 0x02;

const CTRL_READ_CONFIG = 0x20;
const CTRL_WRITE_CONFIG = 0x60;
const CTRL_ENABLE_AUX_PORT = 0xa8;
const CTRL_DISABLE_KEYBOARD_PORT = 0xad;
const CTRL_ENABLE_KEYBOARD_PORT = 0xae;
const CTRL_WRITE_TO_AUX = 0xd4;

const CONFIG_AUX_IRQ = 0x02;
const CONFIG_AUX_CLOCK_DISABLED = 0x20;

const MOUSE_SET_DEFAULTS = 0xf6;
const MOUSE_ENABLE_REPORTING = 0xf4;
const MOUSE_ACK = 0xfa;

export const MOUSE_BUTTON_LEFT = 0x01;
export const MOUSE_BUTTON_RIGHT = 0x02;
export const MOUSE_BUTTON_MIDDLE = 0x04;
const PACKET_BUTTONS = 0x07;
const PACKET_ALWAYS_ONE = 0x08;
const PACKET_X_SIGN = 0x10;
const PACKET_Y_SIGN = 0x20;
const PACKET_X_OVERFLOW = 0x40;
const PACKET_Y_OVERFLOW = 0x80;
const PACKET_SIZE = 3;

/** Status polls before the driver gives up on the controller (each is one 1 µs I/O cycle). */
const POLL_LIMIT = 10_000;
/** Stale bytes read and dropped before the mouse is set up. */
const FLUSH_LIMIT = 64;

export class Ps2MouseError extends Error {
  override readonly name = 'Ps2MouseError';
}

/** One report: movement in screen directions (x right, y down) and the buttons held. */
export interface MousePacket {
  readonly dx: number;
  readonly dy: number;
  /** MOUSE_BUTTON_LEFT | MOUSE_BUTTON_RIGHT | MOUSE_BUTTON_MIDDLE. */
  readonly buttons: number;
}

/** A 9-bit two's complement value: the low 8 bits from the packet, the sign from byte 0. */
function signed9(low: number, negative: boolean): number {
  return negative ? low - 0x100 : low;
}

/**
 * Decode a 3-byte packet. An axis that overflowed carries no usable movement
 * and counts as 0; the buttons are still right.
 */
export function decodeMousePacket(flags: number, xByte: number, yByte: number): MousePacket {
  const dx = flags & PACKET_X_OVERFLOW ? 0 : signed9(xByte, (flags & PACKET_X_SIGN) !== 0);
  const up = flags & PACKET_Y_OVERFLOW ? 0 : signed9(yByte, (flags & PACKET_Y_SIGN) !== 0);
  return { dx, dy: -up, buttons: flags & PACKET_BUTTONS };
}

/** Mouse bytes → packets, staying in step with the packet boundaries. */
export class MousePacketDecoder {
  private bytes: number[] = [];

  feed(byte: number): MousePacket | null {
    const startsPacket = this.bytes.length === 0;
    if (startsPacket && !(byte & PACKET_ALWAYS_ONE)) return null; // not a first byte: out of step
    this.bytes.push(byte);
    if (this.bytes.length < PACKET_SIZE) return null;
    const [flags, xByte, yByte] = this.bytes as [number, number, number];
    this.bytes = [];
    return decodeMousePacket(flags, xByte, yByte);
  }
}

export class Ps2Mouse {
  readonly decoder = new MousePacketDecoder();

  constructor(private readonly cpu: MachineInterface) {}

  /**
   * Enable the auxiliary port, set the mouse to its defaults, start data
   * reporting and route its bytes to IRQ 12. The keyboard port is held off
   * meanwhile, so that no key press is taken for the mouse's answers.
   */
  init(): void {
    this.controllerCommand(CTRL_DISABLE_KEYBOARD_PORT);
    this.flushOutput();
    this.controllerCommand(CTRL_ENABLE_AUX_PORT);
    this.sendToMouse(MOUSE_SET_DEFAULTS);
    this.sendToMouse(MOUSE_ENABLE_REPORTING);
    this.controllerCommand(CTRL_READ_CONFIG);
    const config = this.readData();
    this.controllerCommand(CTRL_WRITE_CONFIG);
    this.writeData((config | CONFIG_AUX_IRQ) & ~CONFIG_AUX_CLOCK_DISABLED);
    this.controllerCommand(CTRL_ENABLE_KEYBOARD_PORT);
  }

  /**
   * The IRQ 12 handler's work: read the mouse's byte and return the packet it
   * completes, if any. A byte that is not the mouse's is left for IRQ 1.
   */
  handleInterrupt(): MousePacket | null {
    const status = this.cpu.inb(PS2_STATUS_PORT);
    if (!(status & PS2_STATUS_OUTPUT_FULL) || !(status & PS2_STATUS_AUX_DATA)) return null;
    return this.decoder.feed(this.cpu.inb(PS2_DATA_PORT));
  }

  /** 0xD4 then the byte: the controller passes it to the mouse, which must ACK it. */
  private sendToMouse(byte: number): void {
    this.controllerCommand(CTRL_WRITE_TO_AUX);
    this.writeData(byte);
    const answer = this.readData();
    if (answer !== MOUSE_ACK) {
      throw new Ps2MouseError(
        `mouse answered 0x${answer.toString(16)} to command 0x${byte.toString(16)}`,
      );
    }
  }

  private controllerCommand(command: number): void {
    this.waitUntilInputEmpty();
    this.cpu.outb(PS2_COMMAND_PORT, command);
  }

  private writeData(byte: number): void {
    this.waitUntilInputEmpty();
    this.cpu.outb(PS2_DATA_PORT, byte);
  }

  private readData(): number {
    for (let poll = 0; poll < POLL_LIMIT; poll++) {
      if (this.cpu.inb(PS2_STATUS_PORT) & PS2_STATUS_OUTPUT_FULL)
        return this.cpu.inb(PS2_DATA_PORT);
    }
    throw new Ps2MouseError('no answer from the PS/2 controller');
  }

  private waitUntilInputEmpty(): void {
    for (let poll = 0; poll < POLL_LIMIT; poll++) {
      if (!(this.cpu.inb(PS2_STATUS_PORT) & PS2_STATUS_INPUT_FULL)) return;
    }
    throw new Ps2MouseError('the PS/2 controller does not take input');
  }

  private flushOutput(): void {
    for (
      let i = 0;
      i < FLUSH_LIMIT && this.cpu.inb(PS2_STATUS_PORT) & PS2_STATUS_OUTPUT_FULL;
      i++
    ) {
      this.cpu.inb(PS2_DATA_PORT);
    }
  }
}
