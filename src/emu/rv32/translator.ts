/**
 * The block translator: one RV32IM basic block → the source of one JavaScript
 * function with the same effect as interpreting it (interpreter.ts is the
 * reference; RISC-V Unprivileged ISA 20191213 chapters 2 and 7 for the
 * semantics).
 *
 * Why this shape (see STACK-NOTES, "User programs and the RV32 CPU"): V8
 * optimises small functions well and gives up on huge ones, so the unit is a
 * basic block (at most MAX_BLOCK_INSTRUCTIONS, never crossing a 4 KiB page),
 * not a page. A block is a trace: it runs on past conditional branches (each
 * a side exit) and ends at a jump, so an if-then inside a loop body does not
 * cost a trip through the dispatcher. Guest registers live in JS locals (loaded
 * on entry, written back on every exit), immediates and pc offsets are
 * constants, loads and stores are inlined against the MMU's TLB arrays, and a
 * block with a branch or jump back to its own first instruction becomes a JS
 * loop, which is where compute-bound code spends its time.
 *
 * The generated function is `block(x, left, p)`: x is the register file, p the
 * virtual pc of the block's first instruction (blocks are cached by physical
 * address and hold no absolute virtual addresses, so a page mapped at two
 * addresses shares its translations), and left the number of instructions the
 * block may retire before the next device event (the caller guarantees at
 * least one pass; a loop only starts another pass if it fits). It adds what it
 * retired to h.icount and returns the next pc; a trap (page fault, misaligned
 * JALR target) leaves h.trap set and returns the trapping instruction's pc.
 *
 * Not translated (a block ends before them and the interpreter runs them):
 * ECALL, EBREAK, every other SYSTEM encoding, LR/SC/AMOs, illegal encodings,
 * and branches or JALs to a target that is not 4-aligned (they trap).
 */
import { TLB_MASK } from '../paging/mmu';
import {
  F3_BEQ,
  F3_BGE,
  F3_BGEU,
  F3_BLT,
  F3_BLTU,
  F3_BNE,
  F3_BYTE,
  F3_BYTE_UNSIGNED,
  F3_HALF,
  F3_HALF_UNSIGNED,
  F3_WORD,
  F7_ALT,
  F7_MULDIV,
  funct3Of,
  funct7Of,
  immB,
  immI,
  immJ,
  immS,
  immU,
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
  opcodeOf,
  rdOf,
  rs1Of,
  rs2Of,
} from './encoding';
import { aluResult } from './interpreter';
import { TRAP_MISALIGNED } from './user-hart';

export const MAX_BLOCK_INSTRUCTIONS = 128;
/** The parameters of the factory that `new Function` builds around a block's body. */
export const BLOCK_FACTORY_PARAMETERS = [
  'h',
  'RT',
  'WT',
  'W',
  'B',
  'O',
  'imul',
  'mulh',
  'mulhsu',
  'mulhu',
  'B0',
  'W0',
] as const;

export interface BlockSource {
  /** Instructions in the block: the most one pass through it retires. */
  readonly count: number;
  /** The factory's body: returns the block function. */
  readonly source: string;
}

const WRITEBACK = '/*WB*/';

/** Whether `insn` can be translated, and whether it ends a block (a conditional branch is a side exit). */
function classify(insn: number): 'plain' | 'branch' | 'end' | 'no' {
  const funct3 = funct3Of(insn);
  switch (opcodeOf(insn)) {
    case OPCODE_OP_IMM:
      return aluResult(funct3, funct7Of(insn), 0, 0, true) === undefined ? 'no' : 'plain';
    case OPCODE_OP:
      return aluResult(funct3, funct7Of(insn), 0, 1, false) === undefined ? 'no' : 'plain';
    case OPCODE_LUI:
    case OPCODE_AUIPC:
      return 'plain';
    case OPCODE_LOAD:
      return funct3 === 3 || funct3 > 5 ? 'no' : 'plain';
    case OPCODE_STORE:
      return funct3 > 2 ? 'no' : 'plain';
    case OPCODE_MISC_MEM:
      return funct3 > 1 ? 'no' : 'plain';
    case OPCODE_BRANCH:
      return funct3 === 2 || funct3 === 3 || (immB(insn) & 3) !== 0 ? 'no' : 'branch';
    case OPCODE_JAL:
      return (immJ(insn) & 3) !== 0 ? 'no' : 'end';
    case OPCODE_JALR:
      return funct3 !== 0 ? 'no' : 'end';
    default:
      return 'no';
  }
}

