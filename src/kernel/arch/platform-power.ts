/**
 * Power control: reset the machine, switch it off, tell the host we crashed.
 *
 *  - Reset: the PCI "Reset Control Register" at port 0xCF9 of PC chipsets
 *    (Intel PIIX/ICH datasheets). Bit 1 selects a hard (system) reset, and a
 *    0→1 transition of bit 2 starts it: writing 0x06 resets the machine.
 *  - Power off: ACPI puts the machine to sleep state S5 ("soft off") by writing
 *    SLP_TYPa | SLP_EN to the PM1a control register. A real kernel finds that
 *    register and the S5 type in the ACPI tables (FADT, \_S5); QEMU's machines
 *    and the Cotton PC have it at port 0x604, where 0x2000 (SLP_EN, type 0)
 *    switches off. CottonOS does the same.
 *  - pvpanic: QEMU's paravirtual panic device at port 0x505. Writing bit 0
 *    tells the host "the guest panicked", so a host (here, the book's page or
 *    a test) can react without scraping the console.
 */
import type { MachineInterface } from '../../emu/machine-interface';

const RESET_CONTROL_PORT = 0xcf9;
const RESET_SYSTEM = 0x02;
const RESET_CPU = 0x04;

const ACPI_PM1A_CONTROL_PORT = 0x604;
const ACPI_SLP_EN = 0x2000;

const PVPANIC_PORT = 0x505;
const PVPANIC_PANICKED = 0x01;

export function resetMachine(cpu: MachineInterface): void {
  cpu.outb(RESET_CONTROL_PORT, RESET_SYSTEM | RESET_CPU);
}

export function powerOff(cpu: MachineInterface): void {
  cpu.outw(ACPI_PM1A_CONTROL_PORT, ACPI_SLP_EN);
}

export function notifyPanic(cpu: MachineInterface): void {
  cpu.outb(PVPANIC_PORT, PVPANIC_PANICKED);
}
