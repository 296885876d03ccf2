/**
 * The ELF loader: what exec does with a program file.
 *
 * Models loading a static executable as the System V gABI describes it
 * ("ELF Header", "Program Header": an ELF32 file, little-endian, ET_EXEC, for
 * EM_RISCV as the RISC-V ELF psABI defines it). Only PT_LOAD segments matter:
 * each says "map memsz bytes at vaddr with these rights, the first filesz of
 * them from the file at offset; the rest (bss) is zero". Every field comes
 * from a file the user controls, so parsing checks every one before anything
 * is mapped, and says precisely what is wrong (exec fails with ENOEXEC).
 *
 * Rights per segment, from p_flags: W → writable, otherwise read-only; X →
 * executable, otherwise no-execute (XD, Intel SDM Vol. 3A §4.6). The user
 * linker script (src/userland/link.ld) puts code, read-only data and data on
 * separate pages so that each page gets exactly its segment's rights; segments
 * that share a page are refused as overlapping.
 *
 * The process's start (CottonOS's ABI, read by src/userland/crt0.S):
 *
 *   pc = e_entry
 *   a0 = argc
 *   a1 = argv: pointer to argc string pointers followed by a NULL pointer
 *   sp = argv (16-byte aligned, as the RISC-V psABI requires of sp)
 *
 *   USER_STACK_TOP ─┐
 *                   │ argument strings, NUL-terminated, argv[0] lowest
 *                   │ (padding to 16 bytes)
 *                   │ NULL
 *                   │ argv[argc-1] … argv[0]   ← argv = sp
 *
 * so `int main(int argc, char **argv)` gets its arguments in the registers
 * the calling convention says, without any help from crt0. The heap (brk)
 * starts at the page after the highest segment.
 */
import { utf8Encode } from '../lib/utf8';
import {
  type AreaKind,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  type ProcessMemory,
  USER_SPACE_START,
  USER_STACK_BOTTOM,
  USER_STACK_TOP,
  pageDown,
  pageUp,
} from '../mm/process-memory';
import { SyscallError } from '../lib/errno';

// ---- ELF constants (gABI, RISC-V psABI) ----

const ELF_HEADER_SIZE = 52;
const PROGRAM_HEADER_SIZE = 32;
const EI_CLASS = 4;
const EI_DATA = 5;
const EI_VERSION = 6;
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
const ET_EXEC = 2;
export const EM_RISCV = 243;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

/** More PT_LOAD segments than any CottonOS program needs: a corrupted file. */
export const MAX_LOAD_SEGMENTS = 16;
/** At most this many program headers in all. */
export const MAX_PROGRAM_HEADERS = 64;
/** Room for argument strings and pointers (Linux allows far more; CottonOS's are short commands). */
export const MAX_ARGUMENT_BYTES = 64 * 1024;

export interface LoadSegment {
  readonly vaddr: number;
  readonly memsz: number;
  readonly offset: number;
  readonly filesz: number;
  /** PF_R | PF_W | PF_X. */
  readonly flags: number;
}

export interface ElfProgram {
  readonly entry: number;
  readonly segments: readonly LoadSegment[];
}

export interface LoadedProgram {
  /** The first instruction (pc). */
  readonly entry: number;
  /** The initial sp; equals `argv`. */
  readonly stackPointer: number;
  /** a0. */
  readonly argc: number;
  /** a1: the address of argv[0]'s pointer. */
  readonly argv: number;
}

// ---- Parsing ----

/** Check an executable and list its loadable segments. Throws ENOEXEC with the reason. */
export function parseElf(file: Uint8Array): ElfProgram {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  checkIdentification(file);
  if (view.getUint16(16, true) !== ET_EXEC)
    notExecutable('not an executable (e_type is not ET_EXEC)');
  const machine = view.getUint16(18, true);
  if (machine !== EM_RISCV)
    notExecutable(`wrong machine ${machine} (expected RISC-V, ${EM_RISCV})`);
  const entry = view.getUint32(24, true);
  const segments = readLoadSegments(view);
  checkNoOverlap(segments);
  if (
    !segments.some((s) => (s.flags & PF_X) !== 0 && entry >= s.vaddr && entry < s.vaddr + s.memsz)
  ) {
    notExecutable(`entry point 0x${entry.toString(16)} is not in an executable segment`);
  }
  return { entry, segments };
}

function checkIdentification(file: Uint8Array): void {
  if (file.length < ELF_HEADER_SIZE) notExecutable('file too short for an ELF header');
  if (file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46)
    notExecutable('bad magic (not an ELF file)');
  if (file[EI_CLASS] !== ELFCLASS32) notExecutable('not a 32-bit ELF file');
  if (file[EI_DATA] !== ELFDATA2LSB) notExecutable('not a little-endian ELF file');
  if (file[EI_VERSION] !== EV_CURRENT) notExecutable('unknown ELF version');
}

