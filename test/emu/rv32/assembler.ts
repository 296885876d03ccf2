/**
 * A tiny RV32IMA assembler for tests: encoders for the instruction formats of
 * RISC-V Unprivileged ISA 20191213 §2.2–2.3, written from the spec.
 */
const r = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const i = (op: number, f3: number, rd: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const s = (op: number, f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 5) & 0x7f) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    ((imm & 0x1f) << 7) |
    op) >>>
  0;
const b = (f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 12) & 1) << 31) |
    (((imm >> 5) & 0x3f) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) |
    (((imm >> 11) & 1) << 7) |
    0x63) >>>
  0;
const u = (op: number, rd: number, imm: number): number =>
  ((imm & 0xfffff000) | (rd << 7) | op) >>> 0;
const j = (rd: number, imm: number): number =>
  ((((imm >> 20) & 1) << 31) |
    (((imm >> 1) & 0x3ff) << 21) |
    (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) |
    (rd << 7) |
    0x6f) >>>
  0;
const amo = (f5: number, rd: number, rs1: number, rs2: number): number =>
  r(0x2f, 2, f5 << 2, rd, rs1, rs2);

export const asm = {
  lui: (rd: number, imm: number) => u(0x37, rd, imm),
  auipc: (rd: number, imm: number) => u(0x17, rd, imm),
  jal: (rd: number, offset: number) => j(rd, offset),
  jalr: (rd: number, rs1: number, imm: number) => i(0x67, 0, rd, rs1, imm),
  beq: (rs1: number, rs2: number, o: number) => b(0, rs1, rs2, o),
  bne: (rs1: number, rs2: number, o: number) => b(1, rs1, rs2, o),
  blt: (rs1: number, rs2: number, o: number) => b(4, rs1, rs2, o),
  bge: (rs1: number, rs2: number, o: number) => b(5, rs1, rs2, o),
  bltu: (rs1: number, rs2: number, o: number) => b(6, rs1, rs2, o),
  bgeu: (rs1: number, rs2: number, o: number) => b(7, rs1, rs2, o),
  lb: (rd: number, rs1: number, imm: number) => i(0x03, 0, rd, rs1, imm),
  lh: (rd: number, rs1: number, imm: number) => i(0x03, 1, rd, rs1, imm),
  lw: (rd: number, rs1: number, imm: number) => i(0x03, 2, rd, rs1, imm),
  lbu: (rd: number, rs1: number, imm: number) => i(0x03, 4, rd, rs1, imm),
  lhu: (rd: number, rs1: number, imm: number) => i(0x03, 5, rd, rs1, imm),
  sb: (rs2: number, rs1: number, imm: number) => s(0x23, 0, rs1, rs2, imm),
  sh: (rs2: number, rs1: number, imm: number) => s(0x23, 1, rs1, rs2, imm),
  sw: (rs2: number, rs1: number, imm: number) => s(0x23, 2, rs1, rs2, imm),
  addi: (rd: number, rs1: number, imm: number) => i(0x13, 0, rd, rs1, imm),
  slti: (rd: number, rs1: number, imm: number) => i(0x13, 2, rd, rs1, imm),
  sltiu: (rd: number, rs1: number, imm: number) => i(0x13, 3, rd, rs1, imm),
  xori: (rd: number, rs1: number, imm: number) => i(0x13, 4, rd, rs1, imm),
  ori: (rd: number, rs1: number, imm: number) => i(0x13, 6, rd, rs1, imm),
  andi: (rd: number, rs1: number, imm: number) => i(0x13, 7, rd, rs1, imm),
  slli: (rd: number, rs1: number, sh: number) => i(0x13, 1, rd, rs1, sh),
  srli: (rd: number, rs1: number, sh: number) => i(0x13, 5, rd, rs1, sh),
  srai: (rd: number, rs1: number, sh: number) => i(0x13, 5, rd, rs1, sh | 0x400),
  add: (rd: number, rs1: number, rs2: number) => r(0x33, 0, 0, rd, rs1, rs2),
  sub: (rd: number, rs1: number, rs2: number) => r(0x33, 0, 0x20, rd, rs1, rs2),
  sll: (rd: number, rs1: number, rs2: number) => r(0x33, 1, 0, rd, rs1, rs2),
  slt: (rd: number, rs1: number, rs2: number) => r(0x33, 2, 0, rd, rs1, rs2),
  sltu: (rd: number, rs1: number, rs2: number) => r(0x33, 3, 0, rd, rs1, rs2),
  xor: (rd: number, rs1: number, rs2: number) => r(0x33, 4, 0, rd, rs1, rs2),
  srl: (rd: number, rs1: number, rs2: number) => r(0x33, 5, 0, rd, rs1, rs2),
  sra: (rd: number, rs1: number, rs2: number) => r(0x33, 5, 0x20, rd, rs1, rs2),
  or: (rd: number, rs1: number, rs2: number) => r(0x33, 6, 0, rd, rs1, rs2),
  and: (rd: number, rs1: number, rs2: number) => r(0x33, 7, 0, rd, rs1, rs2),
  mul: (rd: number, rs1: number, rs2: number) => r(0x33, 0, 1, rd, rs1, rs2),
  mulh: (rd: number, rs1: number, rs2: number) => r(0x33, 1, 1, rd, rs1, rs2),
  mulhsu: (rd: number, rs1: number, rs2: number) => r(0x33, 2, 1, rd, rs1, rs2),
  mulhu: (rd: number, rs1: number, rs2: number) => r(0x33, 3, 1, rd, rs1, rs2),
  div: (rd: number, rs1: number, rs2: number) => r(0x33, 4, 1, rd, rs1, rs2),
  divu: (rd: number, rs1: number, rs2: number) => r(0x33, 5, 1, rd, rs1, rs2),
  rem: (rd: number, rs1: number, rs2: number) => r(0x33, 6, 1, rd, rs1, rs2),
  remu: (rd: number, rs1: number, rs2: number) => r(0x33, 7, 1, rd, rs1, rs2),
  fence: () => 0x0ff0000f,
  fenceI: () => 0x0000100f,
  ecall: () => 0x00000073,
  ebreak: () => 0x00100073,
  lr: (rd: number, rs1: number) => amo(0x02, rd, rs1, 0),
  sc: (rd: number, rs1: number, rs2: number) => amo(0x03, rd, rs1, rs2),
  amoswap: (rd: number, rs1: number, rs2: number) => amo(0x01, rd, rs1, rs2),
  amoadd: (rd: number, rs1: number, rs2: number) => amo(0x00, rd, rs1, rs2),
  amoxor: (rd: number, rs1: number, rs2: number) => amo(0x04, rd, rs1, rs2),
  amoand: (rd: number, rs1: number, rs2: number) => amo(0x0c, rd, rs1, rs2),
  amoor: (rd: number, rs1: number, rs2: number) => amo(0x08, rd, rs1, rs2),
  amomin: (rd: number, rs1: number, rs2: number) => amo(0x10, rd, rs1, rs2),
  amomax: (rd: number, rs1: number, rs2: number) => amo(0x14, rd, rs1, rs2),
  amominu: (rd: number, rs1: number, rs2: number) => amo(0x18, rd, rs1, rs2),
  amomaxu: (rd: number, rs1: number, rs2: number) => amo(0x1c, rd, rs1, rs2),
  /** li: LUI + ADDI for any 32-bit value (two instructions). */
  li: (rd: number, value: number): number[] => {
    const low = (value << 20) >> 20;
    const high = (value - low) | 0;
    return [u(0x37, rd, high), i(0x13, 0, rd, rd, low)];
  },
};
