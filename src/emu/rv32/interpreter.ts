/**
 * The RV32IMA reference interpreter: fetch, decode and execute, one instruction
 * at a time.
 *
 * RISC-V Unprivileged ISA 20191213: chapter 2 (RV32I), chapter 7 (M), chapter 8
 * (A), with the encodings of chapter 24 (see encoding.ts). User mode only: ECALL
 * and EBREAK trap to the kernel, anything else outside RV32IMA (CSR accesses
 * included) is an illegal instruction, and FENCE/FENCE.I do nothing on this
 * single, in-order hart (stores that rewrite translated code are caught by the
 * code cache anyway).
 *
 * This is the semantics the block translator (translator.ts) must reproduce
 * exactly, and the engine that runs when `new Function` is unavailable, so it
 * is written to be both readable and quick: one switch on the major opcode, the
 * registers in an Int32Array whose x0 is re-zeroed after every instruction, and
 * loads, stores and fetches inlined against the MMU's TLB arrays (hot path
 * comments below). A trapping instruction does not retire: the pc returned is
 * its address, and `hart.trap` says why.
 */
import { TLB_MASK } from '../paging/mmu';
import {
  F3_ADD_SUB,
  F3_AND,
  F3_BYTE,
  F3_BYTE_UNSIGNED,
  F3_DIV,
  F3_DIVU,
  F3_HALF,
  F3_HALF_UNSIGNED,
  F3_MUL,
  F3_MULH,
  F3_MULHSU,
  F3_MULHU,
  F3_OR,
  F3_REM,
  F3_REMU,
  F3_SLL,
  F3_SLT,
  F3_SLTU,
  F3_SRL_SRA,
  F3_WORD,
  F3_XOR,
  F5_AMOADD,
  F5_AMOAND,
  F5_AMOMAX,
  F5_AMOMAXU,
  F5_AMOMIN,
  F5_AMOMINU,
  F5_AMOOR,
  F5_AMOSWAP,
  F5_AMOXOR,
  F5_LR,
  F5_SC,
  F7_ALT,
  F7_BASE,
  F7_MULDIV,
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
} from './encoding';
import { mulh, mulhsu, mulhu } from './multiply';
import { NO_RESERVATION, TRAP_BREAKPOINT, TRAP_ECALL, TRAP_ILLEGAL_INSTRUCTION, TRAP_MISALIGNED, TRAP_NONE, type UserHart } from './user-hart';

/** The result of an ALU operation (OP or OP-IMM), or `undefined` for an encoding that does not exist. */
export function aluResult(funct3: number, funct7: number, a: number, b: number, immediate: boolean): number | undefined {
  if (funct7 === F7_MULDIV && !immediate) return mulDivResult(funct3, a, b);
  const alt = funct7 === F7_ALT;
  if (funct7 !== F7_BASE && !alt) {
    if (!immediate || funct3 === F3_SLL || funct3 === F3_SRL_SRA) return undefined;
  }
  switch (funct3) {
    case F3_ADD_SUB:
      if (immediate) return (a + b) | 0;
      return alt ? (a - b) | 0 : (a + b) | 0;
    case F3_SLL:
      return alt ? undefined : a << (b & 31);
    case F3_SLT:
      if (alt && !immediate) return undefined;
      return a < b ? 1 : 0;
    case F3_SLTU:
      if (alt && !immediate) return undefined;
      return a >>> 0 < b >>> 0 ? 1 : 0;
    case F3_XOR:
      if (alt && !immediate) return undefined;
      return a ^ b;
    case F3_SRL_SRA:
      return alt ? a >> (b & 31) : (a >>> (b & 31)) | 0;
    case F3_OR:
      if (alt && !immediate) return undefined;
      return a | b;
    default: // F3_AND
      if (alt && !immediate) return undefined;
      return a & b;
  }
}

