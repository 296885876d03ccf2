/**
 * The kernel entry: `_start` of CottonOS, and the order in which it wakes up.
 *
 * The firmware (a Multiboot2 loader) jumps here with EAX = the Multiboot2
 * magic and EBX = the address of the boot information. Bring-up follows
 * CottonOS: serial first, so that everything after it can log; then what the
 * boot loader tells us (memory map, command line, framebuffer); then
 * interrupts (exception gates, PIC remap), the timer, the clock; then
 * memory (frames, the kernel's page tables); then the first task, init
 * (pid 1, ./kernel-init.ts), which mounts the file systems, starts the shell
 * and becomes /bin/init; and the scheduler's main loop, which never returns. A JavaScript exception anywhere in here is a kernel panic.
 */
import type { BootRegisters, KernelEntry, MachineInterface } from '../../emu/machine-interface';
import { CmosRtc } from '../drivers/cmos-rtc';
import { SerialConsole } from '../drivers/console';
import { Pic8259Pair } from '../arch/pic8259';
import { PIT_DIVISOR, PIT_INPUT_HZ, Pit8254, TIMER_IRQ } from '../drivers/pit8254';
import { COM1_IRQ, COM1_PORT, CONSOLE_BAUD, Uart16550 } from '../drivers/uart16550';
import { BOLD, CYAN, DIM, paint } from '../lib/ansi';
import { formatIsoDateTime, utcSeconds } from '../lib/date';
import { formatSize, hex } from '../lib/format';
import { KernelLog } from '../lib/klog';
import { panic } from '../arch/panic';
import { RandomPool } from '../lib/random';
import { KERNEL_DIRECT_MAP_BASE } from '../mm/address-space';
import { FRAME_SIZE } from '../mm/frame-allocator';
import { setUpMemory } from '../mm/kernel-memory';
import { memoryTypeName, summarizeMemory } from '../arch/memory-map';
import { runMainLoop, spawn, timerTick } from '../sched/scheduler';
import { installExceptionHandlers, installIrqHandler } from '../arch/interrupts';
import type { KernelCore } from '../proc/kernel';
import { probeNetwork } from '../net/network';
import { kernelInit } from './kernel-init';
import { MULTIBOOT2_BOOTLOADER_MAGIC, parseBootInfo } from '../arch/multiboot2';
import type { BootInfo } from '../arch/multiboot2';
import { KERNEL_EDITION, KERNEL_NAME, KERNEL_VERSION } from '../lib/version';

export const kernelEntry: KernelEntry = function* (cpu, boot) {
  try {
    const core = bringUp(cpu, boot);
    core.log.log(
      'sched',
      'starting kernel thread "init" (pid 1): mount the file systems, then exec /bin/init',
    );
    spawn('init', kernelInit(core));
  } catch (error) {
    yield* panic(cpu, error);
  }
  yield* runMainLoop(cpu);
};

