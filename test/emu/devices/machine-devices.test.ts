import { describe, expect, it } from 'vitest';
import { CottonPC } from '../../../src/emu/machine';
import type { MachineInterface } from '../../../src/emu/machine-interface';
import { buildHeader } from '../../../src/emu/multiboot2';

const layout = {
  headerAddr: 0x100000,
  loadAddr: 0x100000,
  loadEndAddr: 0x100100,
  bssEndAddr: 0x102000,
  entryAddr: 0x100040,
};

function image(): Uint8Array {
  const bytes = new Uint8Array(0x100);
  bytes.set(buildHeader(layout));
  return bytes;
}

/** Remap the PICs to 0x20/0x28 and unmask everything, as a kernel's bring-up does. */
function initPics(cpu: MachineInterface): void {
  for (const [port, value] of [
    [0x20, 0x11],
    [0xa0, 0x11],
    [0x21, 0x20],
    [0xa1, 0x28],
    [0x21, 4],
    [0xa1, 2],
    [0x21, 1],
    [0xa1, 1],
    [0x21, 0],
    [0xa1, 0],
  ]) {
    cpu.outb(port!, value!);
  }
}

const eoi = (cpu: MachineInterface, irq: number): void => {
  if (irq >= 8) cpu.outb(0xa0, 0x20);
  cpu.outb(0x20, 0x20);
};

/**
 * A tiny kernel: IRQ handlers that read their device and log what they got,
 * then a HLT loop. `setup` runs before interrupts are enabled.
 */
function bootWith(setup: (cpu: MachineInterface) => void, disk?: Uint8Array) {
  const log: string[] = [];
  let cpuSeen: MachineInterface | null = null;
  const pc = new CottonPC({
    ramBytes: 8 << 20,
    disk: disk && { bytes: disk },
    kernel: {
      image: image(),
      *entry(cpu) {
        cpuSeen = cpu;
        initPics(cpu);
        cpu.setInterruptGate(0x20, () => eoi(cpu, 0));
        cpu.setInterruptGate(
          0x21,
          () => (log.push(`kbd ${cpu.inb(0x60).toString(16)}`), eoi(cpu, 1)),
        );
        cpu.setInterruptGate(
          0x2c,
          () => (log.push(`mouse ${cpu.inb(0x60).toString(16)}`), eoi(cpu, 12)),
        );
        cpu.setInterruptGate(0x2e, () => {
          const status = cpu.inb(0x1f7);
          const words = status & 0x08 ? Array.from({ length: 256 }, () => cpu.inw(0x1f0)) : [];
          log.push(`ata ${status.toString(16)} ${words[0] ?? ''}`);
          eoi(cpu, 14);
        });
        cpu.setInterruptGate(0x2b, () => {
          const isr = cpu.inw(0xc03e);
          cpu.outw(0xc03e, isr);
          log.push(`nic ${isr.toString(16)}`);
          eoi(cpu, 11);
        });
        setup(cpu);
        cpu.sti();
        for (;;) yield cpu.hlt();
      },
    },
  });
  const run = (ms: number): void => void pc.run(pc.clock.now + ms * 1_000_000);
  return { pc, log, run, cpu: () => cpuSeen! };
}

describe('Cotton PC devices behind the PIC', () => {
  it('delivers key presses on IRQ1 and mouse packets on IRQ12 to the kernel', () => {
    const { pc, log, run } = bootWith((cpu) => {
      cpu.outb(0x64, 0x60);
      cpu.outb(0x60, 0x47); // keyboard and mouse interrupts, translation
      cpu.outb(0x64, 0xd4);
      cpu.outb(0x60, 0xf4); // mouse: enable reporting (its ACK comes on IRQ12)
    });
    run(1);
    pc.keyEvent('ArrowLeft', true);
    pc.mouseEvent(1, -1, 0);
    run(1);
    expect(log).toEqual(['mouse fa', 'kbd e0', 'kbd 4b', 'mouse 8', 'mouse 1', 'mouse 1']);
  });

  it('raises IRQ14 when a sector is ready and the handler reads it', () => {
    const disk = new Uint8Array(8 * 512);
    disk[2 * 512] = 0x34;
    disk[2 * 512 + 1] = 0x12;
    const { log, run } = bootWith((cpu) => {
      cpu.outb(0x1f6, 0xe0);
      cpu.outb(0x1f2, 1);
      cpu.outb(0x1f3, 2);
      cpu.outb(0x1f4, 0);
      cpu.outb(0x1f5, 0);
      cpu.outb(0x1f7, 0x20);
    }, disk);
    run(1);
    expect(log).toEqual([`ata 58 ${0x1234}`]);
  });

  it('has no ATA disk without an image: the ports float', () => {
    const { pc } = bootWith(() => {});
    expect(pc.io.in8(0x1f7)).toBe(0xff);
  });

  it('raises IRQ 11 for a frame the NIC sent and for the gateway reply it received', () => {
    const { pc, log, run } = bootWith((cpu) => {
      cpu.outl(0xcf8, 0x8000_1804);
      cpu.outw(0xcfc, cpu.inw(0xcfc) | 0x04);
      cpu.outb(0xc037, 0x10);
      cpu.outl(0xc030, 0x200000);
      cpu.outw(0xc03c, 0x05);
      cpu.outl(0xc044, 0x8f);
      cpu.outb(0xc037, 0x0c);
      const arp = [
        ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ...[0x52, 0x54, 0, 0x12, 0x34, 0x56],
        0x08,
        0x06,
        0,
        1,
        8,
        0,
        6,
        4,
        0,
        1,
        ...[0x52, 0x54, 0, 0x12, 0x34, 0x56],
        10,
        0,
        2,
        15,
        0,
        0,
        0,
        0,
        0,
        0,
        10,
        0,
        2,
        2,
      ];
      cpu.writeBytes(0x300000, Uint8Array.from(arp));
      cpu.outl(0xc020, 0x300000);
      cpu.outl(0xc010, arp.length);
    });
    run(2);
    expect(log).toEqual(['nic 4', 'nic 1']);
    expect(pc.nic.framesReceived).toBe(1);
  });
});
