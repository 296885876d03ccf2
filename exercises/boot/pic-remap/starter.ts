/**
 * The starter for exercise boot/pic-remap: the text that takes the place of
 * the `exercise:pic-remap` region in src/kernel/arch/pic8259.ts.
 */
export const starter = `  /** Re-initialise both PICs to deliver IRQ 0–7 at \`masterBase\`, IRQ 8–15 at \`slaveBase\`; all IRQs masked. */
  remap(masterBase = MASTER_VECTOR_BASE, slaveBase = SLAVE_VECTOR_BASE): void {
    // TODO (exercise boot/pic-remap): initialise both 8259A chips.
    //
    // Each chip takes four Initialization Command Words, in this order:
    //   ICW1 to its command port (MASTER_COMMAND, SLAVE_COMMAND):
    //        ICW1_INIT | ICW1_ICW4_NEEDED     start; an ICW4 will follow
    //   ICW2 to its data port (MASTER_DATA, SLAVE_DATA): the vector of its first IRQ
    //        (masterBase for IRQ 0-7, slaveBase for IRQ 8-15)
    //   ICW3 to its data port: how the two are wired
    //        master: ICW3_MASTER_SLAVE_ON_IRQ2 (a bit mask: the slave is on IRQ 2)
    //        slave:  ICW3_SLAVE_CASCADE_IDENTITY (a number: its identity is 2)
    //   ICW4 to its data port: ICW4_8086_MODE
    //
    // Then mask every IRQ except the cascade line CASCADE_IRQ (the slave's IRQs
    // reach the CPU through it): set this.mask and call this.writeMasks().
    // Write a byte to a port with this.cpu.outb(port, value).
  }`;