/** Everything between the firmware's jump and the first thread, in order. */
function bringUp(cpu: MachineInterface, boot: BootRegisters): KernelCore {
  checkMultibootMagic(boot.eax);

  // Serial first: from here on every step can log.
  const uart = new Uart16550(cpu, COM1_PORT);
  uart.init(CONSOLE_BAUD);
  const serialConsole = new SerialConsole(cpu, uart);
  const pit = new Pit8254(cpu);
  const log = new KernelLog(serialConsole, () => pit.uptimeMicros());
  serialConsole.write(banner());
  log.log('serial', `COM1 16550 UART at ${hex(COM1_PORT)}, ${CONSOLE_BAUD} 8N1, irq ${COM1_IRQ}`);

  const bootInfo = parseBootInfo(cpu, boot.ebx);
  logBootInfo(log, bootInfo);

  installExceptionHandlers(cpu);
  log.log('idt', 'exception gates 0-31 installed');

  const pic = new Pic8259Pair(cpu);
  pic.remap();
  log.log('pic', 'remapped to 0x20/0x28, all IRQs masked');

  pit.start();
  installIrqHandler(cpu, pic, TIMER_IRQ, () => {
    pit.tick();
    timerTick(pit.ticks);
  });
  log.log(
    'pit',
    `channel 0 rate generator, divisor ${PIT_DIVISOR}: ${(PIT_INPUT_HZ / PIT_DIVISOR).toFixed(2)} Hz, irq ${TIMER_IRQ}`,
  );

  installIrqHandler(cpu, pic, COM1_IRQ, () => serialConsole.handleInterrupt());
  uart.enableReceiveInterrupt();
  log.log('serial', 'receive interrupts enabled');

  cpu.sti();
  log.log('irq', 'interrupts enabled');

  const rtc = new CmosRtc(cpu);
  log.log('rtc', formatIsoDateTime(rtc.read()));

  const memory = setUpMemory(cpu, bootInfo);
  const { frames } = memory;
  log.log(
    'mm',
    `frame allocator: ${frames.totalFrames} frames of 4 KiB, ${frames.usedFrames} in use, ${formatSize(frames.freeFrames * FRAME_SIZE)} free`,
  );
  log.log(
    'mm',
    `kernel address space: PML4 at ${hex(memory.kernelSpace.root)}, RAM mapped at ${hex(KERNEL_DIRECT_MAP_BASE, 16)}`,
  );
  log.log(
    'mm',
    `kernel heap: ${formatSize(memory.heap.stats().sizeBytes)} at ${hex(memory.heap.start)}, growable to ${formatSize(memory.heap.maxSize)}`,
  );

  const clock = () => utcSeconds(rtc.read());
  const random = new RandomPool(clock());
  const net = probeNetwork({ cpu, pic, pit, heap: memory.heap, random, log });
  return { cpu, console: serialConsole, log, bootInfo, pic, pit, rtc, memory, random, clock, net };
}

function checkMultibootMagic(eax: number): void {
  if (eax !== MULTIBOOT2_BOOTLOADER_MAGIC) {
    throw new Error(
      `boot: not started by a Multiboot2 boot loader (EAX = ${hex(eax >>> 0)}, expected ${hex(MULTIBOOT2_BOOTLOADER_MAGIC)})`,
    );
  }
}

function banner(): string {
  return `\r\n${paint(BOLD + CYAN, `${KERNEL_NAME} ${KERNEL_VERSION}`)} ${paint(DIM, `(${KERNEL_EDITION}) on the Cotton PC`)}\r\n\r\n`;
}

/** What the boot loader told us, in the style of Linux's early boot messages. */
function logBootInfo(log: KernelLog, info: BootInfo): void {
  log.log('boot', `Multiboot2 information at ${hex(info.address)}, ${info.totalSize} bytes`);
  log.log('boot', `boot loader: ${info.bootLoaderName || '(unnamed)'}`);
  log.log('boot', `command line: "${info.commandLine}"`);
  if (info.loadBase !== undefined) log.log('boot', `kernel image loaded at ${hex(info.loadBase)}`);
  for (const module of info.modules) {
    log.log('boot', `module "${module.name}" at ${hex(module.start)}-${hex(module.end)}`);
  }
  log.log('mem', 'physical memory map from the boot loader:');
  for (const region of info.memoryMap) {
    const last = region.base + region.length - 1;
    log.log('mem', `  [${hex(region.base, 16)}-${hex(last, 16)}] ${memoryTypeName(region.type)}`);
  }
  const { usable, reserved } = summarizeMemory(info.memoryMap);
  log.log('mem', `${formatSize(usable)} usable, ${formatSize(reserved)} reserved`);
  const fb = info.framebuffer;
  if (fb) {
    log.log(
      'fb',
      `${fb.width}x${fb.height}x${fb.bitsPerPixel} linear framebuffer at ${hex(fb.address)}, pitch ${fb.pitch}`,
    );
  } else {
    log.log('fb', 'no framebuffer');
  }
}
