/**
 * A minimal ELF32 reader: the file header and the PT_LOAD program headers of a
 * static little-endian RISC-V executable (System V gABI, "ELF Header" and
 * "Program Header"; RISC-V ELF psABI for EM_RISCV). Enough for the emulator's
 * own tests and benchmarks to load user programs; the kernel has its own loader.
 */

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read little-endian
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const ET_EXEC = 2;
const EM_RISCV = 243;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface Elf32Segment {
  readonly vaddr: number;
  readonly memsz: number;
  /** PF_R | PF_W | PF_X. */
  readonly flags: number;
  /** The bytes from the file (the rest up to memsz is zero: bss). */
  readonly data: Uint8Array;
}

export interface Elf32Executable {
  readonly entry: number;
  readonly segments: readonly Elf32Segment[];
}

export function parseElf32(file: Uint8Array): Elf32Executable {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 52 || view.getUint32(0, true) !== ELF_MAGIC) throw new Error('not an ELF file');
  if (file[4] !== ELFCLASS32 || file[5] !== ELFDATA2LSB)
    throw new Error('not a little-endian ELF32 file');
  if (view.getUint16(16, true) !== ET_EXEC) throw new Error('not an executable (ET_EXEC)');
  if (view.getUint16(18, true) !== EM_RISCV) throw new Error('not a RISC-V executable');
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  const segments: Elf32Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4, true);
    const filesz = view.getUint32(at + 16, true);
    segments.push({
      vaddr: view.getUint32(at + 8, true),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
      data: file.subarray(offset, offset + filesz),
    });
  }
  return { entry, segments };
}
