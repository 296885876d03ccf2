/**
 * The machine interface: everything the kernel can touch of the Cotton PC.
 *
 * A real x86-64 kernel reaches its hardware through a handful of instruction
 * kinds: IN/OUT for port I/O, loads and stores to physical memory, MOV to and
 * from control registers, LIDT/STI/CLI/HLT for interrupts. This interface is
 * exactly that set, as methods, and nothing more: the kernel gets one object of
 * this type from the firmware and never imports anything from src/emu. Keeping
 * the boundary this narrow is what lets the book say "this is how a kernel
 * talks to a PC" and mean it.
 *
 * Execution model (docs/architecture.md §3). The kernel's TypeScript runs as kernel-mode
 * code. The CPU takes pending interrupts only at three kinds of places, as if
 * the kernel ran with interrupts deferred everywhere else:
 *   - `sti()`: enabling interrupts delivers the ones that are pending;
 *   - `hlt()`: the kernel's main loop yields the request it returns, and the
 *     CPU stops executing the kernel until the next interrupt;
 *   - user mode: `enterUser` runs RV32 user code, which takes interrupts at
 *     instruction boundaries (see below).
 * Each port access costs the ISA bus time of one I/O cycle (1 µs of virtual
 * time), so polling loops that wait on hardware make progress; plain
 * TypeScript computation costs no virtual time. The string forms (REP INSW,
 * REP OUTSW), which move a block of words through one port as disk drivers
 * do, cost a PIO data cycle per word instead (120 ns, ATA PIO mode 4).
 *
 * User mode (docs/architecture.md §3). `enterUser(context)` is the kernel's IRET to ring 3:
 * the user CPU (RISC-V RV32IMA, src/emu/rv32) runs `context` — x0–x31 and pc —
 * with every fetch, load and store translated by the MMU (CR3's tables, the
 * 32-bit address zero-extended, user rights) until something traps, then
 * writes the registers back into `context` and returns a `UserTrap`:
 *   - 'ecall': pc is the ECALL's address; the kernel advances it by 4 before
 *     re-entering (as RISC-V's sepc). a7 = number, a0–a5 = arguments, a0 = result.
 *   - 'breakpoint' (EBREAK), 'illegal-instruction', 'misaligned' (a jump or
 *     branch to an address that is not 4-aligned — `address` is the target —
 *     or a misaligned LR/SC/AMO; plain misaligned loads and stores are
 *     performed, not trapped), 'page-fault' (`address` = CR2, `errorCode` with
 *     the x86 bits P, W, U, I): pc is the faulting instruction, which did not
 *     retire and has changed nothing.
 *   - 'interrupt': a device interrupt arrived; pc is the next instruction to
 *     run. User mode always runs with IF set, so the CPU has already delivered
 *     the interrupt through its IDT gate — with IF clear, as an interrupt gate
 *     does — before `enterUser` returns; `vector` says which. The kernel's IRQ
 *     handlers therefore work unchanged, and the scheduler decides after the
 *     return whether to switch tasks (preemption).
 * Each retired user instruction costs 10 ns of virtual time (100 MHz). Device
 * events are fired, and interrupts taken, at the first instruction boundary at
 * which virtual time has reached the event: the same boundary whichever engine
 * (interpreter or translated code) runs the program, so runs are deterministic.
 */

/** A user thread's registers, as `enterUser` reads and writes them. */
export interface UserContext {
  /** x0–x31 (x0 reads as 0 whatever is stored there). */
  readonly regs: Int32Array;
  /** The address of the next instruction (unsigned 32-bit). */
  pc: number;
}

/** Why `enterUser` returned. */
export type UserTrap =
  | { readonly kind: 'ecall' }
  | { readonly kind: 'breakpoint' }
  | { readonly kind: 'illegal-instruction'; readonly instruction: number }
  | { readonly kind: 'misaligned'; readonly address: number }
  | { readonly kind: 'page-fault'; readonly address: number; readonly errorCode: number }
  | { readonly kind: 'interrupt'; readonly vector: number };