class BlockWriter {
  private readonly used = new Set<number>();
  private readonly written = new Set<number>();
  private readonly lines: string[] = [];
  private sites = 0;
  loop = false;
  /** The block's instruction count (a looping block starts another pass only while `n <= left - count`). */
  count = 0;

  /** Per site: true when it reads the page as words, false as bytes. */
  private readonly siteWords: boolean[] = [];

  /** A new memory-access site (its page cache locals are declared in `finish`). */
  site(words: boolean): number {
    this.siteWords.push(words);
    return this.sites++;
  }

  read(r: number): string {
    if (r === 0) return '0';
    this.used.add(r);
    return `r${r}`;
  }

  assign(rd: number, expression: string): string {
    if (rd === 0) return '';
    this.used.add(rd);
    this.written.add(rd);
    return `r${rd} = ${expression};`;
  }

  /** Leave the block: write registers back, count `retired` instructions, continue at `pc`. */
  exit(retired: number, pc: string): string {
    const count = this.loop ? `n + ${retired}` : `${retired}`;
    return `{ ${WRITEBACK} h.icount += ${count}; return ${pc}; }`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  finish(): string {
    const registers = [...this.used].sort((a, b) => a - b);
    const writeback = [...this.written]
      .sort((a, b) => a - b)
      .map((r) => `x[${r}] = r${r};`)
      .join(' ');
    const declarations = registers.map((r) => `r${r} = x[${r}]`).join(', ');
    let body = this.lines.join('\n').split(WRITEBACK).join(writeback);
    if (this.loop) body = `for (;;) {\n${body}\n}`;
    return [
      'return function block(x, left, p) {',
      declarations ? `  let ${declarations};` : '',
      this.loop
        ? `  let a = 0, s = 0, t = 0, v = 0, n = 0, e = left - ${this.count};`
        : '  let a = 0, s = 0, t = 0, v = 0, n = 0;',
      ...this.siteWords.map(
        (words, i) => `  let g${i} = -1, m${i} = ${words ? 'W0' : 'B0'}, o${i} = 0;`,
      ),
      body,
      '};',
    ].join('\n');
  }
}

const pcAt = (offset: number): string => (offset === 0 ? 'p' : `(p + ${offset}) | 0`);

function aluExpression(w: BlockWriter, insn: number): string {
  const funct3 = funct3Of(insn);
  const funct7 = funct7Of(insn);
  const immediate = opcodeOf(insn) === OPCODE_OP_IMM;
  const a = w.read(rs1Of(insn));
  const b = immediate ? `${immI(insn)}` : w.read(rs2Of(insn));
  const shamt = immediate ? `${immI(insn) & 31}` : `(${b} & 31)`;
  if (!immediate && funct7 === F7_MULDIV) {
    return [
      `imul(${a}, ${b})`,
      `mulh(${a}, ${b})`,
      `mulhsu(${a}, ${b})`,
      `mulhu(${a}, ${b})`,
      `(${b} === 0 ? -1 : (${a} / ${b}) | 0)`,
      `(${b} === 0 ? -1 : ((${a} >>> 0) / (${b} >>> 0)) | 0)`,
      `(${b} === 0 ? ${a} : (${a} % ${b}) | 0)`,
      `(${b} === 0 ? ${a} : ((${a} >>> 0) % (${b} >>> 0)) | 0)`,
    ][funct3]!;
  }
  const alt = !immediate && funct7 === F7_ALT;
  const unsignedB = immediate ? `${immI(insn) >>> 0}` : `(${b} >>> 0)`;
  switch (funct3) {
    case 0:
      return alt ? `(${a} - ${b}) | 0` : `(${a} + ${b}) | 0`;
    case 1:
      return `${a} << ${shamt}`;
    case 2:
      return `(${a} < ${b} ? 1 : 0)`;
    case 3:
      return `((${a} >>> 0) < ${unsignedB} ? 1 : 0)`;
    case 4:
      return `${a} ^ ${b}`;
    case 5:
      return funct7 === F7_ALT ? `${a} >> ${shamt}` : `(${a} >>> ${shamt}) | 0`;
    case 6:
      return `${a} | ${b}`;
    default:
      return `${a} & ${b}`;
  }
}

function branchCondition(w: BlockWriter, insn: number): string {
  const a = w.read(rs1Of(insn));
  const b = w.read(rs2Of(insn));
  switch (funct3Of(insn)) {
    case F3_BEQ:
      return `${a} === ${b}`;
    case F3_BNE:
      return `${a} !== ${b}`;
    case F3_BLT:
      return `${a} < ${b}`;
    case F3_BGE:
      return `${a} >= ${b}`;
    case F3_BLTU:
      return `(${a} >>> 0) < (${b} >>> 0)`;
    case F3_BGEU:
    default:
      return `(${a} >>> 0) >= (${b} >>> 0)`;
  }
}

const MASK = TLB_MASK;

/**
 * The inline memory access of one load or store site. Hot path: each site
 * keeps the page it last touched in locals (its page number, the chunk as
 * bytes and words, the page's offset in the chunk), so a loop walking through a
 * page costs one compare per access instead of three TLB array loads. This is
 * safe within one call of the block: nothing that can run during it (the slow
 * paths fill TLB slots, they never change a mapping, drop a right or start
 * watching a page) invalidates what the site saw in the TLB.
 */
function memoryAccess(
  w: BlockWriter,
  width: number,
  tag: 'RT' | 'WT',
  access: (memory: string, at: string) => string,
  slow: string,
): string {
  // Only the view the site uses is cached: the chunk as words (W) for word
  // accesses, as bytes (B) otherwise.
  const site = w.site(width === 4);
  const [page, memory, base] = [`g${site}`, `m${site}`, `o${site}`];
  const at = `${base} + (a & 4095)`;
  const alignment = width > 1 ? ` && (a & ${width - 1}) === 0` : '';
  return [
    `if ((a >>> 12) === ${page}${alignment}) { ${access(memory, at)} }`,
    `else { s = a >>> 12; t = s & ${MASK};`,
    `  if (${tag}[t] === s${alignment}) { ${page} = s; ${memory} = ${width === 4 ? 'W' : 'B'}[t]; ${base} = O[t]; ${access(memory, at)} }`,
    `  else { ${slow} } }`,
  ].join('\n');
}

function loadCode(w: BlockWriter, insn: number, k: number, offset: number): string {
  const funct3 = funct3Of(insn);
  const address = `a = (${w.read(rs1Of(insn))} + ${immI(insn)}) | 0;`;
  const fault = `if (h.trap !== 0) ${w.exit(k, pcAt(offset))}`;
  let code: string;
  if (funct3 === F3_WORD) {
    code = memoryAccess(
      w,
      4,
      'RT',
      (words, at) => `v = ${words}[(${at}) >> 2];`,
      `v = h.load32(a); ${fault}`,
    );
  } else if (funct3 === F3_BYTE || funct3 === F3_BYTE_UNSIGNED) {
    const sign = funct3 === F3_BYTE ? ' << 24 >> 24' : '';
    code = memoryAccess(
      w,
      1,
      'RT',
      (bytes, at) => `v = ${bytes}[${at}]${sign};`,
      `v = h.load8(a)${sign}; ${fault}`,
    );
  } else {
    const sign = funct3 === F3_HALF ? ' << 16 >> 16' : '';
    void F3_HALF_UNSIGNED;
    code = memoryAccess(
      w,
      2,
      'RT',
      (bytes, at) => `s = ${at}; v = (${bytes}[s] | (${bytes}[s + 1] << 8))${sign};`,
      `v = h.load16(a)${sign}; ${fault}`,
    );
  }
  return `${address}\n${code}\n${w.assign(rdOf(insn), 'v')}`;
}

function storeCode(w: BlockWriter, insn: number, k: number, offset: number): string {
  const funct3 = funct3Of(insn);
  const value = w.read(rs2Of(insn));
  const address = `a = (${w.read(rs1Of(insn))} + ${immS(insn)}) | 0;`;
  const width = funct3 === F3_WORD ? 4 : funct3 === F3_HALF ? 2 : 1;
  const slow = `h.store(a, ${value}, ${width}); if (h.trap !== 0) ${w.exit(k, pcAt(offset))} if (h.codeWritten) ${w.exit(k + 1, pcAt(offset + 4))}`;
  const access =
    width === 4
      ? (words: string, at: string) => `${words}[(${at}) >> 2] = ${value};`
      : width === 1
        ? (bytes: string, at: string) => `${bytes}[${at}] = ${value};`
        : (bytes: string, at: string) =>
            `s = ${at}; ${bytes}[s] = ${value}; ${bytes}[s + 1] = ${value} >> 8;`;
  return `${address}\n${memoryAccess(w, width, 'WT', access, slow)}`;
}

/**
 * Plan the block whose first instruction is `insns[0]` (the words from the
 * block's start to the end of its page). Returns null when the first
 * instruction is one the interpreter must run.
 */
export function translateBlock(insns: ArrayLike<number>): BlockSource | null {
  const w = new BlockWriter();
  const limit = Math.min(insns.length, MAX_BLOCK_INSTRUCTIONS);
  // First pass: how long is the block, and does it loop onto itself?
  let count = 0;
  let ends = false;
  while (count < limit) {
    const insn = insns[count]! | 0;
    const kind = classify(insn);
    if (kind === 'no') break;
    if (kind === 'branch' && 4 * count + immB(insn) === 0) w.loop = true;
    if (opcodeOf(insn) === OPCODE_JAL && 4 * count + immJ(insn) === 0) w.loop = true;
    count++;
    if (kind === 'end') {
      ends = true;
      break;
    }
  }
  if (count === 0) return null;
  const last = insns[count - 1]! | 0;
  if (opcodeOf(last) === OPCODE_BRANCH) ends = true;
  w.count = count;

  for (let k = 0; k < count; k++) {
    const insn = insns[k]! | 0;
    const offset = 4 * k;
    const rd = rdOf(insn);
    switch (opcodeOf(insn)) {
      case OPCODE_OP_IMM:
      case OPCODE_OP:
        w.emit(w.assign(rd, aluExpression(w, insn)));
        break;
      case OPCODE_LUI:
        w.emit(w.assign(rd, `${immU(insn)}`));
        break;
      case OPCODE_AUIPC:
        w.emit(w.assign(rd, `(p + ${offset + immU(insn)}) | 0`));
        break;
      case OPCODE_LOAD:
        w.emit(loadCode(w, insn, k, offset));
        break;
      case OPCODE_STORE:
        w.emit(storeCode(w, insn, k, offset));
        break;
      case OPCODE_MISC_MEM:
        break; // FENCE / FENCE.I
      case OPCODE_BRANCH: {
        // A side exit, or the back edge of a loop onto the block's start.
        const condition = branchCondition(w, insn);
        const target = offset + immB(insn);
        if (target === 0) {
          w.emit(`if (${condition}) { n += ${k + 1}; if (n <= e) continue; ${w.exit(0, 'p')} }`);
        } else {
          w.emit(`if (${condition}) ${w.exit(k + 1, pcAt(target))}`);
        }
        if (k === count - 1) w.emit(w.exit(k + 1, pcAt(offset + 4)));
        break;
      }
      case OPCODE_JAL: {
        w.emit(w.assign(rd, pcAt(offset + 4)));
        if (offset + immJ(insn) === 0) {
          w.emit(`n += ${count}; if (n <= e) continue; ${w.exit(0, 'p')}`);
        } else {
          w.emit(w.exit(k + 1, pcAt(offset + immJ(insn))));
        }
        break;
      }
      case OPCODE_JALR: {
        w.emit(`a = (${w.read(rs1Of(insn))} + ${immI(insn)}) & -2;`);
        w.emit(
          `if ((a & 3) !== 0) { h.trap = ${TRAP_MISALIGNED}; h.trapValue = a; ${w.exit(k, pcAt(offset))} }`,
        );
        w.emit(w.assign(rd, pcAt(offset + 4)));
        w.emit(w.exit(k + 1, 'a'));
        break;
      }
    }
  }
  if (!ends) w.emit(w.exit(count, pcAt(4 * count)));
  return { count, source: w.finish() };
}
