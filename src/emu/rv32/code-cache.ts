/**
 * The translated-code cache and the dispatcher that runs it.
 *
 * Blocks are cached by the physical address of their first instruction (they
 * never cross a 4 KiB page and hold no absolute virtual address, see
 * translator.ts), so address-space switches do not discard them; a small
 * direct-mapped cache from virtual pc to block, which does depend on the
 * mapping, is flushed whenever the MMU drops translations (CR3 write, INVLPG).
 *
 * Self-modifying code and reused frames: a physical page that holds
 * translations is write-watched (code-watch.ts) and the MMU stops giving
 * fast-path write access to it, so every store into it — the user's own or the
 * kernel's — reaches `onWrite`. Only a store that overlaps words
 * belonging to a block (tracked per 32-bit word) throws translations away: data
 * sharing a page with code costs slow stores, never retranslation (the pitfall
 * noted in STACK-NOTES). A block that rewrites code stops right after the store.
 *
 * Blocks are translated once they have been entered `hotThreshold` times; until
 * then, and for blocks that start with an instruction the translator leaves to
 * the interpreter, the interpreter runs to the end of the basic block.
 */
import { ACCESS_FETCH } from '../paging/page-table-entry';
import { WATCH_TRANSLATED } from './code-watch';
import { interpret, interpretSlice } from './interpreter';
import { mulh, mulhsu, mulhu } from './multiply';
import { BLOCK_FACTORY_PARAMETERS, translateBlock } from './translator';
import { TRAP_NONE, TRAP_PAGE_FAULT, type UserHart } from './user-hart';

export type BlockFunction = (x: Int32Array, left: number, pc: number) => number;

interface Block {
  readonly fn: BlockFunction;
  readonly count: number;
  /** Physical byte range [start, end). */
  readonly start: number;
  readonly end: number;
}

interface CodePage {
  readonly blocks: Map<number, Block>;
  /** One bit per 32-bit word of the page: some block contains that word. */
  readonly words: Uint32Array;
}

const VIRTUAL_ENTRIES = 8192;
const VIRTUAL_MASK = VIRTUAL_ENTRIES - 1;
/** A tag no pc can have (pcs are 4-aligned). */
const NO_PC = 1;
const UNTRANSLATABLE = -0x4000_0000;
/**
 * Hot path: a block that loops on itself gets at most this budget per call, so
 * that it returns often. V8 then optimises it as a whole function, exit paths
 * included; a loop that ran for a whole time slice would be optimised by
 * on-stack replacement before its exit had ever run, and that code deoptimises
 * at the exit on every call.
 */
const LOOP_SLICE = 8192;
const noBlock: BlockFunction = () => {
  throw new Error('code cache: empty slot called');
};

export class CodeCache {
  private readonly pages = new Map<number, CodePage>();
  private readonly heat = new Map<number, number>();
  private readonly virtualTag = new Int32Array(VIRTUAL_ENTRIES).fill(NO_PC);
  private readonly virtualFn: BlockFunction[] = new Array<BlockFunction>(VIRTUAL_ENTRIES).fill(
    noBlock,
  );
  private readonly virtualCount = new Int32Array(VIRTUAL_ENTRIES);
  /** Slots set since the last flush: a flush (every CR3 write) clears only these. */
  private readonly usedSlots: number[] = [];
  private readonly factoryArguments: unknown[];
  /** Blocks translated since power-on (statistics). */
  translated = 0;

  constructor(
    private readonly hart: UserHart,
    private readonly hotThreshold: number,
  ) {
    const mmu = hart.mmu;
    // B0/W0: placeholders of the right types for the blocks' per-site page caches.
    this.factoryArguments = [
      hart,
      mmu.readTag,
      mmu.writeTag,
      mmu.words,
      mmu.bytes,
      mmu.offset,
      Math.imul,
      mulh,
      mulhsu,
      mulhu,
      new Uint8Array(4),
      new Int32Array(1),
    ];
    mmu.onFlush = () => this.flushVirtual();
    hart.codeWatch.listen((addr, length) => this.onWrite(addr, length));
  }

  /** Run from `pc` until `hart.icount` reaches `limit` or a trap; returns the next pc. */
  execute(x: Int32Array, pc: number, limit: number): number {
    const hart = this.hart;
    const tags = this.virtualTag;
    const fns = this.virtualFn;
    const counts = this.virtualCount;
    while (hart.icount < limit) {
      // Hot path: one tag compare finds the block for this pc.
      const slot = (pc >>> 2) & VIRTUAL_MASK;
      if (tags[slot] === pc) {
        const left = limit - hart.icount;
        if (counts[slot]! > left) return interpretSlice(hart, x, pc, limit); // finish the slice exactly
        // A looping block returns at least every LOOP_SLICE instructions (see there).
        pc = fns[slot]!(x, left < LOOP_SLICE ? left : LOOP_SLICE, pc);
        if (hart.trap !== TRAP_NONE) return pc;
        hart.codeWritten = false;
        continue;
      }
      pc = this.dispatchSlow(x, pc, limit);
      if (hart.trap !== TRAP_NONE) return pc;
    }
    return pc;
  }