function readLoadSegments(view: DataView): LoadSegment[] {
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phentsize !== PROGRAM_HEADER_SIZE)
    notExecutable(`program header size ${phentsize}, expected ${PROGRAM_HEADER_SIZE}`);
  if (phnum > MAX_PROGRAM_HEADERS) notExecutable(`too many segments (${phnum} program headers)`);
  if (phoff + phnum * PROGRAM_HEADER_SIZE > view.byteLength)
    notExecutable('program headers beyond the end of the file');
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PROGRAM_HEADER_SIZE;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const segment: LoadSegment = {
      offset: view.getUint32(at + 4, true),
      vaddr: view.getUint32(at + 8, true),
      filesz: view.getUint32(at + 16, true),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
    };
    checkSegment(segment, i, view.byteLength);
    segments.push(segment);
  }
  if (segments.length === 0) notExecutable('no loadable segments');
  if (segments.length > MAX_LOAD_SEGMENTS)
    notExecutable(`too many segments (${segments.length} PT_LOAD, at most ${MAX_LOAD_SEGMENTS})`);
  return segments;
}

function checkSegment(segment: LoadSegment, index: number, fileLength: number): void {
  const name = `segment ${index}`;
  if (segment.filesz > segment.memsz) notExecutable(`${name}: file size larger than memory size`);
  if (segment.offset + segment.filesz > fileLength)
    notExecutable(`${name}: segment beyond the end of the file`);
  const end = segment.vaddr + segment.memsz;
  if (segment.memsz === 0 || segment.vaddr < USER_SPACE_START || end > USER_STACK_TOP) {
    notExecutable(
      `${name}: segment outside user space (0x${segment.vaddr.toString(16)}–0x${end.toString(16)})`,
    );
  }
  if (end > USER_STACK_BOTTOM) notExecutable(`${name}: segment overlaps the stack area`);
}

/** Segments must not share a page: each page gets one segment's rights. */
function checkNoOverlap(segments: readonly LoadSegment[]): void {
  const sorted = [...segments].sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (pageUp(previous.vaddr + previous.memsz) > pageDown(current.vaddr)) {
      notExecutable(
        `overlapping segments at 0x${previous.vaddr.toString(16)} and 0x${current.vaddr.toString(16)} (they share a page)`,
      );
    }
  }
}

function notExecutable(reason: string): never {
  throw new SyscallError('ENOEXEC', reason);
}

// ---- Loading ----

/**
 * Load `elfBytes` into `memory` (a fresh process memory: exec makes one and
 * destroys it if this throws) and build the initial stack for `argv`.
 */
export function loadProgram(
  memory: ProcessMemory,
  elfBytes: Uint8Array,
  argv: readonly string[],
): LoadedProgram {
  const program = parseElf(elfBytes);
  let highest = 0;
  for (const segment of program.segments) {
    loadSegment(memory, elfBytes, segment);
    highest = Math.max(highest, segment.vaddr + segment.memsz);
  }
  memory.setHeapStart(pageUp(highest));
  const stack = buildInitialStack(memory, argv);
  return { entry: program.entry, ...stack };
}

/** Map a segment's pages (zeroed, so bss needs no more) and copy its file bytes in. */
function loadSegment(memory: ProcessMemory, file: Uint8Array, segment: LoadSegment): void {
  const start = pageDown(segment.vaddr);
  const end = pageUp(segment.vaddr + segment.memsz);
  memory.mapFixed(start, end - start, segmentProtection(segment.flags), segmentKind(segment.flags));
  memory.loadBytes(segment.vaddr, file.subarray(segment.offset, segment.offset + segment.filesz));
}

function segmentProtection(flags: number): number {
  return (
    ((flags & PF_R) !== 0 ? PROT_READ : 0) |
    ((flags & PF_W) !== 0 ? PROT_WRITE : 0) |
    ((flags & PF_X) !== 0 ? PROT_EXEC : 0)
  );
}

function segmentKind(flags: number): AreaKind {
  if ((flags & PF_X) !== 0) return 'code';
  return (flags & PF_W) !== 0 ? 'data' : 'rodata';
}

/** Strings at the top of the stack, then the argv array, sp = argv aligned to 16 (see the header). */
function buildInitialStack(
  memory: ProcessMemory,
  argv: readonly string[],
): Omit<LoadedProgram, 'entry'> {
  const strings = argv.map((arg) => nulTerminated(utf8Encode(arg)));
  const stringBytes = strings.reduce((sum, s) => sum + s.length, 0);
  const pointerBytes = (argv.length + 1) * 4;
  if (stringBytes + pointerBytes + 16 > MAX_ARGUMENT_BYTES)
    throw new SyscallError('E2BIG', 'argument list too long');
  let at = USER_STACK_TOP - stringBytes;
  const pointers: number[] = [];
  for (const bytes of strings) {
    memory.writeBytes(at, bytes);
    pointers.push(at);
    at += bytes.length;
  }
  const argvAddress = alignDown(USER_STACK_TOP - stringBytes - pointerBytes, 16);
  pointers.forEach((pointer, i) => memory.writeWord(argvAddress + i * 4, pointer));
  memory.writeWord(argvAddress + argv.length * 4, 0);
  return { stackPointer: argvAddress, argc: argv.length, argv: argvAddress };
}

function nulTerminated(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function alignDown(value: number, alignment: number): number {
  return value - (value % alignment);
}
