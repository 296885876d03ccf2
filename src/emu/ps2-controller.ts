/**
 * The Intel 8042 keyboard controller ("PS/2 controller") of a PC/AT, with a
 * keyboard on its first port and a mouse on its auxiliary port.
 *
 * Registers and commands as in the IBM PS/2 Hardware Interface Technical
 * Reference ("Keyboard/Auxiliary Device Controller"): the data port 0x60, the
 * status register (read) and command register (write) at 0x64, the
 * controller configuration byte ("command byte": interrupt enables, port
 * clocks, system flag, translation), self tests 0xAA/0xAB/0xA9, port enable
 * and disable, 0xD4 to send the next data byte to the mouse, 0xD2/0xD3 to
 * echo bytes as if a device sent them, and the output port (0xD0/0xD1, 0xFE
 * pulses the CPU reset line).
 *
 * One output buffer holds the byte the CPU reads next; AUXB in the status
 * says it came from the mouse. While it is full and the configuration byte
 * allows, IRQ1 (keyboard) or IRQ12 (mouse) is held high; reading port 0x60
 * lowers it and loads the next waiting byte, which raises it again: one
 * edge per byte for the edge-triggered PIC. The controller's own replies come
 * first, then the keyboard's bytes, then the mouse's, each only while its port
 * is enabled. There is no timing: bytes are ready as soon as they exist.
 */
import type { DeviceState } from './device-state';
import type { PortDevice } from './io-bus';
import { Ps2Keyboard, Ps2Mouse, type Ps2Device } from './ps2-devices';

export const PS2_DATA = 0x60;
export const PS2_STATUS_COMMAND = 0x64;

export const PS2_STATUS_OUTPUT_FULL = 0x01;
export const PS2_STATUS_INPUT_FULL = 0x02;
export const PS2_STATUS_SYSTEM = 0x04;
export const PS2_STATUS_COMMAND_WRITTEN = 0x08;
export const PS2_STATUS_NOT_INHIBITED = 0x10;
export const PS2_STATUS_AUX_DATA = 0x20;

export const PS2_CONFIG_KEYBOARD_IRQ = 0x01;
export const PS2_CONFIG_MOUSE_IRQ = 0x02;
export const PS2_CONFIG_SYSTEM = 0x04;
export const PS2_CONFIG_KEYBOARD_DISABLED = 0x10;
export const PS2_CONFIG_MOUSE_DISABLED = 0x20;
export const PS2_CONFIG_TRANSLATION = 0x40;

export const PS2_CTRL_READ_CONFIG = 0x20;
export const PS2_CTRL_WRITE_CONFIG = 0x60;
export const PS2_CTRL_DISABLE_MOUSE = 0xa7;
export const PS2_CTRL_ENABLE_MOUSE = 0xa8;
export const PS2_CTRL_TEST_MOUSE_PORT = 0xa9;
export const PS2_CTRL_SELF_TEST = 0xaa;
export const PS2_CTRL_TEST_KEYBOARD_PORT = 0xab;
export const PS2_CTRL_DISABLE_KEYBOARD = 0xad;
export const PS2_CTRL_ENABLE_KEYBOARD = 0xae;
export const PS2_CTRL_READ_OUTPUT_PORT = 0xd0;
export const PS2_CTRL_WRITE_OUTPUT_PORT = 0xd1;
export const PS2_CTRL_WRITE_KEYBOARD_OUTPUT = 0xd2;
export const PS2_CTRL_WRITE_MOUSE_OUTPUT = 0xd3;
export const PS2_CTRL_WRITE_MOUSE = 0xd4;
export const PS2_CTRL_PULSE_RESET = 0xfe;

export const PS2_SELF_TEST_OK = 0x55;
export const PS2_PORT_TEST_OK = 0x00;
const OUTPUT_PORT_RESET_HIGH = 0x01; // the CPU reset line is active low
const OUTPUT_PORT_A20 = 0x02;

