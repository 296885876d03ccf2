/**
 * Interrupt setup: the exception gates 0–31 and the dispatch of hardware IRQs.
 *
 * Models: Intel SDM Vol. 3A, chapter 6 "Interrupt and Exception Handling"
 * (Table 6-1, the exception vectors) and the PC's 8259A wiring. A real kernel
 * fills the IDT with gate descriptors pointing at assembly stubs; here a gate
 * is a function, installed with `cpu.setInterruptGate(vector, handler)`.
 *
 *  - Exceptions (vectors 0–31) are raised by the instruction being executed.
 *    The kernel cannot recover from any of them yet, so each one panics with
 *    its name, as CottonOS does.
 *  - IRQs arrive at 0x20 + irq once the PICs are remapped. The dispatcher runs
 *    the driver's handler and then sends End Of Interrupt.
 *
 * Interrupt handlers run outside any thread (at `sti()` or HLT), so an error
 * thrown by one cannot unwind into kernel code. It is recorded instead and the
 * main loop turns it into a panic as soon as the handler has returned.
 */
import type { InterruptFrame, MachineInterface } from '../../emu/machine-interface';
import type { Pic8259Pair } from './pic8259';
import { MASTER_VECTOR_BASE, SLAVE_VECTOR_BASE } from './pic8259';

/** Intel SDM Vol. 3A, Table 6-1. */
export const EXCEPTION_NAMES: readonly string[] = [
  '#DE Divide Error',
  '#DB Debug',
  'NMI Non-Maskable Interrupt',
  '#BP Breakpoint',
  '#OF Overflow',
  '#BR BOUND Range Exceeded',
  '#UD Invalid Opcode',
  '#NM Device Not Available',
  '#DF Double Fault',
  'Coprocessor Segment Overrun',
  '#TS Invalid TSS',
  '#NP Segment Not Present',
  '#SS Stack-Segment Fault',
  '#GP General Protection',
  '#PF Page Fault',
  'Reserved (15)',
  '#MF x87 Floating-Point Error',
  '#AC Alignment Check',
  '#MC Machine Check',
  '#XM SIMD Floating-Point Exception',
  '#VE Virtualization Exception',
  '#CP Control Protection Exception',
  'Reserved (22)',
  'Reserved (23)',
  'Reserved (24)',
  'Reserved (25)',
  'Reserved (26)',
  'Reserved (27)',
  '#HV Hypervisor Injection Exception',
  '#VC VMM Communication Exception',
  '#SX Security Exception',
  'Reserved (31)',
];

export const EXCEPTION_COUNT = 32;
export const VECTOR_PAGE_FAULT = 14;

// Page fault error code bits (SDM Vol. 3A §4.7).
const PF_PRESENT = 1 << 0;
const PF_WRITE = 1 << 1;
const PF_USER = 1 << 2;
const PF_INSTRUCTION_FETCH = 1 << 4;

/** The error a CPU exception turns into: its name is what the panic report shows first. */
export class CpuException extends Error {
  constructor(
    readonly vector: number,
    message: string,
  ) {
    super(message);
    this.name = 'CpuException';
  }
}

/** What an exception handler reports: the exception's name, plus CR2 and the cause for a page fault. */
export function describeException(cpu: MachineInterface, frame: InterruptFrame): string {
  const name = EXCEPTION_NAMES[frame.vector] ?? `vector ${frame.vector}`;
  let text = `${name} (vector ${frame.vector}, error code 0x${frame.errorCode.toString(16)})`;
  if (frame.vector === VECTOR_PAGE_FAULT) {
    const e = frame.errorCode;
    const access = e & PF_INSTRUCTION_FETCH ? 'instruction fetch' : e & PF_WRITE ? 'write' : 'read';
    const cause = e & PF_PRESENT ? 'protection violation' : 'page not present';
    text += `: ${e & PF_USER ? 'user' : 'kernel'} ${access} at 0x${cpu.readCr2().toString(16)}, ${cause}`;
  }
  return text;
}

/** Install a gate for each of the 32 exception vectors; each one panics. */
export function installExceptionHandlers(cpu: MachineInterface): void {
  for (let vector = 0; vector < EXCEPTION_COUNT; vector++) {
    cpu.setInterruptGate(vector, (frame) => {
      const exception = new CpuException(frame.vector, describeException(cpu, frame));
      recordHandlerFailure(exception);
      throw exception; // an exception is synchronous: the faulting code must not go on
    });
  }
}

/** The vector IRQ line `irq` arrives at once the PICs are remapped (see Pic8259Pair.remap). */
export function irqVector(irq: number): number {
  return irq < 8 ? MASTER_VECTOR_BASE + irq : SLAVE_VECTOR_BASE + (irq - 8);
}

/** Install `handler` for hardware interrupt line `irq`, and unmask the line. */
export function installIrqHandler(
  cpu: MachineInterface,
  pic: Pic8259Pair,
  irq: number,
  handler: () => void,
): void {
  cpu.setInterruptGate(irqVector(irq), () => {
    try {
      handler();
    } catch (error) {
      recordHandlerFailure(error);
    } finally {
      pic.endOfInterrupt(irq);
    }
  });
  pic.unmask(irq);
}

/**
 * Let pending interrupts in, if interrupts are enabled. On the Cotton PC an
 * interrupt is taken only at `sti()` or HLT, so code that keeps the CPU busy
 * for a long stretch of virtual time (pushing a screenful of text through the
 * UART, say) calls this now and then, the way a preemptible kernel would let
 * the timer interrupt it. Without it, timer ticks would be lost.
 */
export function openInterruptWindow(cpu: MachineInterface): void {
  if (cpu.interruptsEnabled()) cpu.sti();
}

let handlerFailure: { error: unknown } | null = null;

function recordHandlerFailure(error: unknown): void {
  handlerFailure ??= { error };
}

/** Rethrow, in the main loop, an error that an interrupt handler threw. */
export function throwIfInterruptHandlerFailed(): void {
  if (handlerFailure) throw handlerFailure.error;
}
