/**
 * The two devices on the 8042's PS/2 ports: an MF-II keyboard and a standard
 * three-button mouse.
 *
 * Both speak the PS/2 command protocol (IBM PS/2 Hardware Interface Technical
 * Reference, "Keyboard/Auxiliary Device Controller" and the keyboard and
 * mouse chapters): every command byte is acknowledged with 0xFA, a command
 * that takes an argument acknowledges the argument too, RESET answers 0xFA,
 * then 0xAA (self-test passed) and, from the mouse, its ID 0x00. What they
 * send waits in `output` until the controller (ps2-controller.ts) takes it.
 *
 * The keyboard sends scan code set 1 directly, i.e. what the controller
 * delivers with translation on (the PC default); set 2 and the translation
 * itself are not modelled. The mouse sends standard 3-byte packets in stream
 * mode; the IntelliMouse wheel extension is not modelled (its ID stays 0).
 */
import type { DeviceState } from './device-state';
import { scanCodeSet1 } from './ps2-scancodes';

export const PS2_ACK = 0xfa;
export const PS2_RESEND = 0xfe;
export const PS2_SELF_TEST_PASSED = 0xaa;
export const PS2_ECHO = 0xee;

export const PS2_CMD_SET_LEDS = 0xed;
export const PS2_CMD_ECHO = 0xee;
export const PS2_CMD_SCAN_CODE_SET = 0xf0;
export const PS2_CMD_IDENTIFY = 0xf2;
export const PS2_CMD_SET_RATE = 0xf3;
export const PS2_CMD_ENABLE = 0xf4;
export const PS2_CMD_DISABLE = 0xf5;
export const PS2_CMD_SET_DEFAULTS = 0xf6;
export const PS2_CMD_RESEND = 0xfe;
export const PS2_CMD_RESET = 0xff;
export const MOUSE_CMD_SET_SCALING_1_1 = 0xe6;
export const MOUSE_CMD_SET_SCALING_2_1 = 0xe7;
export const MOUSE_CMD_SET_RESOLUTION = 0xe8;
export const MOUSE_CMD_STATUS_REQUEST = 0xe9;
export const MOUSE_CMD_SET_STREAM_MODE = 0xea;
export const MOUSE_CMD_READ_DATA = 0xeb;
export const MOUSE_CMD_SET_REMOTE_MODE = 0xf0;

/** MF-II keyboard ID, as the controller translates it (0xAB 0x83 → 0xAB 0x41). */
const KEYBOARD_ID = [0xab, 0x41];
const MOUSE_ID = 0x00;

/** Mouse packet byte 0 (PS/2 mouse data report). */
export const MOUSE_LEFT = 0x01;
export const MOUSE_RIGHT = 0x02;
export const MOUSE_MIDDLE = 0x04;
const MOUSE_ALWAYS_ONE = 0x08;
const MOUSE_X_SIGN = 0x10;
const MOUSE_Y_SIGN = 0x20;
const MOUSE_MAX_DELTA = 255;

/** A device on a PS/2 port, as the controller sees it. */
export interface Ps2Device {
  /** Bytes for the host, oldest first. */
  readonly output: number[];
  /** A byte the host sent to the device. */
  write(byte: number): void;
}

export class Ps2Keyboard implements Ps2Device {
  readonly output: number[] = [];
  scanning = true;
  leds = 0;
  private awaitingArgument = 0;

  /** A host key event (`code` as in KeyboardEvent.code); unknown keys and keys while scanning is off are dropped. */
  key(code: string, pressed: boolean): void {
    const bytes = this.scanning ? scanCodeSet1(code, pressed) : null;
    if (bytes) this.output.push(...bytes);
  }

  saveState(): DeviceState {
    return {
      output: [...this.output],
      scanning: this.scanning,
      leds: this.leds,
      awaitingArgument: this.awaitingArgument,
    };
  }

  write(byte: number): void {
    if (this.awaitingArgument) return this.argument(byte);
    switch (byte) {
      case PS2_CMD_RESET:
        this.resetState();
        return void this.output.push(PS2_ACK, PS2_SELF_TEST_PASSED);
      case PS2_CMD_ECHO:
        return void this.output.push(PS2_ECHO);
      case PS2_CMD_IDENTIFY:
        return void this.output.push(PS2_ACK, ...KEYBOARD_ID);
      case PS2_CMD_SET_LEDS:
      case PS2_CMD_SCAN_CODE_SET:
      case PS2_CMD_SET_RATE:
        this.awaitingArgument = byte;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_ENABLE:
        this.scanning = true;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_DISABLE:
        this.scanning = false;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_SET_DEFAULTS:
        this.resetState();
        return void this.output.push(PS2_ACK);
      default:
        return void this.output.push(PS2_RESEND);
    }
  }

  private argument(byte: number): void {
    const command = this.awaitingArgument;
    this.awaitingArgument = 0;
    if (command === PS2_CMD_SET_LEDS) this.leds = byte & 0x07;
    this.output.push(PS2_ACK);
    if (command === PS2_CMD_SCAN_CODE_SET && byte === 0) this.output.push(1); // "get": set 1 as delivered
  }

