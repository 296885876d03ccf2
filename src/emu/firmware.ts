/**
 * The Cotton PC's firmware: a Multiboot2 loader in the role GRUB plays for CottonOS.
 *
 * It does what a Multiboot2 loader must (Multiboot2 Specification §3): find and
 * check the kernel image's header, copy the image to the address the header
 * asks for and clear its BSS, place boot modules after it, build the boot
 * information (command line, loader name, basic memory info, the memory map,
 * the framebuffer, modules, the image's load base) page-aligned after them, and
 * jump to the entry with EAX = the bootloader magic and EBX = the information's
 * address. Protected-mode and long-mode set-up, which GRUB and CottonOS's
 * boot stub share, have no counterpart in this machine.
 */
import type { BootRegisters } from './machine-interface';
import {
  BootInformationWriter,
  MULTIBOOT2_BOOTLOADER_MAGIC,
  parseHeader,
  type ImageLayout,
} from './multiboot2';
import type { PhysicalMemory } from './physical-memory';

export const FIRMWARE_NAME = 'Cotton PC firmware (Multiboot2)';
const PAGE_SIZE = 4096;
const CONVENTIONAL_MEMORY_KIB = 639;

/** A file the loader passes to the kernel alongside it (a Multiboot2 module). */
export interface BootModule {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The linear framebuffer the firmware set a mode on, as reported to the kernel. */
export interface FramebufferInfo {
  readonly addr: number;
  readonly pitch: number;
  readonly width: number;
  readonly height: number;
  readonly bpp: number;
}

export interface BootRequest {
  readonly image: Uint8Array;
  readonly commandLine: string;
  readonly modules: readonly BootModule[];
  readonly framebuffer: FramebufferInfo;
}

const pageAlign = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

/** Copy the image's loadable part to where its header says, and clear the BSS. */
function loadImage(memory: PhysicalMemory, image: Uint8Array, layout: ImageLayout): number {
  const fileStart = layout.headerOffset - (layout.headerAddr - layout.loadAddr);
  if (fileStart < 0)
    throw new Error('Multiboot2 header: load address lies before the start of the file');
  const loadEnd =
    layout.loadEndAddr === 0 ? layout.loadAddr + (image.length - fileStart) : layout.loadEndAddr;
  const bssEnd = Math.max(loadEnd, layout.bssEndAddr);
  if (bssEnd > memory.size)
    throw new Error(`kernel image (ends at 0x${bssEnd.toString(16)}) does not fit in RAM`);
  memory.writeBytes(
    layout.loadAddr,
    image.subarray(fileStart, fileStart + (loadEnd - layout.loadAddr)),
  );
  memory.writeBytes(loadEnd, new Uint8Array(bssEnd - loadEnd));
  return bssEnd;
}

/** Load the kernel and its modules, write the boot information, and return the entry registers. */
export function bootMultiboot2(memory: PhysicalMemory, request: BootRequest): BootRegisters {
  const layout = parseHeader(request.image);
  let next = pageAlign(loadImage(memory, request.image, layout));
  const info = new BootInformationWriter()
    .commandLine(request.commandLine)
    .bootLoaderName(FIRMWARE_NAME)
    .basicMemoryInfo(CONVENTIONAL_MEMORY_KIB, memory.size / 1024 - 1024)
    .memoryMap(memory.memoryMap())
    .framebuffer(request.framebuffer)
    .loadBaseAddress(layout.loadAddr);
  for (const module of request.modules) {
    memory.writeBytes(next, module.bytes);
    info.module(next, next + module.bytes.length, module.name);
    next = pageAlign(next + module.bytes.length);
  }
  const bytes = info.build();
  memory.writeBytes(next, bytes);
  return { eax: MULTIBOOT2_BOOTLOADER_MAGIC, ebx: next };
}
