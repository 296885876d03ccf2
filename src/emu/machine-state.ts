/**
 * The whole Cotton PC's device-visible state, part by part, and its digest.
 *
 * Each part is one device's `saveState()` (device-state.ts), plus the
 * machine's own run state. What is left out is what the kernel cannot observe
 * or what belongs to the host: host callbacks, the code cache, the TLB, the
 * display's dirty tiles, pcap taps. The kernel's own state (its JS closures and
 * generator frames) cannot be serialised at all; what it has put in RAM,
 * device registers and the IDT is here, which is why replaying the same inputs
 * and comparing these digests tells whether a restored machine is the
 * original (src/runtime/host/snapshot.ts).
 *
 * Digests are per part so that a mismatch can say where the machines differ.
 */
import { digestState, type DeviceState } from './device-state';
import type { CottonPC } from './machine';
import { incrementalSha256 } from './sha256';

/** The parts, in a fixed order. */
export const MACHINE_STATE_PARTS = [
  'machine',
  'clock',
  'cpu',
  'ram',
  'pic',
  'pit',
  'uart',
  'rtc',
  'power',
  'ps2',
  'ata',
  'vbe',
  'pci',
  'nic',
  'network',
] as const;
export type MachineStatePart = (typeof MACHINE_STATE_PARTS)[number];

export type MachineStateRecord = Readonly<Record<MachineStatePart, DeviceState | null>>;

export interface PartDigest {
  readonly part: MachineStatePart;
  readonly digest: Uint8Array;
}

/** Every part's state as plain data. */
export function machineState(pc: CottonPC): MachineStateRecord {
  return {
    machine: {
      state: pc.state,
      crash: pc.crash?.message ?? null,
      serialBytesOut: pc.stats().serialBytesOut,
    },
    clock: pc.clock.saveState(),
    cpu: pc.cpu.saveState(),
    ram: pc.memory.saveState(),
    pic: pc.pic.saveState(),
    pit: pc.pit.saveState(),
    uart: pc.uart.saveState(),
    rtc: pc.rtc.saveState(),
    power: pc.power.saveState(),
    ps2: pc.ps2.saveState(),
    ata: pc.disk?.saveState() ?? null,
    vbe: pc.display.saveState(),
    pci: pc.pci.saveState(),
    nic: pc.nic.saveState(),
    network: pc.network.saveState(),
  };
}

/** SHA-256 of each part's canonical encoding, in MACHINE_STATE_PARTS order. */
export function machineStateDigests(pc: CottonPC): PartDigest[] {
  const state = machineState(pc);
  return MACHINE_STATE_PARTS.map((part) => ({ part, digest: digestState(state[part]) }));
}

/** One digest for the whole machine: SHA-256 over the part digests. */
export function combineDigests(parts: readonly PartDigest[]): Uint8Array {
  const hash = incrementalSha256();
  for (const { digest } of parts) hash.update(digest);
  return hash.digest();
}
