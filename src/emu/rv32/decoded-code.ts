/**
 * Pre-decoded instructions: each instruction word the interpreter executes is
 * decoded once into an operation number, register numbers and a ready
 * immediate, and kept per physical code page until a write changes the word.
 *
 * RISC-V Unprivileged ISA 20191213: §2.2–2.3 (formats and immediates), chapter
 * 2 (RV32I), 7 (M), 8 (A), with the encodings of chapter 24 (encoding.ts).
 *
 * `decode` is the whole decoder: it resolves opcode, funct3 and funct7 to one
 * of the OP_* operations below, so the interpreter's switch has one flat case
 * per instruction and does no field checks of its own. Encodings outside
 * RV32IMA decode to OP_ILLEGAL (the trap carries the instruction's bits);
 * instructions whose only effect is a write to x0 decode to OP_NOP, so the
 * interpreter never has to re-zero x0 after ALU operations.
 *
 * A decoded page is an Int32Array of two entries per instruction word:
 *   [2k]     op | rd << 8 | rs1 << 16 | rs2 << 24
 *   [2k + 1] the immediate (sign-extended, shifted into place)
 * followed by an OP_PAGE_END entry where the next page begins (the interpreter
 * leaves the page without comparing page numbers on every instruction). Words
 * start as OP_UNDECODED (0) and are decoded on first execution. Pages are
 * keyed by physical address, so a page mapped at two virtual addresses shares
 * them, and are write-watched (code-watch.ts): a write over a decoded word —
 * the program's own store, or the kernel reusing the frame — turns it back into
 * OP_UNDECODED, and nothing else is ever thrown away.
 */
import type { CodeWatch } from './code-watch';
import { WATCH_DECODED } from './code-watch';
import {
  F3_WORD,
  F7_ALT,
  F7_BASE,
  F7_MULDIV,
  funct3Of,
  funct7Of,
  immB,
  immI,
  immJ,
  immS,
  immU,
  INSN_EBREAK,
  INSN_ECALL,
  OPCODE_AMO,
  OPCODE_AUIPC,
  OPCODE_BRANCH,
  OPCODE_JAL,
  OPCODE_JALR,
  OPCODE_LOAD,
  OPCODE_LUI,
  OPCODE_MISC_MEM,
  OPCODE_OP,
  OPCODE_OP_IMM,
  OPCODE_STORE,
  OPCODE_SYSTEM,
  opcodeOf,
  rdOf,
  rs1Of,
  rs2Of,
} from './encoding';

// ---- Operations. The interpreter's switch uses these numbers as literals (see there). ----
/** Not decoded yet. */
export const OP_UNDECODED = 0;
/** The entry after a page's last word: the pc has left the page. */
export const OP_PAGE_END = 1;
/** No architectural effect: FENCE, FENCE.I, and ALU/LUI/AUIPC writing x0. */
export const OP_NOP = 2;
/** Not an RV32IMA instruction; imm holds its bits. */
export const OP_ILLEGAL = 3;
export const OP_ECALL = 4;
export const OP_EBREAK = 5;
/** LR/SC/AMO (chapter 8), executed by `executeAtomic`; imm holds the instruction. */
export const OP_ATOMIC = 6;
// OP-IMM: rd, rs1, imm (the shift amount for the shifts)
export const OP_ADDI = 7;
export const OP_SLTI = 8;
export const OP_SLTIU = 9;
export const OP_XORI = 10;
export const OP_ORI = 11;
export const OP_ANDI = 12;
export const OP_SLLI = 13;
export const OP_SRLI = 14;
export const OP_SRAI = 15;
// OP: rd, rs1, rs2
export const OP_ADD = 16;
export const OP_SUB = 17;
export const OP_SLL = 18;
export const OP_SLT = 19;
export const OP_SLTU = 20;
export const OP_XOR = 21;
export const OP_SRL = 22;
export const OP_SRA = 23;
export const OP_OR = 24;
export const OP_AND = 25;
export const OP_MUL = 26;
export const OP_MULH = 27;
export const OP_MULHSU = 28;
export const OP_MULHU = 29;
export const OP_DIV = 30;
export const OP_DIVU = 31;
export const OP_REM = 32;
export const OP_REMU = 33;
// rd, imm (the U-immediate in place)
export const OP_LUI = 34;
export const OP_AUIPC = 35;
// Loads: rd (never 0), rs1, imm
export const OP_LB = 36;
export const OP_LH = 37;
export const OP_LW = 38;
export const OP_LBU = 39;
export const OP_LHU = 40;
/** A load into x0: performed (it may fault), result dropped; rs2 holds funct3. */
export const OP_LOAD_X0 = 41;
// Stores: rs1, rs2, imm
export const OP_SB = 42;
export const OP_SH = 43;
export const OP_SW = 44;
// Branches: rs1, rs2, imm (the offset, a multiple of 4)
export const OP_BEQ = 45;
export const OP_BNE = 46;
export const OP_BLT = 47;
export const OP_BGE = 48;
export const OP_BLTU = 49;
export const OP_BGEU = 50;
/** A branch whose target is not 4-aligned: traps if taken. rd holds funct3. */
export const OP_BRANCH_MISALIGNED = 51;
/** JAL: rd (never 0), imm (the offset). */
export const OP_JAL = 52;
/** JAL x0 (J): imm. */
export const OP_J = 53;
/** A JAL whose target is not 4-aligned: always traps. imm holds the offset. */
export const OP_JAL_MISALIGNED = 54;
/** JALR: rd (may be 0), rs1, imm. */
export const OP_JALR = 55;
export const OP_COUNT = 56;

