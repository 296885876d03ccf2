/**
 * A bare Cotton PC for the driver tests: the real CPU core, I/O bus and
 * memory from src/emu with the real 8042 PS/2 controller and Bochs VBE
 * display attached, so the drivers talk to the same devices as at boot.
 */
import { BochsVbe, VBE_DISPI_IOPORT_INDEX } from '../../../src/emu/bochs-vbe';
import { VirtualClock } from '../../../src/emu/clock';
import { CpuCore } from '../../../src/emu/cpu-core';
import { IoBus } from '../../../src/emu/io-bus';
import { PhysicalMemory } from '../../../src/emu/physical-memory';
import { Pic8259Pair } from '../../../src/emu/pic8259';
import { PS2_DATA, PS2_STATUS_COMMAND, Ps2Controller } from '../../../src/emu/ps2-controller';

export const LFB_ADDRESS = 0xfd000000;

export interface DriverMachine {
  readonly cpu: CpuCore;
  readonly memory: PhysicalMemory;
  readonly ps2: Ps2Controller;
  readonly display: BochsVbe;
  /** Rising edges seen on IRQ 1 and IRQ 12. */
  readonly irqEdges: { keyboard: number; mouse: number };
}

export function driverMachine(options: { display?: boolean } = {}): DriverMachine {
  const io = new IoBus();
  const memory = new PhysicalMemory(2 << 20);
  const cpu = new CpuCore(new VirtualClock(), io, memory, new Pic8259Pair());
  const irqEdges = { keyboard: 0, mouse: 0 };
  const lines = { keyboard: false, mouse: false };
  const edge = (which: 'keyboard' | 'mouse') => (high: boolean) => {
    if (high && !lines[which]) irqEdges[which]++;
    lines[which] = high;
  };
  const ps2 = new Ps2Controller(edge('keyboard'), edge('mouse'));
  io.attach(ps2, PS2_DATA);
  io.attach(ps2, PS2_STATUS_COMMAND);
  const display = new BochsVbe();
  if (options.display ?? true) {
    io.attach(display, VBE_DISPI_IOPORT_INDEX, 2);
    memory.mapDevice(LFB_ADDRESS, display.vramBytes, display);
  }
  return { cpu, memory, ps2, display, irqEdges };
}
