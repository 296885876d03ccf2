/**
 * Driver for the two 8259A Programmable Interrupt Controllers of a PC.
 *
 * Models: Intel 8259A datasheet, "Initialization Command Words" and "Operation
 * Command Words". A PC has a master PIC (ports 0x20/0x21, IRQ 0–7) and a slave
 * (0xA0/0xA1, IRQ 8–15) whose output is wired to the master's IRQ 2. After
 * reset the BIOS leaves the master on vectors 0x08–0x0F, which in protected and
 * long mode collide with CPU exceptions (0x08 is the double fault), so every
 * kernel starts by "remapping" both chips with a fresh ICW1–ICW4 sequence.
 * After handling an IRQ the kernel must send End Of Interrupt, or the PIC
 * never delivers that IRQ (or any lower-priority one) again.
 */
import type { MachineInterface } from '../../emu/machine-interface';

const MASTER_COMMAND = 0x20;
const MASTER_DATA = 0x21;
const SLAVE_COMMAND = 0xa0;
const SLAVE_DATA = 0xa1;

// ICW1: start initialisation; ICW4 will follow.
const ICW1_INIT = 0x10;
const ICW1_ICW4_NEEDED = 0x01;
// ICW3: the master has a slave on IRQ 2 (a bit mask); the slave's cascade identity is 2.
const ICW3_MASTER_SLAVE_ON_IRQ2 = 1 << 2;
const ICW3_SLAVE_CASCADE_IDENTITY = 2;
// ICW4: 8086/88 mode (as opposed to the 8080 mode of 1976).
const ICW4_8086_MODE = 0x01;
// OCW2: non-specific End Of Interrupt.
const OCW2_EOI = 0x20;

/** The IRQ line of the master that the slave's output is wired to. */
export const CASCADE_IRQ = 2;
export const MASTER_VECTOR_BASE = 0x20;
export const SLAVE_VECTOR_BASE = 0x28;

export class Pic8259Pair {
  /** OCW1 masks: a set bit keeps that IRQ away from the CPU. Bit 8+n is the slave's IRQ n. */
  private mask = 0xffff;

  constructor(private readonly cpu: MachineInterface) {}

  // #region exercise:pic-remap
  /** Re-initialise both PICs to deliver IRQ 0–7 at `masterBase`, IRQ 8–15 at `slaveBase`; all IRQs masked. */
  remap(masterBase = MASTER_VECTOR_BASE, slaveBase = SLAVE_VECTOR_BASE): void {
    const { cpu } = this;
    cpu.outb(MASTER_COMMAND, ICW1_INIT | ICW1_ICW4_NEEDED);
    cpu.outb(SLAVE_COMMAND, ICW1_INIT | ICW1_ICW4_NEEDED);
    cpu.outb(MASTER_DATA, masterBase); // ICW2: vector of IRQ 0
    cpu.outb(SLAVE_DATA, slaveBase); // ICW2: vector of IRQ 8
    cpu.outb(MASTER_DATA, ICW3_MASTER_SLAVE_ON_IRQ2);
    cpu.outb(SLAVE_DATA, ICW3_SLAVE_CASCADE_IDENTITY);
    cpu.outb(MASTER_DATA, ICW4_8086_MODE);
    cpu.outb(SLAVE_DATA, ICW4_8086_MODE);
    this.mask = 0xffff & ~(1 << CASCADE_IRQ); // the cascade line must stay open for the slave's IRQs
    this.writeMasks();
  }
  // #endregion exercise:pic-remap

  /** Let `irq` through to the CPU. */
  unmask(irq: number): void {
    this.mask &= ~(1 << irq);
    this.writeMasks();
  }

  /** Keep `irq` away from the CPU. */
  maskIrq(irq: number): void {
    this.mask |= 1 << irq;
    this.writeMasks();
  }

  /** Tell the PIC(s) that the handler for `irq` is done. The slave's IRQs need both chips told. */
  endOfInterrupt(irq: number): void {
    if (irq >= 8) this.cpu.outb(SLAVE_COMMAND, OCW2_EOI);
    this.cpu.outb(MASTER_COMMAND, OCW2_EOI);
  }

  private writeMasks(): void {
    this.cpu.outb(MASTER_DATA, this.mask & 0xff);
    this.cpu.outb(SLAVE_DATA, this.mask >> 8);
  }
}
