/**
 * Reading the Multiboot2 boot information structure (the "MBI").
 *
 * Models: The Multiboot2 Specification, version 2.0, §3.6 "Boot information
 * format". A Multiboot2 loader (GRUB on a real PC, the Cotton PC's firmware
 * here) leaves the address of this structure in EBX. It is a header (total
 * size, reserved) followed by a list of tags, each starting with a 32-bit type
 * and a 32-bit size and padded so the next one starts on an 8-byte boundary.
 * The list ends with a tag of type 0.
 *
 * The parser only reads physical memory through the four read functions, so it
 * can be tested against a fake memory and it cannot change what it reads.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { MemoryRegion } from './memory-map';

/** The value a Multiboot2 loader leaves in EAX (spec §3.2). */
export const MULTIBOOT2_BOOTLOADER_MAGIC = 0x36d76289;

// Tag types (spec §3.6).
export const TAG_END = 0;
export const TAG_CMDLINE = 1;
export const TAG_BOOT_LOADER_NAME = 2;
export const TAG_MODULE = 3;
export const TAG_BASIC_MEMINFO = 4;
export const TAG_MEMORY_MAP = 6;
export const TAG_FRAMEBUFFER = 8;
export const TAG_LOAD_BASE_ADDR = 21;

/** Size of the fixed part at the start of the MBI: u32 total_size, u32 reserved. */
const MBI_HEADER_SIZE = 8;
/** Size of every tag's header: u32 type, u32 size. */
const TAG_HEADER_SIZE = 8;
/** Tags start on 8-byte boundaries. */
const TAG_ALIGN = 8;
/** In the memory map tag, the entries follow u32 entry_size and u32 entry_version. */
const MMAP_ENTRIES_OFFSET = 16;
/** One memory map entry: u64 base_addr, u64 length, u32 type, u32 reserved. */
const MMAP_ENTRY_SIZE = 24;

/** Reads of physical memory: all the parser needs from the machine. */
export type PhysicalMemory = Pick<MachineInterface, 'read8' | 'read16' | 'read32' | 'read64'>;

/** A boot module (tag 3): a file the loader put in memory next to the kernel. */
export interface BootModule {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** The linear framebuffer the loader set up (tag 8). */
export interface FramebufferInfo {
  readonly address: number;
  readonly pitch: number;
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  /** 0 indexed colour, 1 direct RGB, 2 EGA text. */
  readonly type: number;
}

/** Everything the kernel takes from the MBI. */
export interface BootInfo {
  /** Physical address of the MBI and its total size in bytes. */
  readonly address: number;
  readonly totalSize: number;
  readonly commandLine: string;
  readonly bootLoaderName: string;
  readonly memoryMap: MemoryRegion[];
  /** KiB of memory below 1 MiB and above 1 MiB (tag 4), if given. */
  readonly basicMemory?: { readonly lowerKiB: number; readonly upperKiB: number };
  readonly framebuffer?: FramebufferInfo;
  readonly modules: BootModule[];
  /** Where the loader put the kernel image (tag 21), if given. */
  readonly loadBase?: number;
}

/** Parse the MBI at physical address `mbi`. */
export function parseBootInfo(memory: PhysicalMemory, mbi: number): BootInfo {
  const totalSize = memory.read32(mbi);
  const info: Mutable<BootInfo> = {
    address: mbi,
    totalSize,
    commandLine: '',
    bootLoaderName: '',
    memoryMap: [],
    modules: [],
  };
  for (const tag of tagsOf(memory, mbi, totalSize)) {
    switch (memory.read32(tag)) {
      case TAG_CMDLINE:
        info.commandLine = readString(memory, tag + 8, tagEnd(memory, tag));
        break;
      case TAG_BOOT_LOADER_NAME:
        info.bootLoaderName = readString(memory, tag + 8, tagEnd(memory, tag));
        break;
      case TAG_MODULE:
        info.modules.push(parseModule(memory, tag));
        break;
      case TAG_BASIC_MEMINFO:
        info.basicMemory = { lowerKiB: memory.read32(tag + 8), upperKiB: memory.read32(tag + 12) };
        break;
      case TAG_MEMORY_MAP:
        info.memoryMap = parseMemoryMap(memory, tag);
        break;
      case TAG_FRAMEBUFFER:
        info.framebuffer = parseFramebuffer(memory, tag);
        break;
      case TAG_LOAD_BASE_ADDR:
        info.loadBase = memory.read32(tag + 8);
        break;
      default:
        break; // Tags we do not use are skipped, as the spec asks.
    }
  }
  return info;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The addresses of all tags before the end tag. */
function* tagsOf(memory: PhysicalMemory, mbi: number, totalSize: number): Generator<number> {
  const end = mbi + totalSize;
  let tag = mbi + MBI_HEADER_SIZE;
  while (tag + TAG_HEADER_SIZE <= end) {
    const type = memory.read32(tag);
    const size = memory.read32(tag + 4);
    if (type === TAG_END) return;
    if (size < TAG_HEADER_SIZE || tag + size > end) {
      throw new Error(
        `multiboot2: malformed tag of type ${type} at 0x${tag.toString(16)} (size ${size})`,
      );
    }
    yield tag;
    tag = alignUp(tag + size, TAG_ALIGN);
  }
}

function tagEnd(memory: PhysicalMemory, tag: number): number {
  return tag + memory.read32(tag + 4);
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** A NUL-terminated string starting at `address`, read no further than `limit`. */
function readString(memory: PhysicalMemory, address: number, limit: number): string {
  let text = '';
  for (let at = address; at < limit; at++) {
    const byte = memory.read8(at);
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Tag 3: u32 mod_start, u32 mod_end, then the module's string. */
function parseModule(memory: PhysicalMemory, tag: number): BootModule {
  return {
    start: memory.read32(tag + 8),
    end: memory.read32(tag + 12),
    name: readString(memory, tag + 16, tagEnd(memory, tag)),
  };
}

/** Tag 8: u64 addr, u32 pitch, u32 width, u32 height, u8 bpp, u8 type, then colour info. */
function parseFramebuffer(memory: PhysicalMemory, tag: number): FramebufferInfo {
  return {
    address: memory.read64(tag + 8),
    pitch: memory.read32(tag + 16),
    width: memory.read32(tag + 20),
    height: memory.read32(tag + 24),
    bitsPerPixel: memory.read8(tag + 28),
    type: memory.read8(tag + 29),
  };
}

/**
 * Tag 6, the memory map (spec §3.6.8):
 *
 *   +0  u32 type = 6        +8  u32 entry_size (24, or more in later versions)
 *   +4  u32 size            +12 u32 entry_version (0)
 *   +16 entries, each entry_size bytes apart, until the tag's size is used up:
 *       +0 u64 base_addr   +8 u64 length   +16 u32 type   +20 u32 reserved
 */
// #region exercise:memory-map
export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {
  const end = tag + memory.read32(tag + 4);
  const entrySize = memory.read32(tag + 8);
  if (entrySize < MMAP_ENTRY_SIZE)
    throw new Error(`multiboot2: memory map entry_size ${entrySize} is too small`);
  const regions: MemoryRegion[] = [];
  for (let entry = tag + MMAP_ENTRIES_OFFSET; entry + MMAP_ENTRY_SIZE <= end; entry += entrySize) {
    regions.push({
      base: memory.read64(entry),
      length: memory.read64(entry + 8),
      type: memory.read32(entry + 16),
    });
  }
  return regions;
}
// #endregion exercise:memory-map
