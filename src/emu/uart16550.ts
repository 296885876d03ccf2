/**
 * National Semiconductor 16550A UART: the serial port COM1, the book's console.
 *
 * Registers as in the PC16550D datasheet: RBR/THR and the divisor latch (DLAB),
 * IER, IIR/FCR, LCR, MCR (OUT2 gates the interrupt onto the ISA bus, as every
 * PC does; LOOP feeds the transmitter back into the receiver, which drivers use
 * as a self-test), LSR, MSR and the scratch register. The line is not timed:
 * a written byte leaves at once (the transmitter is always empty again), and
 * bytes the host types wait in a host-side queue until the 16-byte receive FIFO
 * has room, as if the line had hardware flow control. The receive interrupt is
 * raised while data is available, i.e. as with a FIFO trigger level of 1.
 */
import type { DeviceState } from './device-state';

const REG_DATA = 0;
const REG_IER = 1;
const REG_IIR_FCR = 2;
const REG_LCR = 3;
const REG_MCR = 4;
const REG_LSR = 5;
const REG_MSR = 6;
const REG_SCRATCH = 7;

const IER_RX_AVAILABLE = 0x01;
const IER_TX_EMPTY = 0x02;
const IIR_NO_INTERRUPT = 0x01;
const IIR_TX_EMPTY = 0x02;
const IIR_RX_AVAILABLE = 0x04;
const IIR_FIFOS_ENABLED = 0xc0;
const FCR_ENABLE = 0x01;
const FCR_CLEAR_RX = 0x02;
const LCR_DLAB = 0x80;
const MCR_OUT2 = 0x08;
const MCR_LOOPBACK = 0x10;
const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x20;
const LSR_TRANSMITTER_EMPTY = 0x40;
const MSR_CTS_DSR_DCD = 0xb0;
const RX_FIFO_SIZE = 16;

export class Uart16550 {
  readonly name = '16550A UART';
  private rxFifo: number[] = [];
  private hostQueue: number[] = [];
  private ier = 0;
  private lcr = 0x03;
  private mcr = 0;
  private scratch = 0;
  private divisor = 12; // 9600 baud until a driver sets it
  private fifoEnabled = false;
  private txEmptyPending = false;

  constructor(
    readonly base: number,
    private readonly setIrqLine: (high: boolean) => void,
    private readonly transmit: (byte: number) => void,
  ) {}

  /** Bytes arriving on the line from the host (keyboard input). */
  receive(bytes: Iterable<number>): void {
    for (const byte of bytes) this.hostQueue.push(byte & 0xff);
    this.refillFifo();
  }

  /** The registers, the receive FIFO and the typed bytes still waiting for room in it. */
  saveState(): DeviceState {
    const { ier, lcr, mcr, scratch, divisor, fifoEnabled, txEmptyPending } = this;
    return {
      rxFifo: [...this.rxFifo],
      hostQueue: [...this.hostQueue],
      ier,
      lcr,
      mcr,
      scratch,
      divisor,
      fifoEnabled,
      txEmptyPending,
    };
  }

  /** The baud rate the driver programmed. */
  get baud(): number {
    return Math.floor(115200 / (this.divisor || 1));
  }

  in8(port: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case REG_DATA:
        return dlab ? this.divisor & 0xff : this.readData();
      case REG_IER:
        return dlab ? this.divisor >> 8 : this.ier;
      case REG_IIR_FCR:
        return this.readIir();
      case REG_LCR:
        return this.lcr;
      case REG_MCR:
        return this.mcr;
      case REG_LSR:
        return (
          (this.rxFifo.length > 0 ? LSR_DATA_READY : 0) | LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY
        );
      case REG_MSR:
        return this.mcr & MCR_LOOPBACK ? (this.mcr & 0x0f) << 4 : MSR_CTS_DSR_DCD;
      default:
        return this.scratch;
    }
  }

  out8(port: number, value: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case REG_DATA:
        if (dlab) this.divisor = (this.divisor & 0xff00) | value;
        else this.writeData(value);
        break;
      case REG_IER:
        if (dlab) this.divisor = (this.divisor & 0xff) | (value << 8);
        else this.setIer(value);
        break;
      case REG_IIR_FCR:
        this.writeFcr(value);
        break;
      case REG_LCR:
        this.lcr = value;
        break;
      case REG_MCR:
        this.mcr = value & 0x1f;
        break;
      case REG_SCRATCH:
        this.scratch = value;
        break;
    }
    this.updateIrq();
  }

  private readData(): number {
    const byte = this.rxFifo.shift() ?? 0;
    this.refillFifo();
    return byte;
  }

  private writeData(byte: number): void {
    if (!(this.mcr & MCR_LOOPBACK)) this.transmit(byte);
    else if (this.rxFifo.length < RX_FIFO_SIZE) this.rxFifo.push(byte);
    this.txEmptyPending = (this.ier & IER_TX_EMPTY) !== 0;
  }

  private setIer(value: number): void {
    const enablingTx = !(this.ier & IER_TX_EMPTY) && value & IER_TX_EMPTY;
    this.ier = value & 0x0f;
    if (enablingTx) this.txEmptyPending = true;
  }

  private writeFcr(value: number): void {
    this.fifoEnabled = (value & FCR_ENABLE) !== 0;
    if (value & FCR_CLEAR_RX) {
      this.rxFifo = [];
      this.refillFifo();
    }
  }

  private readIir(): number {
    const fifoBits = this.fifoEnabled ? IIR_FIFOS_ENABLED : 0;
    if (this.ier & IER_RX_AVAILABLE && this.rxFifo.length > 0) return fifoBits | IIR_RX_AVAILABLE;
    if (this.txEmptyPending) {
      this.txEmptyPending = false; // reading IIR acknowledges the THR-empty interrupt
      this.updateIrq();
      return fifoBits | IIR_TX_EMPTY;
    }
    return fifoBits | IIR_NO_INTERRUPT;
  }

  private refillFifo(): void {
    while (this.rxFifo.length < RX_FIFO_SIZE && this.hostQueue.length > 0)
      this.rxFifo.push(this.hostQueue.shift()!);
    this.updateIrq();
  }

  private updateIrq(): void {
    const rx = (this.ier & IER_RX_AVAILABLE) !== 0 && this.rxFifo.length > 0;
    const pending = rx || this.txEmptyPending;
    this.setIrqLine(pending && (this.mcr & MCR_OUT2) !== 0);
  }
}
