/**
 * Intel 8259A Programmable Interrupt Controller, the PC's master/slave pair.
 *
 * Models what a kernel programs (8259A datasheet): the ICW1–ICW4 initialisation
 * sequence (vector base, cascade wiring, 8086 mode, auto-EOI), OCW1 (the
 * interrupt mask), OCW2 (non-specific and specific EOI) and OCW3 (reading IRR or
 * ISR). Inputs are edge-triggered, as on the PC's ISA bus: a device drives its
 * line high and the rising edge latches a request in IRR. Priorities are fixed
 * (IR0 highest); the rotation modes, special mask mode and polling, which PC
 * kernels do not use, are left out. The slave's output drives the master's IR2.
 */
import type { DeviceState } from './device-state';

const ICW1_INIT = 0x10;
const ICW1_ICW4_NEEDED = 0x01;
const ICW1_SINGLE = 0x02;
const ICW4_AUTO_EOI = 0x02;
const OCW3_SELECT = 0x08;
const OCW3_READ_REGISTER = 0x02;
const OCW3_READ_ISR = 0x01;
const OCW2_EOI = 0x20;
const OCW2_SPECIFIC = 0x40;

/** One 8259A chip. */
export class Pic8259Chip {
  irr = 0;
  isr = 0;
  imr = 0xff;
  vectorBase = 0;
  private lines = 0;
  private initStep = 0;
  private icw4Needed = false;
  private single = false;
  private autoEoi = false;
  private readIsr = false;

  constructor(readonly name: string) {}

  /** Drive input line `irq` (0–7) high or low; a rising edge requests an interrupt. */
  setLine(irq: number, high: boolean): void {
    const bit = 1 << irq;
    if (high && !(this.lines & bit)) this.irr |= bit;
    this.lines = high ? this.lines | bit : this.lines & ~bit;
  }

  /** The highest-priority request that is unmasked and not blocked by one in service, or -1. */
  pendingIrq(): number {
    const requests = this.irr & ~this.imr;
    for (let irq = 0; irq < 8; irq++) {
      if (this.isr & (1 << irq)) return -1;
      if (requests & (1 << irq)) return irq;
    }
    return -1;
  }

  /** INTA cycle: move the request into service and return its IR number. */
  acknowledge(irq: number): void {
    this.irr &= ~(1 << irq);
    if (!this.autoEoi) this.isr |= 1 << irq;
  }

  saveState(): DeviceState {
    const { irr, isr, imr, vectorBase, lines, initStep, icw4Needed, single, autoEoi, readIsr } =
      this;
    return { irr, isr, imr, vectorBase, lines, initStep, icw4Needed, single, autoEoi, readIsr };
  }

  read(port: number): number {
    if (port & 1) return this.imr;
    return this.readIsr ? this.isr : this.irr;
  }

  write(port: number, value: number): void {
    if (!(port & 1)) return this.writeCommand(value);
    if (this.initStep > 0) return this.writeInitWord(value);
    this.imr = value;
  }

  private writeCommand(value: number): void {
    if (value & ICW1_INIT) {
      this.initStep = 2;
      this.icw4Needed = (value & ICW1_ICW4_NEEDED) !== 0;
      this.single = (value & ICW1_SINGLE) !== 0;
      this.imr = 0;
      this.isr = 0;
      this.irr = 0;
      this.readIsr = false;
      return;
    }
    if (value & OCW3_SELECT) {
      if (value & OCW3_READ_REGISTER) this.readIsr = (value & OCW3_READ_ISR) !== 0;
      return;
    }
    if (value & OCW2_EOI) this.endOfInterrupt(value & OCW2_SPECIFIC ? value & 7 : -1);
  }

  private writeInitWord(value: number): void {
    if (this.initStep === 2) {
      this.vectorBase = value & 0xf8;
      this.initStep = this.single ? (this.icw4Needed ? 4 : 0) : 3;
    } else if (this.initStep === 3) {
      this.initStep = this.icw4Needed ? 4 : 0; // cascade wiring is fixed on a PC
    } else {
      this.autoEoi = (value & ICW4_AUTO_EOI) !== 0;
      this.initStep = 0;
    }
  }

  private endOfInterrupt(specific: number): void {
    if (specific >= 0) {
      this.isr &= ~(1 << specific);
      return;
    }
    for (let irq = 0; irq < 8; irq++) {
      if (this.isr & (1 << irq)) {
        this.isr &= ~(1 << irq);
        return;
      }
    }
  }
}

/** The master/slave pair at 0x20/0x21 and 0xA0/0xA1; IRQs 0–15. */
export class Pic8259Pair {
  readonly master = new Pic8259Chip('master');
  readonly slave = new Pic8259Chip('slave');
  readonly name = '8259A PIC';

  /** Drive IRQ line 0–15. */
  setIrq(irq: number, high: boolean): void {
    if (irq < 8) this.master.setLine(irq, high);
    else this.slave.setLine(irq - 8, high);
    this.updateCascade();
  }

  /** Raise and lower a line: one edge, for devices that pulse their interrupt. */
  pulseIrq(irq: number): void {
    this.setIrq(irq, true);
    this.setIrq(irq, false);
  }

  private updateCascade(): void {
    this.master.setLine(2, this.slave.pendingIrq() >= 0);
  }

  hasInterrupt(): boolean {
    this.updateCascade();
    return this.master.pendingIrq() >= 0;
  }

  /** INTA: the vector of the highest-priority pending interrupt (call only when hasInterrupt()). */
  acknowledge(): number {
    const irq = this.master.pendingIrq();
    this.master.acknowledge(irq);
    if (irq !== 2) return this.master.vectorBase + irq;
    const slaveIrq = this.slave.pendingIrq();
    this.slave.acknowledge(slaveIrq);
    this.updateCascade();
    return this.slave.vectorBase + slaveIrq;
  }

  saveState(): DeviceState {
    return { master: this.master.saveState(), slave: this.slave.saveState() };
  }

  in8(port: number): number {
    return (port & 0x80 ? this.slave : this.master).read(port);
  }
  out8(port: number, value: number): void {
    (port & 0x80 ? this.slave : this.master).write(port, value);
    this.updateCascade();
  }
}