/** One decoded instruction. */
export interface Decoded {
  readonly op: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: number;
}

const decoded = (op: number, rd = 0, rs1 = 0, rs2 = 0, imm = 0): Decoded => ({
  op,
  rd,
  rs1,
  rs2,
  imm,
});
const illegal = (insn: number): Decoded => decoded(OP_ILLEGAL, 0, 0, 0, insn | 0);

const OP_IMM_OPS = [OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU, OP_XORI, OP_SRLI, OP_ORI, OP_ANDI];
const OP_BASE_OPS = [OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND];
const OP_MULDIV_OPS = [OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU];
const LOAD_OPS = [OP_LB, OP_LH, OP_LW, -1, OP_LBU, OP_LHU, -1, -1];
const STORE_OPS = [OP_SB, OP_SH, OP_SW];
const BRANCH_OPS = [OP_BEQ, OP_BNE, -1, -1, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU];

/** Decode one instruction word (any 32-bit value). */
export function decode(insn: number): Decoded {
  insn |= 0;
  const rd = rdOf(insn);
  const rs1 = rs1Of(insn);
  const rs2 = rs2Of(insn);
  const funct3 = funct3Of(insn);
  const funct7 = funct7Of(insn);
  const result = (op: number, imm = 0): Decoded => decoded(op, rd, rs1, rs2, imm);
  switch (opcodeOf(insn)) {
    case OPCODE_OP_IMM: {
      let op = OP_IMM_OPS[funct3]!;
      if (funct3 === 1 && funct7 !== F7_BASE) return illegal(insn); // SLLI
      if (funct3 === 5) {
        if (funct7 === F7_ALT) op = OP_SRAI;
        else if (funct7 !== F7_BASE) return illegal(insn);
      }
      if (rd === 0) return decoded(OP_NOP);
      return result(op, funct3 === 1 || funct3 === 5 ? immI(insn) & 31 : immI(insn));
    }
    case OPCODE_OP: {
      let op: number;
      if (funct7 === F7_BASE) op = OP_BASE_OPS[funct3]!;
      else if (funct7 === F7_MULDIV) op = OP_MULDIV_OPS[funct3]!;
      else if (funct7 === F7_ALT && funct3 === 0) op = OP_SUB;
      else if (funct7 === F7_ALT && funct3 === 5) op = OP_SRA;
      else return illegal(insn);
      return rd === 0 ? decoded(OP_NOP) : result(op);
    }
    case OPCODE_LUI:
      return rd === 0 ? decoded(OP_NOP) : result(OP_LUI, immU(insn));
    case OPCODE_AUIPC:
      return rd === 0 ? decoded(OP_NOP) : result(OP_AUIPC, immU(insn));
    case OPCODE_LOAD: {
      const op = LOAD_OPS[funct3]!;
      if (op < 0) return illegal(insn);
      return rd === 0 ? decoded(OP_LOAD_X0, 0, rs1, funct3, immI(insn)) : result(op, immI(insn));
    }
    case OPCODE_STORE:
      return funct3 > F3_WORD ? illegal(insn) : result(STORE_OPS[funct3]!, immS(insn));
    case OPCODE_BRANCH: {
      const op = BRANCH_OPS[funct3]!;
      if (op < 0) return illegal(insn);
      const offset = immB(insn);
      return (offset & 3) !== 0
        ? decoded(OP_BRANCH_MISALIGNED, funct3, rs1, rs2, offset)
        : result(op, offset);
    }
    case OPCODE_JAL: {
      const offset = immJ(insn);
      if ((offset & 3) !== 0) return decoded(OP_JAL_MISALIGNED, 0, 0, 0, offset);
      return rd === 0 ? decoded(OP_J, 0, 0, 0, offset) : result(OP_JAL, offset);
    }
    case OPCODE_JALR:
      return funct3 !== 0 ? illegal(insn) : result(OP_JALR, immI(insn));
    case OPCODE_MISC_MEM:
      return funct3 > 1 ? illegal(insn) : decoded(OP_NOP); // FENCE, FENCE.I: nothing to order or flush on this hart
    case OPCODE_SYSTEM:
      if (insn === INSN_ECALL) return decoded(OP_ECALL);
      if (insn === INSN_EBREAK) return decoded(OP_EBREAK);
      return illegal(insn);
    case OPCODE_AMO:
      return decoded(OP_ATOMIC, 0, 0, 0, insn); // executeAtomic checks the encoding
    default:
      return illegal(insn);
  }
}
/** Entries per instruction word in a decoded page. */
const STRIDE = 2;
/** Index of the OP_PAGE_END entry. */
export const PAGE_END_INDEX = 1024 * STRIDE;
/** Index of the count of decoded words, and of the page's physical page number. */
const COUNT_INDEX = PAGE_END_INDEX + 2;
const PAGE_NUMBER_INDEX = COUNT_INDEX + 1;
const PAGE_ENTRIES = PAGE_NUMBER_INDEX + 1;

