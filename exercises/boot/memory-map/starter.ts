/**
 * The starter for exercise boot/memory-map: the text that takes the place of
 * the `exercise:memory-map` region in src/kernel/arch/multiboot2.ts.
 */
export const starter = `export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {
  // TODO (exercise boot/memory-map): read the memory map tag that starts at \`tag\`.
  //
  // Offsets from \`tag\` (Multiboot2 spec, section 3.6.8):
  //   +0   u32 type = 6
  //   +4   u32 size            of the whole tag, these 16 header bytes included
  //   +8   u32 entry_size      distance from one entry to the next: 24 today, but
  //                            step by this value so later, longer entries still work
  //   +12  u32 entry_version   0
  //   +16  the entries, one after the other, until tag + size:
  //          +0  u64 base_addr   first physical address of the range
  //          +8  u64 length      in bytes
  //          +16 u32 type        1 available, 2 reserved, 3 ACPI reclaimable, 4 NVS, 5 bad
  //          +20 u32 reserved
  //
  // Read with memory.read32(address) and memory.read64(address), and return one
  // { base, length, type } for each entry, in order.
  return [];
}`;
