/**
 * The CPU as the kernel sees it: I/O instructions, loads and stores, control
 * registers and the interrupt machinery (IDT gates, RFLAGS.IF, HLT, INT n).
 *
 * This class is what the firmware hands to the kernel as its MachineInterface.
 * The kernel's TypeScript stands for kernel-mode instruction streams; what this
 * class adds is their architectural effect: each IN/OUT costs one ISA I/O cycle
 * of virtual time, and interrupts are taken where an x86 CPU with the kernel's
 * flags would take them in this model (after STI, at HLT; see
 * machine-interface.ts). An interrupt with no gate installed is a triple fault:
 * a real PC resets, this machine stops and says why.
 */
import type { VirtualClock } from './clock';
import type { DeviceState } from './device-state';
import type { IoBus } from './io-bus';
import type {
  CheckpointRequest,
  HaltRequest,
  InterruptFrame,
  InterruptHandler,
  MachineInterface,
  UserContext,
  UserTrap,
} from './machine-interface';
import type { Pic8259Pair } from './pic8259';
import { Mmu } from './paging/mmu';
import type { PhysicalMemory } from './physical-memory';
import { TRAP_INTERRUPT, UserCpu, type UserCpuOptions } from './rv32/user-cpu';

/** One ISA bus I/O cycle. */
export const IO_CYCLE_NS = 1000;
/** One word of a string I/O instruction: an ATA PIO mode 4 data cycle (ATA/ATAPI-6 §12.2.2.1, t0 = 120 ns). */
export const STRING_IO_WORD_NS = 120;

const HALT: HaltRequest = Object.freeze({ kind: 'hlt' });
const CHECKPOINT: CheckpointRequest = Object.freeze({ kind: 'checkpoint' });

/** A fault the CPU cannot deliver: on a PC, a triple fault and reset. */
export class TripleFault extends Error {
  override name = 'TripleFault';
}

export class CpuCore implements MachineInterface {
  private readonly gates: (InterruptHandler | null)[] = new Array(256).fill(null);
  private interruptFlag = false;
  /** The paging unit: CR2, CR3, INVLPG and the TLB live there. */
  readonly mmu: Mmu;
  /** The RV32IMA user-mode CPU behind `enterUser`. */
  readonly user: UserCpu;
  private delivering = false;
  /** Interrupts delivered, by vector (statistics). */
  readonly interruptCounts = new Uint32Array(256);

  constructor(
    private readonly clock: VirtualClock,
    private readonly io: IoBus,
    private readonly memory: PhysicalMemory,
    private readonly pic: Pic8259Pair,
    userOptions: UserCpuOptions = {},
  ) {
    this.mmu = new Mmu(memory);
    this.user = new UserCpu(clock, this.mmu, memory, () => pic.hasInterrupt(), userOptions);
  }

  /**
   * RFLAGS.IF, which IDT gates are installed (their handlers are kernel code),
   * interrupts taken so far, CR2/CR3, and the user hart's trap latches. The
   * user registers live in the kernel's UserContext while the kernel runs, so
   * they are the kernel's state, not the CPU's; the TLB and translated code
   * are caches and left out.
   */
  saveState(): DeviceState {
    const hart = this.user.hart;
    return {
      interruptFlag: this.interruptFlag,
      gates: Uint8Array.from(this.gates, (gate) => (gate ? 1 : 0)),
      interruptCounts: new Uint8Array(this.interruptCounts.buffer.slice(0)),
      cr2: this.mmu.cr2,
      cr3: this.mmu.cr3,
      user: {
        retired: this.user.retired,
        trap: hart.trap,
        trapValue: hart.trapValue,
        errorCode: hart.errorCode,
        reservation: hart.reservation,
      },
    };
  }