/** Chapter 7, with its table of division by zero and overflow results (Table 7.1). */
export function mulDivResult(funct3: number, a: number, b: number): number {
  switch (funct3) {
    case F3_MUL:
      return Math.imul(a, b);
    case F3_MULH:
      return mulh(a, b);
    case F3_MULHSU:
      return mulhsu(a, b);
    case F3_MULHU:
      return mulhu(a, b);
    case F3_DIV:
      return b === 0 ? -1 : (a / b) | 0; // −2^31 / −1 = 2^31, which |0 wraps to −2^31 as the ISA asks
    case F3_DIVU:
      return b === 0 ? -1 : (a >>> 0) / (b >>> 0) | 0;
    case F3_REM:
      return b === 0 ? a : (a % b) | 0; // −2^31 % −1 = −0 → 0
    default: // F3_REMU
      return b === 0 ? a : (a >>> 0) % (b >>> 0) | 0;
  }
}

/** The new memory value of an AMO (chapter 8, §8.4), or `undefined` for a funct5 that is not one. */
export function amoResult(funct5: number, old: number, operand: number): number | undefined {
  switch (funct5) {
    case F5_AMOSWAP:
      return operand;
    case F5_AMOADD:
      return (old + operand) | 0;
    case F5_AMOXOR:
      return old ^ operand;
    case F5_AMOAND:
      return old & operand;
    case F5_AMOOR:
      return old | operand;
    case F5_AMOMIN:
      return old < operand ? old : operand;
    case F5_AMOMAX:
      return old > operand ? old : operand;
    case F5_AMOMINU:
      return old >>> 0 < operand >>> 0 ? old : operand;
    case F5_AMOMAXU:
      return old >>> 0 > operand >>> 0 ? old : operand;
    default:
      return undefined;
  }
}

/**
 * LR.W, SC.W and the AMOs (chapter 8). Returns false when the instruction traps
 * (illegal encoding, misaligned or faulting address). Single hart: the
 * reservation covers exactly the reserved word, and only this hart's SC or a
 * trap clears it.
 */
export function executeAtomic(hart: UserHart, x: Int32Array, insn: number): boolean {
  const rd = (insn >>> 7) & 31;
  const address = x[(insn >>> 15) & 31]!;
  const operand = x[(insn >>> 20) & 31]!;
  const funct5 = insn >>> 27;
  if (((insn >>> 12) & 7) !== F3_WORD) return illegal(hart, insn);
  if (funct5 === F5_LR) {
    if (((insn >>> 20) & 31) !== 0) return illegal(hart, insn);
    const at = hart.atomicAddress(address, false);
    if (at < 0) return false;
    x[rd] = hart.memory.read32(at) | 0;
    hart.reservation = address;
    return true;
  }
  if (funct5 === F5_SC) {
    const at = hart.atomicAddress(address, true);
    if (at < 0) return false;
    const success = hart.reservation === address;
    if (success) hart.memory.write32(at, operand >>> 0);
    hart.reservation = NO_RESERVATION;
    x[rd] = success ? 0 : 1;
    return true;
  }
  if (amoResult(funct5, 0, 0) === undefined) return illegal(hart, insn);
  const at = hart.atomicAddress(address, true);
  if (at < 0) return false;
  const old = hart.memory.read32(at) | 0;
  hart.memory.write32(at, amoResult(funct5, old, operand)! >>> 0);
  x[rd] = old;
  return true;
}

function illegal(hart: UserHart, insn: number): false {
  hart.trap = TRAP_ILLEGAL_INSTRUCTION;
  hart.trapValue = insn | 0;
  return false;
}

/** The opcode literals of `executeInPage`'s switch, checked once against encoding.ts. */
const SWITCH_CASES: readonly (readonly [number, number])[] = [
  [0x13, OPCODE_OP_IMM],
  [0x33, OPCODE_OP],
  [0x37, OPCODE_LUI],
  [0x17, OPCODE_AUIPC],
  [0x03, OPCODE_LOAD],
  [0x23, OPCODE_STORE],
  [0x63, OPCODE_BRANCH],
  [0x6f, OPCODE_JAL],
  [0x67, OPCODE_JALR],
  [0x0f, OPCODE_MISC_MEM],
  [0x73, OPCODE_SYSTEM],
  [0x2f, OPCODE_AMO],
];
if (SWITCH_CASES.some(([literal, opcode]) => literal !== opcode)) throw new Error('interpreter: opcode literals out of date');

/** Instructions per call of `interpret` when running a long slice (see `interpretSlice`). */
const INTERPRETER_CHUNK = 4096;

