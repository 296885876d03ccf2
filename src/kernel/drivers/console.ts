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

export class SerialConsole {
  private readonly input: number[] = [];
  private readonly inputArrived = new WaitQueue();
  /** What Ctrl-C does: set by the shell while a program runs in the foreground. */
  interruptKey: (() => void) | null = null;

  constructor(
    private readonly cpu: MachineInterface,
    readonly uart: Uart16550,
  ) {}

  /** Write text (encoded as UTF-8). Newlines are not translated: write "\r\n". */
  write(text: string): void {
    for (const byte of utf8Encode(text)) {
      this.uart.sendByte(byte);
      openInterruptWindow(this.cpu);
    }
  }

  /** Write bytes from a program, turning "\n" into "\r\n" as a tty does (ONLCR). */
  writeBytes(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === LF) this.uart.sendByte(CR);
      this.uart.sendByte(byte);
      openInterruptWindow(this.cpu);
    }
  }

  /** The IRQ 4 handler: drain the UART's receive FIFO into the input buffer. */
  handleInterrupt(): void {
    this.uart.interruptIdentification();
    while (this.uart.hasReceivedByte()) {
      const byte = this.uart.receiveByte();
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

  /** Wait for and return the next input byte (use with `yield*` in a thread). */
  *readByte(): Generator<void, number, void> {
    while (this.input.length === 0) yield* this.inputArrived.wait();
    return this.input.shift()!;
  }
}