  inb(port: number): number {
    this.clock.spend(IO_CYCLE_NS);
    return this.io.in8(port);
  }
  inw(port: number): number {
    this.clock.spend(IO_CYCLE_NS);
    return this.io.in16(port);
  }
  inl(port: number): number {
    this.clock.spend(IO_CYCLE_NS);
    return this.io.in32(port);
  }
  outb(port: number, value: number): void {
    this.clock.spend(IO_CYCLE_NS);
    this.io.out8(port, value);
  }
  outw(port: number, value: number): void {
    this.clock.spend(IO_CYCLE_NS);
    this.io.out16(port, value);
  }
  outl(port: number, value: number): void {
    this.clock.spend(IO_CYCLE_NS);
    this.io.out32(port, value);
  }
  insw(port: number, into: Uint16Array): void {
    this.clock.spend(into.length * STRING_IO_WORD_NS);
    for (let i = 0; i < into.length; i++) into[i] = this.io.in16(port);
  }
  outsw(port: number, from: Uint16Array): void {
    this.clock.spend(from.length * STRING_IO_WORD_NS);
    for (let i = 0; i < from.length; i++) this.io.out16(port, from[i]!);
  }

  read8(addr: number): number {
    return this.memory.read8(addr);
  }
  read16(addr: number): number {
    return this.memory.read16(addr);
  }
  read32(addr: number): number {
    return this.memory.read32(addr);
  }
  read64(addr: number): number {
    return this.memory.read64(addr);
  }
  write8(addr: number, value: number): void {
    this.memory.write8(addr, value);
  }
  write16(addr: number, value: number): void {
    this.memory.write16(addr, value);
  }
  write32(addr: number, value: number): void {
    this.memory.write32(addr, value);
  }
  write64(addr: number, value: number): void {
    this.memory.write64(addr, value);
  }
  readBytes(addr: number, length: number): Uint8Array {
    return this.memory.readBytes(addr, length);
  }
  writeBytes(addr: number, bytes: Uint8Array): void {
    this.memory.writeBytes(addr, bytes);
  }

  readCr2(): number {
    return this.mmu.cr2;
  }
  readCr3(): number {
    return this.mmu.cr3;
  }
  writeCr3(pml4Physical: number): void {
    this.mmu.writeCr3(pml4Physical);
  }
  invlpg(virtualAddress: number): void {
    this.mmu.invlpg(virtualAddress);
  }

  enterUser(context: UserContext): UserTrap {
    const trap = this.user.run(context);
    if (trap !== TRAP_INTERRUPT) return this.user.trapRecord(trap);
    // User mode runs with IF set: take the interrupt through its gate now (IF clear
    // inside, as through an interrupt gate), then report it to the kernel's loop.
    const vector = this.pic.acknowledge();
    this.dispatch({ vector, errorCode: 0 });
    return { kind: 'interrupt', vector };
  }

  setInterruptGate(vector: number, handler: InterruptHandler | null): void {
    if (!Number.isInteger(vector) || vector < 0 || vector > 255)
      throw new RangeError(`no IDT vector ${vector}`);
    this.gates[vector] = handler;
  }
  sti(): void {
    this.interruptFlag = true;
    this.deliverPending();
  }
  cli(): void {
    this.interruptFlag = false;
  }
  interruptsEnabled(): boolean {
    return this.interruptFlag;
  }
  hlt(): HaltRequest {
    return HALT;
  }
  checkpoint(): CheckpointRequest {
    return CHECKPOINT;
  }
  int(vector: number): void {
    this.dispatch({ vector, errorCode: 0 });
  }

  /** Fire due device events, then take every pending interrupt while IF is set. */
  deliverPending(): boolean {
    this.clock.fireDue();
    if (this.delivering) return false; // a handler's own STI: the outer loop takes the rest
    let delivered = false;
    this.delivering = true;
    try {
      while (this.interruptFlag && this.pic.hasInterrupt()) {
        this.dispatch({ vector: this.pic.acknowledge(), errorCode: 0 });
        delivered = true;
        this.clock.fireDue();
      }
    } finally {
      this.delivering = false;
    }
    return delivered;
  }

  /** Enter a gate as an interrupt gate does: IF cleared on entry, restored by IRET. */
  private dispatch(frame: InterruptFrame): void {
    const gate = this.gates[frame.vector];
    if (!gate)
      throw new TripleFault(`interrupt vector 0x${frame.vector.toString(16)} has no IDT gate`);
    this.interruptCounts[frame.vector]!++;
    const flag = this.interruptFlag;
    this.interruptFlag = false;
    try {
      gate(frame);
    } finally {
      this.interruptFlag = flag;
    }
  }
}
