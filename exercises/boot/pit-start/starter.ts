/**
 * The starter for exercise boot/pit-start: the text that takes the place of
 * the `exercise:pit-start` region in src/kernel/drivers/pit8254.ts.
 */
export const starter = `  /** Program counter 0 as a rate generator: IRQ 0 every \`divisor\` input cycles. */
  start(): void {
    // TODO (exercise boot/pit-start): program counter 0 of the 8254.
    //
    // 1. One control word to port MODE_COMMAND (0x43), the OR of:
    //      CW_COUNTER_0               bits 7-6: which counter (0, the one wired to IRQ 0)
    //      CW_RW_LOW_THEN_HIGH        bits 5-4: the reload value comes as two bytes, low first
    //      CW_MODE_2_RATE_GENERATOR   bits 3-1: count divisor, ..., 1, raise IRQ 0, reload, again
    //      CW_BINARY                  bit 0:    a binary count (not BCD)
    // 2. The reload value, this.divisor (PIT_DIVISOR = 1193 for 1000 Hz), to port
    //    CHANNEL0_DATA (0x40): first its low byte, then its high byte.
    // 3. this.running = true, so that uptimeMicros() reads the counter from now on.
    //
    // Write a byte to a port with this.cpu.outb(port, value).
  }`;
