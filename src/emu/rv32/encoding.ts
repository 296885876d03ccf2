/**
 * RV32IMA instruction encoding: opcodes, function codes and immediate formats.
 *
 * RISC-V Unprivileged ISA 20191213: §2.2–2.3 (base instruction formats and
 * immediate encodings), §2.4–2.8 (RV32I), chapter 7 (M: multiply and divide),
 * chapter 8 (A: LR/SC and AMOs), chapter 24 (the opcode map, Table 24.1 and the
 * RV32IMA listings in Table 24.2). The Cotton PC's user CPU has no C extension,
 * so every instruction is 32 bits, with 0b11 in its two lowest bits.
 */

export const OPCODE_LOAD = 0x03;
export const OPCODE_MISC_MEM = 0x0f;
export const OPCODE_OP_IMM = 0x13;
export const OPCODE_AUIPC = 0x17;
export const OPCODE_STORE = 0x23;
export const OPCODE_AMO = 0x2f;
export const OPCODE_OP = 0x33;
export const OPCODE_LUI = 0x37;
export const OPCODE_BRANCH = 0x63;
export const OPCODE_JALR = 0x67;
export const OPCODE_JAL = 0x6f;
export const OPCODE_SYSTEM = 0x73;

// funct3 of LOAD / STORE
export const F3_BYTE = 0;
export const F3_HALF = 1;
export const F3_WORD = 2;
export const F3_BYTE_UNSIGNED = 4;
export const F3_HALF_UNSIGNED = 5;

// funct3 of BRANCH
export const F3_BEQ = 0;
export const F3_BNE = 1;
export const F3_BLT = 4;
export const F3_BGE = 5;
export const F3_BLTU = 6;
export const F3_BGEU = 7;

// funct3 of OP / OP-IMM (with funct7 0 or 0x20)
export const F3_ADD_SUB = 0;
export const F3_SLL = 1;
export const F3_SLT = 2;
export const F3_SLTU = 3;
export const F3_XOR = 4;
export const F3_SRL_SRA = 5;
export const F3_OR = 6;
export const F3_AND = 7;
export const F7_BASE = 0x00;
export const F7_ALT = 0x20;
export const F7_MULDIV = 0x01;

// funct3 of OP with funct7 = MULDIV (chapter 7)
export const F3_MUL = 0;
export const F3_MULH = 1;
export const F3_MULHSU = 2;
export const F3_MULHU = 3;
export const F3_DIV = 4;
export const F3_DIVU = 5;
export const F3_REM = 6;
export const F3_REMU = 7;

// MISC-MEM
export const F3_FENCE = 0;
export const F3_FENCE_I = 1;

// SYSTEM: the two environment instructions, whole (§2.8)
export const INSN_ECALL = 0x00000073;
export const INSN_EBREAK = 0x00100073;

// AMO: funct3 = 2 (word), funct5 in bits 31:27 (chapter 8, Table 24.2)
export const F5_AMOADD = 0x00;
export const F5_AMOSWAP = 0x01;
export const F5_LR = 0x02;
export const F5_SC = 0x03;
export const F5_AMOXOR = 0x04;
export const F5_AMOOR = 0x08;
export const F5_AMOAND = 0x0c;
export const F5_AMOMIN = 0x10;
export const F5_AMOMAX = 0x14;
export const F5_AMOMINU = 0x18;
export const F5_AMOMAXU = 0x1c;

export const opcodeOf = (insn: number): number => insn & 0x7f;
export const rdOf = (insn: number): number => (insn >>> 7) & 31;
export const funct3Of = (insn: number): number => (insn >>> 12) & 7;
export const rs1Of = (insn: number): number => (insn >>> 15) & 31;
export const rs2Of = (insn: number): number => (insn >>> 20) & 31;
export const funct7Of = (insn: number): number => insn >>> 25;

/** I-type immediate: bits 31:20, sign-extended. */
export const immI = (insn: number): number => insn >> 20;
/** S-type immediate: bits 31:25 and 11:7, sign-extended. */
export const immS = (insn: number): number => ((insn >> 25) << 5) | ((insn >>> 7) & 0x1f);
/** B-type immediate: a multiple of 2, ±4 KiB. */
export const immB = (insn: number): number =>
  ((insn >> 31) << 12) |
  (((insn >>> 7) & 1) << 11) |
  (((insn >>> 25) & 0x3f) << 5) |
  (((insn >>> 8) & 0xf) << 1);
/** U-type immediate: bits 31:12 in place. */
export const immU = (insn: number): number => insn & 0xfffff000;
/** J-type immediate: a multiple of 2, ±1 MiB. */
export const immJ = (insn: number): number =>
  ((insn >> 31) << 20) |
  (((insn >>> 12) & 0xff) << 12) |
  (((insn >>> 20) & 1) << 11) |
  (((insn >>> 21) & 0x3ff) << 1);