/**
 * Interpret until `hart.icount` reaches `limit` or a trap, in chunks: V8 then
 * optimises `interpret` as a whole function, entered and left thousands of
 * times, instead of on-stack-replacing its loop once per slice — OSR code never
 * sees the loop's exit path and deoptimises there every time it is left.
 */
export function interpretSlice(hart: UserHart, x: Int32Array, pc: number, limit: number): number {
  while (hart.icount < limit) {
    const chunkEnd = Math.min(limit, hart.icount + INTERPRETER_CHUNK);
    pc = interpret(hart, x, pc, chunkEnd, false);
    if (hart.trap !== TRAP_NONE) break;
  }
  return pc;
}

/**
 * Execute from `pc` until `hart.icount` reaches `limit`, an instruction traps,
 * or — with `untilBlockEnd` — a control transfer (or a new page) ends the basic
 * block. Returns the pc of the next instruction to execute (of the trapping
 * one, after a trap).
 */
export function interpret(hart: UserHart, x: Int32Array, pc: number, limit: number, untilBlockEnd: boolean): number {
  const mmu = hart.mmu;
  const start = hart.icount;
  while (hart.icount < limit) {
    const vpn = pc >>> 12;
    const slot = vpn & TLB_MASK;
    if (mmu.fetchTag[slot] !== vpn) {
      hart.fetch(pc);
      if (hart.trap !== TRAP_NONE) return pc;
      // A page the TLB cannot cache (a device window): not code.
      if (mmu.fetchTag[slot] !== vpn) return interpretUncached(hart, pc);
    }
    if (untilBlockEnd && hart.icount !== start) break; // a new page starts a new block
    pc = executeInPage(hart, x, pc, limit, untilBlockEnd, mmu.words[slot]!, mmu.offset[slot]! >> 2, vpn);
    if (hart.trap !== TRAP_NONE || hart.blockEnded) {
      hart.blockEnded = false;
      break;
    }
  }
  return pc;
}

/**
 * The interpreter's loop, for as long as the pc stays in one code page. Hot
 * path: the page's words and offset are parameters, loop-invariant, so V8
 * keeps them in registers and a fetch is one typed-array load.
 */
