/**
 * The serial console: the kernel's terminal, on top of the 16550 driver.
 *
 * Models: the console/tty layer of a Unix kernel, reduced to its core. Output
 * goes straight to the UART, byte by byte. Input is interrupt-driven: when a
 * byte arrives the UART raises IRQ 4, the handler moves every waiting byte
 * into the input buffer and wakes the threads waiting for input. A reader
 * (the shell) never polls the hardware; it sleeps on a wait queue.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import { openInterruptWindow } from '../boot/interrupts';
import { utf8Encode } from '../lib/utf8';
import { WaitQueue } from '../proc/wait-queue';
import type { Uart16550 } from './uart16550';

/** Bytes kept when nobody reads; later ones are dropped, like a full tty buffer. */
const INPUT_BUFFER_SIZE = 4096;

export class SerialConsole {
  private readonly input: number[] = [];
  private readonly inputArrived = new WaitQueue();

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

  /** The IRQ 4 handler: drain the UART's receive FIFO into the input buffer. */
  handleInterrupt(): void {
    this.uart.interruptIdentification();
    while (this.uart.hasReceivedByte()) {
      const byte = this.uart.receiveByte();
      if (this.input.length < INPUT_BUFFER_SIZE) this.input.push(byte);
    }
    this.inputArrived.wakeAll();
  }

  /** Wait for and return the next input byte (use with `yield*` in a thread). */
  *readByte(): Generator<void, number, void> {
    while (this.input.length === 0) yield* this.inputArrived.wait();
    return this.input.shift()!;
  }
}
