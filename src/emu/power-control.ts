/**
 * The chipset's reset and power-off controls, and QEMU's pvpanic device.
 *
 * - Reset Control Register at 0xCF9 (Intel ICH/PIIX): writing a value with
 *   bit 2 (RST_CPU) set resets the machine; it is how Linux's `reboot=pci` and
 *   most hobby kernels reboot a PC.
 * - ACPI PM1a control at 0x604, as QEMU's q35/PIIX4 firmware sets it up:
 *   writing SLP_EN (bit 13) with sleep type 0 (S5) powers the machine off.
 * - pvpanic at 0x505: the guest writes bit 0 (PANICKED) so the host knows the
 *   kernel panicked, rather than guessing from its console text; reading the
 *   port returns the features supported.
 * The machine acts on these requests when the CPU next stops executing the
 * kernel (see cpu-core.ts).
 */
import type { DeviceState } from './device-state';

const RST_CPU = 0x04;
const SLP_EN = 0x2000;
const SLP_TYP_MASK = 0x1c00;
const PVPANIC_PANICKED = 0x01;

export type PowerEvent = 'reset' | 'poweroff' | 'panic';

export class PowerControl {
  readonly name = 'reset/ACPI/pvpanic';
  /** What the kernel asked for most recently, until the machine acts on it. */
  request: PowerEvent | null = null;

  saveState(): DeviceState {
    return { request: this.request };
  }

  in8(port: number): number {
    return port === 0x505 ? PVPANIC_PANICKED : 0;
  }

  out8(port: number, value: number): void {
    if (port === 0xcf9 && value & RST_CPU) this.request = 'reset';
    if (port === 0x505 && value & PVPANIC_PANICKED) this.request ??= 'panic';
  }

  in16(): number {
    return 0;
  }

  out16(port: number, value: number): void {
    if (port === 0x604 && value & SLP_EN && (value & SLP_TYP_MASK) === 0) this.request = 'poweroff';
  }
}
