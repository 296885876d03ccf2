/**
 * The kernel after bring-up: its devices and what it learned at boot.
 *
 * A C or Rust kernel keeps these in global variables. Gathering them in one
 * object that boot/entry.ts builds and hands to each kernel thread makes the
 * dependencies visible: the shell can use exactly what is in here.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { CmosRtc } from '../drivers/cmos-rtc';
import type { Console } from '../drivers/console';
import type { Pic8259Pair } from '../arch/pic8259';
import type { Pit8254 } from '../drivers/pit8254';
import type { Vfs } from '../fs/vfs';
import type { KernelLog } from '../lib/klog';
import type { RandomPool } from '../lib/random';
import type { KernelMemory } from '../mm/kernel-memory';
import type { BootInfo } from '../arch/multiboot2';
import type { Network } from '../net/network';
import type { Process } from './process';

/** The kernel as `bringUp` leaves it: devices, memory, and what boot told it. */
export interface KernelCore {
  readonly cpu: MachineInterface;
  readonly console: Console;
  readonly log: KernelLog;
  readonly bootInfo: BootInfo;
  readonly pic: Pic8259Pair;
  readonly pit: Pit8254;
  readonly rtc: CmosRtc;
  /** Physical frames and the kernel's address space. */
  readonly memory: KernelMemory;
  readonly random: RandomPool;
  /** Seconds since 1970 from the RTC: the file systems' clock. */
  readonly clock: () => number;
  /** The network card, stack and clients (net/network.ts); null without a card. */
  readonly net: Network | null;
}

/**
 * The system call entry: what the trap loop calls after an `ecall`. It lives
 * in the syscall layer, above the processes it serves, so the kernel hands it
 * down here at boot, as a CPU's trap vector points up at the kernel's handler.
 */
export type SyscallEntry = (kernel: Kernel, process: Process) => Generator<void, void, void>;

/** The kernel once its file systems are mounted (boot/kernel-init.ts): what threads and processes use. */
export interface Kernel extends KernelCore {
  readonly vfs: Vfs;
  readonly syscallEntry: SyscallEntry;
}
