/**
 * The RV32IMA reference interpreter: fetch, decode and execute, one instruction
 * at a time.
 *
 * RISC-V Unprivileged ISA 20191213: chapter 2 (RV32I), chapter 7 (M), chapter 8
 * (A), with the encodings of chapter 24 (see encoding.ts). User mode only: ECALL
 * and EBREAK trap to the kernel, anything else outside RV32IMA (CSR accesses
 * included) is an illegal instruction, and FENCE/FENCE.I do nothing on this
 * single, in-order hart (stores that rewrite code are caught by the write watch
 * anyway).
 *
 * This is the semantics the block translator (translator.ts) must reproduce
 * exactly, and the engine that runs when `new Function` is unavailable, so it
 * is written to be both readable and quick. Decoding is `decode` in
 * decoded-code.ts, done once per instruction word and kept per physical page
 * (undone by any write to the word); executing is one flat switch over the
 * decoded operations in `executeInPage`, one case per instruction. The
 * registers are an Int32Array (x0 stays zero because writes to it decode to
 * no-ops), and loads, stores and fetches are inlined against the MMU's TLB
 * arrays (hot path comments below). A trapping instruction does not retire:
 * the pc returned is its address, and `hart.trap` says why.
 */
import { TLB_MASK } from '../paging/mmu';
import {
  F3_ADD_SUB,
  F3_BEQ,
  F3_BGE,
  F3_BLT,
  F3_BLTU,
  F3_BNE,
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
} from './encoding';
import {
  OP_ADD,
  OP_ADDI,
  OP_AND,
  OP_ANDI,
  OP_ATOMIC,
  OP_AUIPC,
  OP_BEQ,
  OP_BGE,
  OP_BGEU,
  OP_BLT,
  OP_BLTU,
  OP_BNE,
  OP_BRANCH_MISALIGNED,
  OP_COUNT,
  OP_DIV,
  OP_DIVU,
  OP_EBREAK,
  OP_ECALL,
  OP_ILLEGAL,
  OP_J,
  OP_JAL,
  OP_JAL_MISALIGNED,
  OP_JALR,
  OP_LB,
  OP_LBU,
  OP_LH,
  OP_LHU,
  OP_LOAD_X0,
  OP_LUI,
  OP_LW,
  OP_MUL,
  OP_MULH,
  OP_MULHSU,
  OP_MULHU,
  OP_NOP,
  OP_OR,
  OP_ORI,
  OP_PAGE_END,
  OP_REM,
  OP_REMU,
  OP_SB,
  OP_SH,
  OP_SLL,
  OP_SLLI,
  OP_SLT,
  OP_SLTI,
  OP_SLTIU,
  OP_SLTU,
  OP_SRA,
  OP_SRAI,
  OP_SRL,
  OP_SRLI,
  OP_SUB,
  OP_SW,
  OP_UNDECODED,
  OP_XOR,
  OP_XORI,
} from './decoded-code';
import { mulh, mulhsu, mulhu } from './multiply';
import {
  NO_RESERVATION,
  TRAP_BREAKPOINT,
  TRAP_ECALL,
  TRAP_ILLEGAL_INSTRUCTION,
  TRAP_MISALIGNED,
  TRAP_NONE,
  type UserHart,
} from './user-hart';

