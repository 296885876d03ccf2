/**
 * The inputs a host gives its machine, each with the moment it arrived.
 *
 * The machine is deterministic: the same kernel, configuration and inputs at
 * the same virtual times give the same run. So this log, kept by MachineHost
 * for every input it passes on, is what a snapshot saves instead of the
 * kernel's state (which lives in JS closures and cannot be saved), and
 * replaying it is how a snapshot is restored (snapshot.ts).
 *
 * A moment is the boot it happened in (a reset starts a new machine with a new
 * clock) and the virtual time within that boot. Inputs arrive between slices
 * of `CottonPC.run`, i.e. while the CPU is halted, which is what makes
 * "deliver at this virtual time" exact.
 */
import type { CottonPC } from '../../emu/machine';

export type MachineInput =
  | { readonly kind: 'serial'; readonly bytes: Uint8Array }
  | { readonly kind: 'key'; readonly code: string; readonly pressed: boolean }
  | { readonly kind: 'mouse'; readonly dx: number; readonly dy: number; readonly buttons: number };

export interface MachineMoment {
  /** 0 for the first power-on, +1 for each reset since. */
  readonly boot: number;
  /** Virtual nanoseconds since that boot's power-on. */
  readonly atNs: number;
}

export interface LoggedInput extends MachineMoment {
  readonly input: MachineInput;
}

/** Hand an input to the machine's device for it. */
export function deliverInput(machine: CottonPC, input: MachineInput): void {
  if (input.kind === 'serial') machine.serialInput(input.bytes);
  else if (input.kind === 'key') machine.keyEvent(input.code, input.pressed);
  else machine.mouseEvent(input.dx, input.dy, input.buttons);
}

/** Whether `a` comes before `b`. */
export function isBefore(a: MachineMoment, b: MachineMoment): boolean {
  return a.boot < b.boot || (a.boot === b.boot && a.atNs < b.atNs);
}