/** Every physical page the interpreter has run code from, decoded word by word. */
export class DecodedCode {
  private readonly pages: (Int32Array | undefined)[] = [];

  constructor(private readonly watch: CodeWatch) {
    watch.listen((addr, length) => this.onWrite(addr, length));
  }

  /**
   * The decoded page for physical page `pageNumber` (RAM). A page is kept, and
   * write-watched, while it holds at least one decoded word: one whose words
   * have all been overwritten (a frame the kernel reused) is let go, so memory
   * follows the code that is live, not all code ever run.
   */
  page(pageNumber: number): Int32Array {
    let page = this.pages[pageNumber];
    if (page === undefined) {
      page = new Int32Array(PAGE_ENTRIES);
      page[PAGE_END_INDEX] = OP_PAGE_END;
      page[PAGE_NUMBER_INDEX] = pageNumber;
      this.pages[pageNumber] = page;
    }
    return page;
  }

  /** Decode `insn`, the word of entry `at` (an even index) of `page`, into that entry. */
  decodeInto(page: Int32Array, at: number, insn: number): void {
    const d = decode(insn);
    page[at] = d.op | (d.rd << 8) | (d.rs1 << 16) | (d.rs2 << 24);
    page[at + 1] = d.imm;
    // The first decoded word starts the watch: from now on a write over it undoes
    // it. The page is registered again too: a running interpreter may still hold a
    // page that was let go while it ran (its program overwrote every decoded word).
    if (page[COUNT_INDEX]!++ === 0) {
      this.pages[page[PAGE_NUMBER_INDEX]!] = page;
      this.watch.watch(page[PAGE_NUMBER_INDEX]!, WATCH_DECODED);
    }
  }

  /** The write watcher: every decoded word overlapping [addr, addr + length) becomes undecoded. */
  private onWrite(addr: number, length: number): void {
    const end = addr + length;
    for (let pageNumber = Math.floor(addr / 4096); pageNumber * 4096 < end; pageNumber++) {
      const page = this.pages[pageNumber];
      if (page === undefined || page[COUNT_INDEX] === 0) continue;
      const base = pageNumber * 4096;
      const first = (Math.max(addr, base) - base) >> 2;
      const last = (Math.min(end, base + 4096) - base - 1) >> 2;
      let count = page[COUNT_INDEX]!;
      for (let word = first; word <= last; word++) {
        if (page[STRIDE * word] !== OP_UNDECODED) {
          page[STRIDE * word] = OP_UNDECODED;
          page[STRIDE * word + 1] = 0;
          count--;
        }
      }
      page[COUNT_INDEX] = count;
      if (count === 0) {
        this.pages[pageNumber] = undefined;
        this.watch.unwatch(pageNumber, WATCH_DECODED);
      }
    }
  }
}