/** The result of an ALU operation (OP or OP-IMM), or `undefined` for an encoding that does not exist. */
export function aluResult(
  funct3: number,
  funct7: number,
  a: number,
  b: number,
  immediate: boolean,
): number | undefined {
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
      return b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0;
    case F3_REM:
      return b === 0 ? a : (a % b) | 0; // −2^31 % −1 = −0 → 0
    default: // F3_REMU
      return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
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

/**
 * The operation literals of `executeInPage`'s switch, checked once against
 * decoded-code.ts (V8 compiles a switch over literals to a jump table, over
 * imported constants to a chain of compares).
 */
const SWITCH_CASES: readonly (readonly [number, number])[] = [
  [0, OP_UNDECODED],
  [1, OP_PAGE_END],
  [2, OP_NOP],
  [3, OP_ILLEGAL],
  [4, OP_ECALL],
  [5, OP_EBREAK],
  [6, OP_ATOMIC],
  [7, OP_ADDI],
  [8, OP_SLTI],
  [9, OP_SLTIU],
  [10, OP_XORI],
  [11, OP_ORI],
  [12, OP_ANDI],
  [13, OP_SLLI],
  [14, OP_SRLI],
  [15, OP_SRAI],
  [16, OP_ADD],
  [17, OP_SUB],
  [18, OP_SLL],
  [19, OP_SLT],
  [20, OP_SLTU],
  [21, OP_XOR],
  [22, OP_SRL],
  [23, OP_SRA],
  [24, OP_OR],
  [25, OP_AND],
  [26, OP_MUL],
  [27, OP_MULH],
  [28, OP_MULHSU],
  [29, OP_MULHU],
  [30, OP_DIV],
  [31, OP_DIVU],
  [32, OP_REM],
  [33, OP_REMU],
  [34, OP_LUI],
  [35, OP_AUIPC],
  [36, OP_LB],
  [37, OP_LH],
  [38, OP_LW],
  [39, OP_LBU],
  [40, OP_LHU],
  [41, OP_LOAD_X0],
  [42, OP_SB],
  [43, OP_SH],
  [44, OP_SW],
  [45, OP_BEQ],
  [46, OP_BNE],
  [47, OP_BLT],
  [48, OP_BGE],
  [49, OP_BLTU],
  [50, OP_BGEU],
  [51, OP_BRANCH_MISALIGNED],
  [52, OP_JAL],
  [53, OP_J],
  [54, OP_JAL_MISALIGNED],
  [55, OP_JALR],
];
if (SWITCH_CASES.length !== OP_COUNT || SWITCH_CASES.some(([literal, op]) => literal !== op)) {
  throw new Error('interpreter: operation literals out of date');
}

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
export function interpret(
  hart: UserHart,
  x: Int32Array,
  pc: number,
  limit: number,
  untilBlockEnd: boolean,
): number {
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
    const code = hart.decoded.page(mmu.physical[slot]! / 4096);
    pc = executeInPage(
      hart,
      x,
      pc,
      limit,
      untilBlockEnd,
      code,
      mmu.words[slot]!,
      mmu.offset[slot]! >> 2,
      (vpn << 12) | 0,
    );
    if (hart.trap !== TRAP_NONE || hart.blockEnded) {
      hart.blockEnded = false;
      break;
    }
  }
  return pc;
}

/**
 * The interpreter's loop, for as long as the pc stays in one code page: one
 * switch over the pre-decoded operations of decoded-code.ts (the semantics of
 * each are in its case). Hot path: the page's decoded entries, its words and
 * its virtual base are parameters, loop-invariant, so V8 keeps them in
 * registers; an instruction costs two typed-array loads and one jump-table
 * dispatch. The pc leaves the page through a taken branch or jump (checked
 * there) or by running into the page's OP_PAGE_END entry, so straight-line
 * code compares no page numbers.
 */