/** What the BIOS leaves: keyboard interrupt on, mouse port off, system flag, translation on. */
const CONFIG_AT_BOOT =
  PS2_CONFIG_KEYBOARD_IRQ | PS2_CONFIG_SYSTEM | PS2_CONFIG_MOUSE_DISABLED | PS2_CONFIG_TRANSLATION;

type Source = 'controller' | 'keyboard' | 'mouse';

export class Ps2Controller implements PortDevice {
  readonly name = '8042 PS/2 controller';
  readonly keyboard = new Ps2Keyboard();
  readonly mouse = new Ps2Mouse();
  config = CONFIG_AT_BOOT;
  private outputPort = OUTPUT_PORT_RESET_HIGH | OUTPUT_PORT_A20;
  private readonly replies: { byte: number; aux: boolean }[] = [];
  private outputFull = false;
  private outputByte = 0;
  private outputFromMouse = false;
  private lastWriteWasCommand = false;
  /** A controller command waiting for its data byte on port 0x60. */
  private pendingCommand = 0;

  constructor(
    private readonly setKeyboardIrq: (high: boolean) => void,
    private readonly setMouseIrq: (high: boolean) => void,
    private readonly pulseCpuReset: () => void = () => {},
  ) {}

  // ---- host side ----

  /** A key pressed or released on the host (`code` as in KeyboardEvent.code). */
  keyEvent(code: string, pressed: boolean): void {
    this.keyboard.key(code, pressed);
    this.fillOutputBuffer();
  }

  /** The host mouse moved (screen pixels, y down) and/or its buttons changed. */
  mouseEvent(dx: number, dy: number, buttons: number): void {
    this.mouse.move(dx, dy, buttons);
    this.fillOutputBuffer();
  }

  saveState(): DeviceState {
    const {
      config,
      outputPort,
      outputFull,
      outputByte,
      outputFromMouse,
      lastWriteWasCommand,
      pendingCommand,
    } = this;
    return {
      config,
      outputPort,
      outputFull,
      outputByte,
      outputFromMouse,
      lastWriteWasCommand,
      pendingCommand,
      replies: this.replies.map(({ byte, aux }) => [byte, aux]),
      keyboard: this.keyboard.saveState(),
      mouse: this.mouse.saveState(),
    };
  }

  // ---- CPU side ----

  in8(port: number): number {
    return port === PS2_DATA ? this.readData() : this.readStatus();
  }

  out8(port: number, value: number): void {
    if (port === PS2_DATA) this.writeData(value);
    else this.writeCommand(value);
    this.fillOutputBuffer();
  }

  private readStatus(): number {
    return (
      (this.outputFull ? PS2_STATUS_OUTPUT_FULL : 0) |
      (this.outputFull && this.outputFromMouse ? PS2_STATUS_AUX_DATA : 0) |
      (this.config & PS2_CONFIG_SYSTEM ? PS2_STATUS_SYSTEM : 0) |
      (this.lastWriteWasCommand ? PS2_STATUS_COMMAND_WRITTEN : 0) |
      PS2_STATUS_NOT_INHIBITED
    );
  }

  private readData(): number {
    const byte = this.outputByte;
    this.outputFull = false;
    this.updateIrqs(); // the line falls, so the next byte's rising edge is a new interrupt
    this.fillOutputBuffer();
    return byte;
  }

  private reply(byte: number, aux = false): void {
    this.replies.push({ byte, aux });
  }