function executeInPage(
  hart: UserHart,
  x: Int32Array,
  pc: number,
  limit: number,
  untilBlockEnd: boolean,
  codeWords: Int32Array,
  codeBase: number,
  codePage: number,
): number {
  const mmu = hart.mmu;
  const readTag = mmu.readTag;
  const writeTag = mmu.writeTag;
  const words = mmu.words;
  const bytes = mmu.bytes;
  const offset = mmu.offset;
  let icount = hart.icount;
  while (icount < limit && pc >>> 12 === codePage) {
    const insn = codeWords[codeBase + ((pc & 0xfff) >> 2)]!;
    let next = (pc + 4) | 0;
    const rd = (insn >>> 7) & 31;
    const funct3 = (insn >>> 12) & 7;
    const rs1 = x[(insn >>> 15) & 31]!;

    // Hot path: the cases are numeric literals (the OPCODE_* values) so that V8
    // compiles the switch to a jump table; imported constants would be compared
    // one by one.
    switch (insn & 0x7f) {
      case 0x13: {
        // OPCODE_OP_IMM
        const imm = insn >> 20;
        switch (funct3) {
          case 0: // ADDI
            x[rd] = (rs1 + imm) | 0;
            break;
          case 1: // SLLI
            if (insn >>> 25 !== F7_BASE) return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
            x[rd] = rs1 << (imm & 31);
            break;
          case 2: // SLTI
            x[rd] = rs1 < imm ? 1 : 0;
            break;
          case 3: // SLTIU
            x[rd] = rs1 >>> 0 < imm >>> 0 ? 1 : 0;
            break;
          case 4: // XORI
            x[rd] = rs1 ^ imm;
            break;
          case 5: // SRLI, SRAI
            if (insn >>> 25 === F7_BASE) x[rd] = (rs1 >>> (imm & 31)) | 0;
            else if (insn >>> 25 === F7_ALT) x[rd] = rs1 >> (imm & 31);
            else return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
            break;
          case 6: // ORI
            x[rd] = rs1 | imm;
            break;
          default: // ANDI
            x[rd] = rs1 & imm;
        }
        break;
      }
      case 0x33: {
        // OPCODE_OP
        const rs2 = x[(insn >>> 20) & 31]!;
        const funct7 = insn >>> 25;
        if (funct7 === F7_BASE) {
          switch (funct3) {
            case 0: // ADD
              x[rd] = (rs1 + rs2) | 0;
              break;
            case 1: // SLL
              x[rd] = rs1 << (rs2 & 31);
              break;
            case 2: // SLT
              x[rd] = rs1 < rs2 ? 1 : 0;
              break;
            case 3: // SLTU
              x[rd] = rs1 >>> 0 < rs2 >>> 0 ? 1 : 0;
              break;
            case 4: // XOR
              x[rd] = rs1 ^ rs2;
              break;
            case 5: // SRL
              x[rd] = (rs1 >>> (rs2 & 31)) | 0;
              break;
            case 6: // OR
              x[rd] = rs1 | rs2;
              break;
            default: // AND
              x[rd] = rs1 & rs2;
          }
        } else if (funct7 === F7_MULDIV) {
          x[rd] = mulDivResult(funct3, rs1, rs2);
        } else if (funct7 === F7_ALT && funct3 === F3_ADD_SUB) {
          x[rd] = (rs1 - rs2) | 0; // SUB
        } else if (funct7 === F7_ALT && funct3 === F3_SRL_SRA) {
          x[rd] = rs1 >> (rs2 & 31); // SRA
        } else {
          return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        }
        break;
      }
      case 0x37: // OPCODE_LUI
        x[rd] = insn & 0xfffff000;
        break;
      case 0x17: // OPCODE_AUIPC
        x[rd] = (pc + (insn & 0xfffff000)) | 0;
        break;
      case 0x03: {
        // OPCODE_LOAD. Hot path: a TLB hit reads the chunk directly; a miss, a
        // misaligned address or a device page goes through the hart, and only
        // then can the load trap.
        const address = (rs1 + (insn >> 20)) | 0;
        const slot = (address >>> 12) & TLB_MASK;
        const hit = readTag[slot] === address >>> 12;
        let value: number;
        switch (funct3) {
          case 2: // F3_WORD: LW
            if (hit && (address & 3) === 0) value = words[slot]![(offset[slot]! + (address & 0xfff)) >> 2]!;
            else {
              value = hart.load32(address);
              if (hart.trap !== TRAP_NONE) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
            }
            break;
          case 0: // F3_BYTE: LB
          case 4: // F3_BYTE_UNSIGNED: LBU
            if (hit) value = bytes[slot]![offset[slot]! + (address & 0xfff)]!;
            else {
              value = hart.load8(address);
              if (hart.trap !== TRAP_NONE) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
            }
            if (funct3 === 0) value = (value << 24) >> 24;
            break;
          case 1: // F3_HALF: LH
          case 5: // F3_HALF_UNSIGNED: LHU
            if (hit && (address & 1) === 0) {
              const at = offset[slot]! + (address & 0xfff);
              value = bytes[slot]![at]! | (bytes[slot]![at + 1]! << 8);
            } else {
              value = hart.load16(address);
              if (hart.trap !== TRAP_NONE) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
            }
            if (funct3 === 1) value = (value << 16) >> 16;
            break;
          default:
            return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        }
        x[rd] = value;
        break;
      }
      case 0x23: {
        // OPCODE_STORE, as LOAD above.
        const address = (rs1 + (((insn >> 25) << 5) | ((insn >>> 7) & 0x1f))) | 0;
        const value = x[(insn >>> 20) & 31]!;
        const slot = (address >>> 12) & TLB_MASK;
        const hit = writeTag[slot] === address >>> 12;
        switch (funct3) {
          case 2: // F3_WORD: SW
            if (hit && (address & 3) === 0) words[slot]![(offset[slot]! + (address & 0xfff)) >> 2] = value;
            else hart.store(address, value, 4);
            break;
          case 0: // F3_BYTE: SB
            if (hit) bytes[slot]![offset[slot]! + (address & 0xfff)] = value;
            else hart.store(address, value, 1);
            break;
          case 1: // F3_HALF: SH
            if (hit && (address & 1) === 0) {
              const at = offset[slot]! + (address & 0xfff);
              bytes[slot]![at] = value;
              bytes[slot]![at + 1] = value >> 8;
            } else hart.store(address, value, 2);
            break;
          default:
            return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        }
        if (hart.trap !== TRAP_NONE) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        break;
      }
      case 0x63: {
        // OPCODE_BRANCH
        const rs2 = x[(insn >>> 20) & 31]!;
        let taken: boolean;
        switch (funct3) {
          case 0: // BEQ
            taken = rs1 === rs2;
            break;
          case 1: // BNE
            taken = rs1 !== rs2;
            break;
          case 4: // BLT
            taken = rs1 < rs2;
            break;
          case 5: // BGE
            taken = rs1 >= rs2;
            break;
          case 6: // BLTU
            taken = rs1 >>> 0 < rs2 >>> 0;
            break;
          case 7: // BGEU
            taken = rs1 >>> 0 >= rs2 >>> 0;
            break;
          default:
            return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        }
        if (taken) {
          const target = (pc + (((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1))) | 0;
          if ((target & 3) !== 0) return trapAt(hart, icount, pc, TRAP_MISALIGNED, target);
          next = target;
        }
        if (untilBlockEnd) {
          // The end of a basic block. (Not a flag tested at the loop's end: one
          // more loop-carried variable made V8's code for the loop much slower.)
          x[0] = 0;
          hart.icount = icount + 1;
          hart.blockEnded = true;
          return next;
        }
        break;
      }
      case 0x6f: {
        // OPCODE_JAL
        const target = (pc + (((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1))) | 0;
        if ((target & 3) !== 0) return trapAt(hart, icount, pc, TRAP_MISALIGNED, target);
        x[rd] = next;
        next = target;
        if (untilBlockEnd) {
          // The end of a basic block. (Not a flag tested at the loop's end: one
          // more loop-carried variable made V8's code for the loop much slower.)
          x[0] = 0;
          hart.icount = icount + 1;
          hart.blockEnded = true;
          return next;
        }
        break;
      }
      case 0x67: {
        // OPCODE_JALR
        if (funct3 !== 0) return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        const target = (rs1 + (insn >> 20)) & ~1;
        if ((target & 3) !== 0) return trapAt(hart, icount, pc, TRAP_MISALIGNED, target);
        x[rd] = next;
        next = target;
        if (untilBlockEnd) {
          // The end of a basic block. (Not a flag tested at the loop's end: one
          // more loop-carried variable made V8's code for the loop much slower.)
          x[0] = 0;
          hart.icount = icount + 1;
          hart.blockEnded = true;
          return next;
        }
        break;
      }
      case 0x0f: // OPCODE_MISC_MEM
        if (funct3 > 1) return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
        break; // FENCE, FENCE.I: nothing to order or flush on this hart
      case 0x73: // OPCODE_SYSTEM
        if (insn === INSN_ECALL) return trapAt(hart, icount, pc, TRAP_ECALL, 0);
        if (insn === INSN_EBREAK) return trapAt(hart, icount, pc, TRAP_BREAKPOINT, 0);
        return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
      case 0x2f: // OPCODE_AMO
        hart.icount = icount;
        if (!executeAtomic(hart, x, insn)) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        break;
      default:
        return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
    }
    x[0] = 0;
    icount++;
    pc = next;
  }
  // Inline, not a helper call: a call first reached when the loop exits would
  // deoptimise the loop's on-stack-replaced code at the end of every slice.
  hart.icount = icount;
  return pc;
}

function trapAt(hart: UserHart, icount: number, pc: number, trap: number, value: number): number {
  hart.icount = icount;
  hart.trap = trap;
  hart.trapValue = value | 0;
  return pc;
}

/**
 * A fetch from a page the TLB cannot cache: a device window, never RAM. The
 * bus floats there (all ones), which decodes as no RV32 instruction.
 */
function interpretUncached(hart: UserHart, pc: number): number {
  const insn = hart.fetch(pc);
  if (hart.trap !== TRAP_NONE) return pc;
  return trapAt(hart, hart.icount, pc, TRAP_ILLEGAL_INSTRUCTION, insn);
}
