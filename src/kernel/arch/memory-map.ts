/**
 * The physical memory map: which physical address ranges are RAM.
 *
 * On a PC the firmware, not the kernel, knows where RAM is: the BIOS answers
 * INT 15h, EAX=E820h with a list of ranges and a type for each, and Multiboot2
 * loaders pass that same list on (Multiboot2 spec §3.6.8, whose type numbers
 * are the E820 ones from the ACPI spec, "System Address Map Interfaces").
 * Everything the kernel later does with memory, starting with the frame
 * allocator, is built on this list, so it gets its own small module.
 */

/** One range of physical addresses, as the firmware reported it. */
export interface MemoryRegion {
  /** First physical address of the range. */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
  /** One of the MEMORY_* types below (other values are treated as reserved). */
  readonly type: number;
}

// Range types (ACPI "Address Range Types", the E820 numbering).
export const MEMORY_AVAILABLE = 1;
export const MEMORY_RESERVED = 2;
export const MEMORY_ACPI_RECLAIMABLE = 3;
export const MEMORY_ACPI_NVS = 4;
export const MEMORY_BAD = 5;

/** A readable name for a range type, as in Linux's "BIOS-e820:" lines. */
export function memoryTypeName(type: number): string {
  switch (type) {
    case MEMORY_AVAILABLE:
      return 'available';
    case MEMORY_RESERVED:
      return 'reserved';
    case MEMORY_ACPI_RECLAIMABLE:
      return 'ACPI data';
    case MEMORY_ACPI_NVS:
      return 'ACPI NVS';
    case MEMORY_BAD:
      return 'bad memory';
    default:
      return `type ${type}`;
  }
}

/** Totals over the whole map, in bytes. */
export interface MemorySummary {
  /** Sum of all ranges. */
  readonly total: number;
  /** RAM the kernel may use (type 1). */
  readonly usable: number;
  /** Everything else: firmware areas, ACPI tables, bad RAM. */
  readonly reserved: number;
}

export function summarizeMemory(regions: readonly MemoryRegion[]): MemorySummary {
  let total = 0;
  let usable = 0;
  for (const region of regions) {
    total += region.length;
    if (region.type === MEMORY_AVAILABLE) usable += region.length;
  }
  return { total, usable, reserved: total - usable };
}