  private writeCommand(command: number): void {
    this.lastWriteWasCommand = true;
    this.pendingCommand = 0;
    switch (command) {
      case PS2_CTRL_READ_CONFIG:
        return this.reply(this.config);
      case PS2_CTRL_DISABLE_MOUSE:
        this.config |= PS2_CONFIG_MOUSE_DISABLED;
        return;
      case PS2_CTRL_ENABLE_MOUSE:
        this.config &= ~PS2_CONFIG_MOUSE_DISABLED;
        return;
      case PS2_CTRL_DISABLE_KEYBOARD:
        this.config |= PS2_CONFIG_KEYBOARD_DISABLED;
        return;
      case PS2_CTRL_ENABLE_KEYBOARD:
        this.config &= ~PS2_CONFIG_KEYBOARD_DISABLED;
        return;
      case PS2_CTRL_SELF_TEST:
        return this.reply(PS2_SELF_TEST_OK);
      case PS2_CTRL_TEST_MOUSE_PORT:
      case PS2_CTRL_TEST_KEYBOARD_PORT:
        return this.reply(PS2_PORT_TEST_OK);
      case PS2_CTRL_READ_OUTPUT_PORT:
        return this.reply(this.outputPort);
      case PS2_CTRL_PULSE_RESET:
        return this.pulseCpuReset();
      case PS2_CTRL_WRITE_CONFIG:
      case PS2_CTRL_WRITE_OUTPUT_PORT:
      case PS2_CTRL_WRITE_KEYBOARD_OUTPUT:
      case PS2_CTRL_WRITE_MOUSE_OUTPUT:
      case PS2_CTRL_WRITE_MOUSE:
        this.pendingCommand = command;
        return;
      default:
        return; // other commands (e.g. the 0xF0–0xFF pulse masks without reset) do nothing here
    }
  }

  private writeData(value: number): void {
    this.lastWriteWasCommand = false;
    const command = this.pendingCommand;
    this.pendingCommand = 0;
    switch (command) {
      case PS2_CTRL_WRITE_CONFIG:
        this.config = value & 0x77;
        return this.updateIrqs();
      case PS2_CTRL_WRITE_OUTPUT_PORT:
        this.outputPort = value;
        if (!(value & OUTPUT_PORT_RESET_HIGH)) this.pulseCpuReset();
        return;
      case PS2_CTRL_WRITE_KEYBOARD_OUTPUT:
        return this.reply(value);
      case PS2_CTRL_WRITE_MOUSE_OUTPUT:
        return this.reply(value, true);
      case PS2_CTRL_WRITE_MOUSE:
        return this.sendToDevice(this.mouse, value);
      default:
        // A byte written to 0x60 with no controller command pending goes to the keyboard,
        // which also enables its port, as on an 8042.
        this.config &= ~PS2_CONFIG_KEYBOARD_DISABLED;
        return this.sendToDevice(this.keyboard, value);
    }
  }

  private sendToDevice(device: Ps2Device, value: number): void {
    if (device === this.mouse) this.config &= ~PS2_CONFIG_MOUSE_DISABLED;
    device.write(value);
  }

  private portEnabled(source: Source): boolean {
    if (source === 'keyboard') return !(this.config & PS2_CONFIG_KEYBOARD_DISABLED);
    return source === 'mouse' ? !(this.config & PS2_CONFIG_MOUSE_DISABLED) : true;
  }

  /** Load the next waiting byte into the empty output buffer. */
  private fillOutputBuffer(): void {
    if (!this.outputFull) {
      const reply = this.replies.shift();
      if (reply) this.load(reply.byte, reply.aux);
      else if (this.portEnabled('keyboard') && this.keyboard.output.length > 0)
        this.load(this.keyboard.output.shift()!, false);
      else if (this.portEnabled('mouse') && this.mouse.output.length > 0)
        this.load(this.mouse.output.shift()!, true);
    }
    this.updateIrqs();
  }

  private load(byte: number, fromMouse: boolean): void {
    this.outputByte = byte;
    this.outputFromMouse = fromMouse;
    this.outputFull = true;
  }

  private updateIrqs(): void {
    this.setKeyboardIrq(
      this.outputFull && !this.outputFromMouse && (this.config & PS2_CONFIG_KEYBOARD_IRQ) !== 0,
    );
    this.setMouseIrq(
      this.outputFull && this.outputFromMouse && (this.config & PS2_CONFIG_MOUSE_IRQ) !== 0,
    );
  }
}