/** What an interrupt or exception handler receives. */
export interface InterruptFrame {
  /** IDT vector: 0–31 exceptions, 0x20–0x2F PIC IRQs, 0x80 system call. */
  readonly vector: number;
  /** Error code pushed by the CPU for exceptions that have one (e.g. #PF), else 0. */
  readonly errorCode: number;
}

/** An IDT gate: the function the CPU calls for a vector. */
export type InterruptHandler = (frame: InterruptFrame) => void;

/**
 * Yielded by the kernel's main loop to execute HLT. The CPU resumes the loop
 * once an interrupt has been delivered (or never, if interrupts are disabled).
 */
export interface HaltRequest {
  readonly kind: 'hlt';
}

/**
 * Yielded by the kernel's main loop between two tasks: "the CPU is busy, but
 * this is a clean point to pause the machine". It is not an instruction: a
 * real PC never stops, but this one runs inside a host (a browser worker, a
 * test) that must get control back now and then even while user programs keep
 * the CPU busy and the kernel never halts. The machine resumes the loop at
 * once, or after the host's slice ends; nothing the kernel can observe differs.
 */
export interface CheckpointRequest {
  readonly kind: 'checkpoint';
}

/** What the kernel's main loop yields to the machine. */
export type CpuRequest = HaltRequest | CheckpointRequest;

/** The CPU-side view of the machine that the kernel programs against. */
export interface MachineInterface {
  // ---- Port I/O (IN/OUT) ----
  inb(port: number): number;
  inw(port: number): number;
  inl(port: number): number;
  outb(port: number, value: number): void;
  outw(port: number, value: number): void;
  outl(port: number, value: number): void;
  /** REP INSW: read `into.length` 16-bit words from `port`, in order. */
  insw(port: number, into: Uint16Array): void;
  /** REP OUTSW: write the words of `from` to `port`, in order. */
  outsw(port: number, from: Uint16Array): void;

  // ---- Physical memory (loads and stores with paging off / identity mapped) ----
  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  /** A 64-bit little-endian value as a JS number (exact up to 2^53). */
  read64(addr: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;
  write64(addr: number, value: number): void;
  /** Copy `length` bytes out of physical memory. */
  readBytes(addr: number, length: number): Uint8Array;
  /** Copy bytes into physical memory. */
  writeBytes(addr: number, bytes: Uint8Array): void;

  // ---- Control registers ----
  /** CR2: the linear address of the last page fault. */
  readCr2(): number;
  /** CR3: the physical address of the current PML4. */
  readCr3(): number;
  writeCr3(pml4Physical: number): void;
  /** INVLPG: drop one page's translation from the TLB. */
  invlpg(virtualAddress: number): void;

  // ---- User mode ----
  /** Run user code until it traps (see the header); `context` is updated in place. */
  enterUser(context: UserContext): UserTrap;

  // ---- Interrupts ----
  /** Install (or, with null, remove) the IDT gate for a vector (LIDT + gate descriptors). */
  setInterruptGate(vector: number, handler: InterruptHandler | null): void;
  /** STI: enable interrupts; pending ones are delivered before this returns. */
  sti(): void;
  /** CLI: disable maskable interrupts. */
  cli(): void;
  /** RFLAGS.IF. */
  interruptsEnabled(): boolean;
  /** HLT: returns the request the kernel's main loop must yield. */
  hlt(): HaltRequest;
  /** A pause point for the host between tasks (see CheckpointRequest): the request to yield. */
  checkpoint(): CheckpointRequest;
  /**
   * INT n: raise a software interrupt (e.g. INT3 or a reader's test of an
   * exception handler). The gate runs before this returns.
   */
  int(vector: number): void;
}

/** Register values the firmware hands to the kernel entry, as Multiboot2 specifies. */
export interface BootRegisters {
  /** EAX: 0x36D76289 when loaded by a Multiboot2-compliant loader. */
  readonly eax: number;
  /** EBX: physical address of the Multiboot2 information structure. */
  readonly ebx: number;
}

/**
 * The kernel's entry point, `_start` in CottonOS. It returns the kernel's main
 * loop as a generator: everything the kernel does runs inside it, and each
 * value it yields is a HLT or a checkpoint.
 */
export type KernelEntry = (
  cpu: MachineInterface,
  boot: BootRegisters,
) => Generator<CpuRequest, void, void>;
