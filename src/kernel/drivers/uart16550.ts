/**
 * Driver for the 16550 UART: the serial port the kernel's console runs on.
 *
 * Models: National Semiconductor PC16550D datasheet, "Register Description".
 * COM1 on a PC sits at I/O port 0x3F8 and raises IRQ 4. The chip has eight
 * registers at consecutive ports; which one a port means depends on the
 * direction (read or write) and on the Divisor Latch Access Bit (DLAB) in the
 * Line Control Register. This file knows the register layout and nothing about
 * consoles, queues or threads: that is ./console.ts.
 */
import type { MachineInterface } from '../../emu/machine-interface';

export const COM1_PORT = 0x3f8;
export const COM1_IRQ = 4;

// Register offsets from the base port.
const RBR = 0; // Receiver Buffer Register (read, DLAB=0)
const THR = 0; // Transmitter Holding Register (write, DLAB=0)
const DLL = 0; // Divisor Latch, low byte (DLAB=1)
const IER = 1; // Interrupt Enable Register (DLAB=0)
const DLM = 1; // Divisor Latch, high byte (DLAB=1)
const IIR = 2; // Interrupt Identification Register (read)
const FCR = 2; // FIFO Control Register (write)
const LCR = 3; // Line Control Register
const MCR = 4; // Modem Control Register
const LSR = 5; // Line Status Register

// IER bits.
const IER_RECEIVED_DATA = 0x01;

// FCR bits.
const FCR_ENABLE_FIFO = 0x01;
const FCR_CLEAR_RECEIVE = 0x02;
const FCR_CLEAR_TRANSMIT = 0x04;
const FCR_TRIGGER_14_BYTES = 0xc0;

// LCR bits.
const LCR_8_BITS = 0x03; // word length 8, 1 stop bit, no parity: "8N1"
const LCR_DLAB = 0x80;

// MCR bits. OUT2 gates the UART's interrupt line onto the ISA bus on every PC.
const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT2 = 0x08;

// LSR bits.
export const LSR_DATA_READY = 0x01;
export const LSR_THR_EMPTY = 0x20;

/** The UART's clock divided by 16: the fastest baud rate, divisor 1. */
const UART_BASE_BAUD = 115200;
export const CONSOLE_BAUD = 115200;

export class Uart16550 {
  constructor(
    private readonly cpu: MachineInterface,
    readonly port: number = COM1_PORT,
  ) {}

  /** Program the line for `baud` 8N1 with FIFOs on; interrupts stay off. */
  init(baud = CONSOLE_BAUD): void {
    const divisor = UART_BASE_BAUD / baud;
    this.cpu.outb(this.port + IER, 0);
    this.cpu.outb(this.port + LCR, LCR_DLAB);
    this.cpu.outb(this.port + DLL, divisor & 0xff);
    this.cpu.outb(this.port + DLM, divisor >> 8);
    this.cpu.outb(this.port + LCR, LCR_8_BITS);
    this.cpu.outb(
      this.port + FCR,
      FCR_ENABLE_FIFO | FCR_CLEAR_RECEIVE | FCR_CLEAR_TRANSMIT | FCR_TRIGGER_14_BYTES,
    );
    this.cpu.outb(this.port + MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
  }

  /** Ask for IRQ 4 whenever a received byte is waiting. */
  enableReceiveInterrupt(): void {
    this.cpu.outb(this.port + IER, IER_RECEIVED_DATA);
  }

  /** Send one byte, waiting (polling the LSR) until the transmitter can take it. */
  sendByte(byte: number): void {
    while ((this.cpu.inb(this.port + LSR) & LSR_THR_EMPTY) === 0) {
      // Each port read costs virtual time, so this loop ends.
    }
    this.cpu.outb(this.port + THR, byte);
  }

  /** Is a received byte waiting in the RBR/FIFO? */
  hasReceivedByte(): boolean {
    return (this.cpu.inb(this.port + LSR) & LSR_DATA_READY) !== 0;
  }

  receiveByte(): number {
    return this.cpu.inb(this.port + RBR);
  }

  /** Read the IIR: on a real 16550 this also acknowledges a transmit interrupt. */
  interruptIdentification(): number {
    return this.cpu.inb(this.port + IIR);
  }
}