  /** A pc not in the virtual cache: find or translate its block, or interpret one basic block. */
  private dispatchSlow(x: Int32Array, pc: number, limit: number): number {
    const hart = this.hart;
    const physical = hart.mmu.translate(pc >>> 0, ACCESS_FETCH, true);
    if (physical < 0) {
      hart.trap = TRAP_PAGE_FAULT;
      hart.trapValue = hart.mmu.cr2 | 0;
      hart.errorCode = hart.mmu.faultErrorCode;
      return pc;
    }
    if (!hart.memory.isRam(physical, 4)) return interpret(hart, x, pc, limit, true);
    let block = this.pages.get(Math.floor(physical / 4096))?.blocks.get(physical & 0xfff);
    if (!block) {
      const heat = (this.heat.get(physical) ?? 0) + 1;
      if (heat >= this.hotThreshold) block = this.translate(physical) ?? undefined;
      if (!block) {
        this.heat.set(physical, heat >= this.hotThreshold ? UNTRANSLATABLE : heat);
        return interpret(hart, x, pc, limit, true);
      }
    }
    const slot = (pc >>> 2) & VIRTUAL_MASK;
    if (this.virtualTag[slot] === NO_PC) this.usedSlots.push(slot);
    this.virtualTag[slot] = pc;
    this.virtualFn[slot] = block.fn;
    this.virtualCount[slot] = block.count;
    return pc;
  }

  private translate(physical: number): Block | null {
    const memory = this.hart.memory;
    const words = new Int32Array((4096 - (physical & 0xfff)) >> 2);
    for (let i = 0; i < words.length; i++) words[i] = memory.read32(physical + 4 * i);
    const plan = translateBlock(words);
    if (!plan) return null;
    const factory = new Function(...BLOCK_FACTORY_PARAMETERS, plan.source) as (
      ...args: unknown[]
    ) => BlockFunction;
    const block: Block = {
      fn: factory(...this.factoryArguments),
      count: plan.count,
      start: physical,
      end: physical + 4 * plan.count,
    };
    this.register(block);
    this.translated++;
    return block;
  }

  private register(block: Block): void {
    const pageNumber = Math.floor(block.start / 4096);
    let page = this.pages.get(pageNumber);
    if (!page) {
      page = { blocks: new Map(), words: new Uint32Array(32) };
      this.pages.set(pageNumber, page);
      this.hart.codeWatch.watch(pageNumber, WATCH_TRANSLATED);
    }
    page.blocks.set(block.start & 0xfff, block);
    markWords(page.words, block.start & 0xfff, block.end - block.start);
  }

  /** The write watcher: drop every block overlapping [addr, addr + length). */
  private onWrite(addr: number, length: number): void {
    let dropped = false;
    const end = addr + length;
    for (let pageNumber = Math.floor(addr / 4096); pageNumber * 4096 < end; pageNumber++) {
      const page = this.pages.get(pageNumber);
      if (!page) continue;
      const base = pageNumber * 4096;
      const from = Math.max(addr, base) - base;
      const to = Math.min(end, base + 4096) - base;
      if (!anyWordMarked(page.words, from, to - from)) continue;
      for (const [offset, block] of page.blocks) {
        if (block.start < end && addr < block.end) page.blocks.delete(offset);
      }
      page.words.fill(0);
      for (const block of page.blocks.values())
        markWords(page.words, block.start & 0xfff, block.end - block.start);
      if (page.blocks.size === 0) {
        this.pages.delete(pageNumber);
        this.hart.codeWatch.unwatch(pageNumber, WATCH_TRANSLATED);
      }
      dropped = true;
    }
    if (!dropped) return;
    this.flushVirtual();
    this.heat.clear();
    this.hart.codeWritten = true;
  }

  private flushVirtual(): void {
    for (const slot of this.usedSlots) this.virtualTag[slot] = NO_PC;
    this.usedSlots.length = 0;
  }
}

function markWords(bits: Uint32Array, offset: number, length: number): void {
  for (let word = offset >> 2; word < (offset + length + 3) >> 2; word++)
    bits[word >> 5]! |= 1 << (word & 31);
}

function anyWordMarked(bits: Uint32Array, offset: number, length: number): boolean {
  for (let word = offset >> 2; word < (offset + length + 3) >> 2; word++)
    if (bits[word >> 5]! & (1 << (word & 31))) return true;
  return false;
}