function executeInPage(
  hart: UserHart,
  x: Int32Array,
  pc: number,
  limit: number,
  untilBlockEnd: boolean,
  code: Int32Array,
  codeWords: Int32Array,
  codeBase: number,
  pageBase: number,
): number {
  // Hot path: imported bindings read once into locals (a loader that wraps
  // modules turns every read of an import into a getter call).
  const tlbMask = TLB_MASK;
  const trapNone = TRAP_NONE;
  const opLb = OP_LB;
  const opLh = OP_LH;
  const mmu = hart.mmu;
  const readTag = mmu.readTag;
  const writeTag = mmu.writeTag;
  const words = mmu.words;
  const bytes = mmu.bytes;
  const offset = mmu.offset;
  // Hot path: a number, not the boolean parameter, which V8 would convert with a
  // generic ToBoolean on every pass of the loop.
  const blockEnds = untilBlockEnd ? 1 : 0;
  let icount = hart.icount;
  while (icount < limit) {
    const at = (pc - pageBase) >> 1; // two entries per word
    const d = code[at]!;
    const imm = code[at + 1]!;
    const rd = (d >>> 8) & 31;
    const r1 = (d >>> 16) & 31;
    const r2 = d >>> 24;
    switch (d & 0xff) {
      case 0: // OP_UNDECODED: decode the word now and dispatch again
        hart.decoded.decodeInto(code, at, codeWords[codeBase + (at >> 1)]!);
        continue;
      case 1: // OP_PAGE_END: the pc ran off the page; the caller looks up the next one
        hart.icount = icount;
        return pc;
      case 2: // OP_NOP
        break;
      case 3: // OP_ILLEGAL
        return trapAt(hart, icount, pc, TRAP_ILLEGAL_INSTRUCTION, imm);
      case 4: // OP_ECALL
        return trapAt(hart, icount, pc, TRAP_ECALL, 0);
      case 5: // OP_EBREAK
        return trapAt(hart, icount, pc, TRAP_BREAKPOINT, 0);
      case 6: // OP_ATOMIC
        hart.icount = icount;
        if (!executeAtomic(hart, x, imm))
          return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        x[0] = 0;
        break;

      // OP-IMM (rd is never x0 here: such instructions decode to OP_NOP)
      case 7: // OP_ADDI
        x[rd] = (x[r1]! + imm) | 0;
        break;
      case 8: // OP_SLTI
        x[rd] = x[r1]! < imm ? 1 : 0;
        break;
      case 9: // OP_SLTIU
        x[rd] = x[r1]! >>> 0 < imm >>> 0 ? 1 : 0;
        break;
      case 10: // OP_XORI
        x[rd] = x[r1]! ^ imm;
        break;
      case 11: // OP_ORI
        x[rd] = x[r1]! | imm;
        break;
      case 12: // OP_ANDI
        x[rd] = x[r1]! & imm;
        break;
      case 13: // OP_SLLI (imm: the shift amount)
        x[rd] = x[r1]! << imm;
        break;
      case 14: // OP_SRLI
        x[rd] = (x[r1]! >>> imm) | 0;
        break;
      case 15: // OP_SRAI
        x[rd] = x[r1]! >> imm;
        break;

      // OP
      case 16: // OP_ADD
        x[rd] = (x[r1]! + x[r2]!) | 0;
        break;
      case 17: // OP_SUB
        x[rd] = (x[r1]! - x[r2]!) | 0;
        break;
      case 18: // OP_SLL
        x[rd] = x[r1]! << (x[r2]! & 31);
        break;
      case 19: // OP_SLT
        x[rd] = x[r1]! < x[r2]! ? 1 : 0;
        break;
      case 20: // OP_SLTU
        x[rd] = x[r1]! >>> 0 < x[r2]! >>> 0 ? 1 : 0;
        break;
      case 21: // OP_XOR
        x[rd] = x[r1]! ^ x[r2]!;
        break;
      case 22: // OP_SRL
        x[rd] = (x[r1]! >>> (x[r2]! & 31)) | 0;
        break;
      case 23: // OP_SRA
        x[rd] = x[r1]! >> (x[r2]! & 31);
        break;
      case 24: // OP_OR
        x[rd] = x[r1]! | x[r2]!;
        break;
      case 25: // OP_AND
        x[rd] = x[r1]! & x[r2]!;
        break;
      case 26: // OP_MUL
        x[rd] = Math.imul(x[r1]!, x[r2]!);
        break;
      case 27: // OP_MULH
        x[rd] = mulh(x[r1]!, x[r2]!);
        break;
      case 28: // OP_MULHSU
        x[rd] = mulhsu(x[r1]!, x[r2]!);
        break;
      case 29: // OP_MULHU
        x[rd] = mulhu(x[r1]!, x[r2]!);
        break;
      case 30: // OP_DIV
      case 31: // OP_DIVU
      case 32: // OP_REM
      case 33: // OP_REMU (Table 7.1's division by zero and overflow results)
        x[rd] = mulDivResult(F3_DIV + (d & 0xff) - OP_DIV, x[r1]!, x[r2]!);
        break;

      case 34: // OP_LUI
        x[rd] = imm;
        break;
      case 35: // OP_AUIPC
        x[rd] = (pc + imm) | 0;
        break;

      // LOAD. Hot path: a TLB hit reads the chunk directly; a miss, a misaligned
      // address or a device page goes through the hart, and only then can the
      // load trap.
      case 36: // OP_LB
      case 39: {
        // OP_LBU
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        let value: number;
        if (readTag[slot] === address >>> 12)
          value = bytes[slot]![offset[slot]! + (address & 0xfff)]!;
        else {
          value = hart.load8(address);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        x[rd] = (d & 0xff) === opLb ? (value << 24) >> 24 : value;
        break;
      }
      case 37: // OP_LH
      case 40: {
        // OP_LHU
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        let value: number;
        if (readTag[slot] === address >>> 12 && (address & 1) === 0) {
          const byte = offset[slot]! + (address & 0xfff);
          value = bytes[slot]![byte]! | (bytes[slot]![byte + 1]! << 8);
        } else {
          value = hart.load16(address);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        x[rd] = (d & 0xff) === opLh ? (value << 16) >> 16 : value;
        break;
      }
      case 38: {
        // OP_LW
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        let value: number;
        if (readTag[slot] === address >>> 12 && (address & 3) === 0)
          value = words[slot]![(offset[slot]! + (address & 0xfff)) >> 2]!;
        else {
          value = hart.load32(address);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        x[rd] = value;
        break;
      }
      case 41: // OP_LOAD_X0 (r2: funct3)
        if (!loadIntoX0(hart, (x[r1]! + imm) | 0, r2))
          return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        break;

      // STORE, as LOAD above.
      case 42: {
        // OP_SB
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        if (writeTag[slot] === address >>> 12)
          bytes[slot]![offset[slot]! + (address & 0xfff)] = x[r2]!;
        else {
          hart.store(address, x[r2]!, 1);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        break;
      }
      case 43: {
        // OP_SH
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        if (writeTag[slot] === address >>> 12 && (address & 1) === 0) {
          const byte = offset[slot]! + (address & 0xfff);
          const value = x[r2]!;
          bytes[slot]![byte] = value;
          bytes[slot]![byte + 1] = value >> 8;
        } else {
          hart.store(address, x[r2]!, 2);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        break;
      }
      case 44: {
        // OP_SW
        const address = (x[r1]! + imm) | 0;
        const slot = (address >>> 12) & tlbMask;
        if (writeTag[slot] === address >>> 12 && (address & 3) === 0)
          words[slot]![(offset[slot]! + (address & 0xfff)) >> 2] = x[r2]!;
        else {
          hart.store(address, x[r2]!, 4);
          if (hart.trap !== trapNone) return trapAt(hart, icount, pc, hart.trap, hart.trapValue);
        }
        break;
      }

      // BRANCH. Taken: stay in this loop unless the target is in another page or
      // the caller wants basic blocks; not taken with untilBlockEnd: the block ends.
      // (Written out per case: a shared "taken" flag tested after the switch made
      // V8's code for the loop slower, and the cases return directly.)
      case 45: // OP_BEQ
        if (x[r1] === x[r2]) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 46: // OP_BNE
        if (x[r1] !== x[r2]) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 47: // OP_BLT
        if (x[r1]! < x[r2]!) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 48: // OP_BGE
        if (x[r1]! >= x[r2]!) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 49: // OP_BLTU
        if (x[r1]! >>> 0 < x[r2]! >>> 0) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 50: // OP_BGEU
        if (x[r1]! >>> 0 >= x[r2]! >>> 0) {
          const target = (pc + imm) | 0;
          if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
            return leave(hart, icount + 1, target, blockEnds);
          icount++;
          pc = target;
          continue;
        }
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;
      case 51: // OP_BRANCH_MISALIGNED (rd: funct3): traps when taken
        if (branchTaken(rd, x[r1]!, x[r2]!))
          return trapAt(hart, icount, pc, TRAP_MISALIGNED, (pc + imm) | 0);
        if (blockEnds !== 0) return leave(hart, icount + 1, (pc + 4) | 0, 1);
        break;

      // JAL, JALR: always the end of a basic block.
      case 52: {
        // OP_JAL
        const target = (pc + imm) | 0;
        x[rd] = (pc + 4) | 0;
        if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
          return leave(hart, icount + 1, target, blockEnds);
        icount++;
        pc = target;
        continue;
      }
      case 53: {
        // OP_J
        const target = (pc + imm) | 0;
        if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
          return leave(hart, icount + 1, target, blockEnds);
        icount++;
        pc = target;
        continue;
      }
      case 54: // OP_JAL_MISALIGNED
        return trapAt(hart, icount, pc, TRAP_MISALIGNED, (pc + imm) | 0);
      case 55: {
        // OP_JALR: rs1 is read before rd is written; rd may be x0
        const target = (x[r1]! + imm) & ~1;
        if ((target & 3) !== 0) return trapAt(hart, icount, pc, TRAP_MISALIGNED, target);
        x[rd] = (pc + 4) | 0;
        x[0] = 0;
        if ((blockEnds | ((target ^ pc) >>> 12)) !== 0)
          return leave(hart, icount + 1, target, blockEnds);
        icount++;
        pc = target;
        continue;
      }
      default:
        throw new Error(`interpreter: no operation ${d & 0xff}`);
    }
    icount++;
    pc = (pc + 4) | 0;
  }
  // Inline, not a helper call: a call first reached when the loop exits would
  // deoptimise the loop's on-stack-replaced code at the end of every slice.
  hart.icount = icount;
  return pc;
}

/** Leave `executeInPage` after `icount` instructions, continuing at `pc` (in another page, or after a block's end). */
function leave(hart: UserHart, icount: number, pc: number, blockEnded: number): number {
  hart.icount = icount;
  hart.blockEnded = blockEnded !== 0;
  return pc;
}

/** The condition of a BRANCH with this funct3. */
function branchTaken(funct3: number, a: number, b: number): boolean {
  switch (funct3) {
    case F3_BEQ:
      return a === b;
    case F3_BNE:
      return a !== b;
    case F3_BLT:
      return a < b;
    case F3_BGE:
      return a >= b;
    case F3_BLTU:
      return a >>> 0 < b >>> 0;
    default: // F3_BGEU
      return a >>> 0 >= b >>> 0;
  }
}

/** A load into x0: performed for its fault, its value dropped. False when it traps. */
function loadIntoX0(hart: UserHart, address: number, funct3: number): boolean {
  if (funct3 === F3_WORD) hart.load32(address);
  else if (funct3 === F3_HALF || funct3 === F3_HALF_UNSIGNED) hart.load16(address);
  else hart.load8(address);
  return hart.trap === TRAP_NONE;
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
