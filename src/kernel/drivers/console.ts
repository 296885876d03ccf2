/**
 * The serial console: the kernel's terminal, on top of the 16550 driver.
 *
 * Models: the console/tty layer of a Unix kernel, reduced to its core. Output
 * goes straight to the UART, byte by byte. Input is interrupt-driven: when a
 * byte arrives the UART raises IRQ 4, the handler moves every waiting byte
 * into the input buffer and wakes the threads waiting for input. A reader
 * (the shell) never polls the hardware; it sleeps on a wait queue.
 *
 * For user programs the console is also a small terminal line discipline, as
 * a Unix tty in canonical mode: `read` on descriptor 0 gets a whole line that
 * the console echoed and let the user edit with Backspace, Ctrl-D ends the
 * input (end of file), and Ctrl-C never reaches the reader: it calls the
 * console's interrupt hook, which the shell points at its foreground program.
 *
 * The line discipline does not depend on the wire: `Console` holds it, with
 * the bytes going out through a function, and `SerialConsole` puts it on the
 * UART. The desktop's Terminal window is the other console (gui/apps), so
 * the same shell runs on either, as Unix runs a shell on a serial line or on
 * a pseudo-terminal.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import { openInterruptWindow } from '../arch/interrupts';
import { utf8Encode } from '../lib/utf8';
import { WaitQueue } from '../sched/wait-queue';
import type { Uart16550 } from './uart16550';

/** Bytes kept when nobody reads; later ones are dropped, like a full tty buffer. */
const INPUT_BUFFER_SIZE = 4096;

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const CR = 0x0d;
const LF = 0x0a;

/** A terminal's line discipline, writing through `sendByte`; input comes in through `receive`. */
export class Console {
  private readonly input: number[] = [];
  private readonly inputArrived = new WaitQueue();
  /** What Ctrl-C does: set by the shell while a program runs in the foreground. */
  interruptKey: (() => void) | null = null;
  private hungUpFlag = false;

  constructor(
    private readonly cpu: MachineInterface,
    private readonly sendByte: (byte: number) => void,
  ) {}

  /** Whether the terminal went away (a closed Terminal window): input is at its end for good. */
  get hungUp(): boolean {
    return this.hungUpFlag;
  }

  /**
   * The terminal is gone, as when a modem drops the line (SIGHUP's origin):
   * the foreground program is interrupted, and every read from now on ends
   * at end of file (Ctrl-D), so the shell and programs reading it finish.
   */
  hangUp(): void {
    this.hungUpFlag = true;
    this.interruptKey?.();
    this.inputArrived.wakeAll();
  }

  /** Write text (encoded as UTF-8). Newlines are not translated: write "\r\n". */
  write(text: string): void {
    for (const byte of utf8Encode(text)) {
      this.sendByte(byte);
      openInterruptWindow(this.cpu);
    }
  }

  /** Write bytes from a program, turning "\n" into "\r\n" as a tty does (ONLCR). */
  writeBytes(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === LF) this.sendByte(CR);
      this.sendByte(byte);
      openInterruptWindow(this.cpu);
    }
  }

  /** Bytes typed on the terminal (from an interrupt handler): buffered, Ctrl-C excepted; readers woken. */
  receive(bytes: Iterable<number>): void {
    for (const byte of bytes) {
      if (byte === CTRL_C && this.interruptKey) this.interruptKey();
      else if (this.input.length < INPUT_BUFFER_SIZE) this.input.push(byte);
    }
    this.inputArrived.wakeAll();
  }

  /**
   * Canonical-mode input for programs: echo and edit one line, return it with
   * its "\n" (at most `max` bytes), or an empty array for Ctrl-D on an empty line.
   */
  *readLine(max: number): Generator<void, Uint8Array, void> {
    const line: number[] = [];
    while (line.length < max) {
      const byte = yield* this.readByte();
      if (byte === CTRL_D) {
        if (line.length === 0) break;
        continue;
      }
      if (byte === BACKSPACE || byte === DELETE) {
        if (line.length > 0) {
          line.pop();
          this.write('\b \b');
        }
        continue;
      }
      if (byte === CR || byte === LF) {
        this.write('\r\n');
        line.push(LF);
        break;
      }
      if (byte >= 0x20 || byte === 0x09) {
        line.push(byte);
        this.writeBytes(Uint8Array.of(byte));
      }
    }
    return Uint8Array.from(line);
  }

  /** Whether typed bytes wait to be read (poll's POLLIN on the console). */
  get hasInput(): boolean {
    return this.input.length > 0;
  }

  /** Wait for and return the next input byte (use with `yield*` in a thread). */
  *readByte(): Generator<void, number, void> {
    while (this.input.length === 0) {
      if (this.hungUpFlag) return CTRL_D;
      yield* this.inputArrived.wait();
    }
    return this.input.shift()!;
  }
}

/** The console on COM1. */
export class SerialConsole extends Console {
  constructor(
    cpu: MachineInterface,
    readonly uart: Uart16550,
  ) {
    super(cpu, (byte) => uart.sendByte(byte));
  }

  /** The IRQ 4 handler: drain the UART's receive FIFO into the input buffer. */
  handleInterrupt(): void {
    this.uart.interruptIdentification();
    const bytes: number[] = [];
    while (this.uart.hasReceivedByte()) bytes.push(this.uart.receiveByte());
    this.receive(bytes);
  }
}