  private resetState(): void {
    this.output.length = 0;
    this.scanning = true;
    this.leds = 0;
    this.awaitingArgument = 0;
  }
}

/** The three bytes of a PS/2 mouse movement packet; Y grows upwards, as the mouse reports it. */
export function mousePacket(dx: number, dy: number, buttons: number): [number, number, number] {
  const flags =
    (buttons & 0x07) | MOUSE_ALWAYS_ONE | (dx < 0 ? MOUSE_X_SIGN : 0) | (dy < 0 ? MOUSE_Y_SIGN : 0);
  return [flags, dx & 0xff, dy & 0xff];
}

export class Ps2Mouse implements Ps2Device {
  readonly output: number[] = [];
  reporting = false;
  sampleRate = 100;
  resolution = 2;
  private scaling2to1 = false;
  private remoteMode = false;
  private buttons = 0;
  private awaitingArgument = 0;

  /**
   * A host mouse event: movement in screen pixels (x right, y down) and the
   * buttons now held (MOUSE_LEFT | MOUSE_RIGHT | MOUSE_MIDDLE). Large moves
   * become several packets, each within the 9-bit range of one packet.
   */
  move(dx: number, dy: number, buttons: number): void {
    if (!this.reporting || this.remoteMode) {
      this.buttons = buttons;
      return;
    }
    let restX = Math.trunc(dx);
    let restY = -Math.trunc(dy); // the mouse counts up as positive
    do {
      const stepX = Math.max(-MOUSE_MAX_DELTA, Math.min(MOUSE_MAX_DELTA, restX));
      const stepY = Math.max(-MOUSE_MAX_DELTA, Math.min(MOUSE_MAX_DELTA, restY));
      this.output.push(...mousePacket(stepX, stepY, buttons));
      restX -= stepX;
      restY -= stepY;
    } while (restX !== 0 || restY !== 0);
    this.buttons = buttons;
  }

  saveState(): DeviceState {
    const {
      reporting,
      sampleRate,
      resolution,
      scaling2to1,
      remoteMode,
      buttons,
      awaitingArgument,
    } = this;
    return {
      output: [...this.output],
      reporting,
      sampleRate,
      resolution,
      scaling2to1,
      remoteMode,
      buttons,
      awaitingArgument,
    };
  }

  write(byte: number): void {
    if (this.awaitingArgument) return this.argument(byte);
    switch (byte) {
      case PS2_CMD_RESET:
        this.resetState();
        return void this.output.push(PS2_ACK, PS2_SELF_TEST_PASSED, MOUSE_ID);
      case PS2_CMD_IDENTIFY:
        return void this.output.push(PS2_ACK, MOUSE_ID);
      case PS2_CMD_SET_RATE:
      case MOUSE_CMD_SET_RESOLUTION:
        this.awaitingArgument = byte;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_ENABLE:
        this.reporting = true;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_DISABLE:
        this.reporting = false;
        return void this.output.push(PS2_ACK);
      case PS2_CMD_SET_DEFAULTS:
        this.resetState();
        return void this.output.push(PS2_ACK);
      case MOUSE_CMD_SET_SCALING_1_1:
      case MOUSE_CMD_SET_SCALING_2_1:
        this.scaling2to1 = byte === MOUSE_CMD_SET_SCALING_2_1;
        return void this.output.push(PS2_ACK);
      case MOUSE_CMD_SET_STREAM_MODE:
      case MOUSE_CMD_SET_REMOTE_MODE:
        this.remoteMode = byte === MOUSE_CMD_SET_REMOTE_MODE;
        return void this.output.push(PS2_ACK);
      case MOUSE_CMD_STATUS_REQUEST:
        return void this.output.push(PS2_ACK, this.statusByte(), this.resolution, this.sampleRate);
      case MOUSE_CMD_READ_DATA:
        return void this.output.push(PS2_ACK, ...mousePacket(0, 0, this.buttons));
      default:
        return void this.output.push(PS2_RESEND);
    }
  }

  private statusByte(): number {
    const buttonBits =
      ((this.buttons & MOUSE_LEFT) << 2) |
      (this.buttons & MOUSE_MIDDLE ? 0x02 : 0) |
      ((this.buttons & MOUSE_RIGHT) >> 1);
    return (
      (this.remoteMode ? 0x40 : 0) |
      (this.reporting ? 0x20 : 0) |
      (this.scaling2to1 ? 0x10 : 0) |
      buttonBits
    );
  }

  private argument(byte: number): void {
    if (this.awaitingArgument === PS2_CMD_SET_RATE) this.sampleRate = byte;
    else this.resolution = byte & 0x03;
    this.awaitingArgument = 0;
    this.output.push(PS2_ACK);
  }

  private resetState(): void {
    this.output.length = 0;
    this.reporting = false;
    this.sampleRate = 100;
    this.resolution = 2;
    this.scaling2to1 = false;
    this.remoteMode = false;
    this.awaitingArgument = 0;
  }
}
