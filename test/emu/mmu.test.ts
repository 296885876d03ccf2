import { describe, expect, it } from 'vitest';
import { Mmu } from '../../src/emu/paging/mmu';
import {
  ACCESS_FETCH,
  ACCESS_READ,
  ACCESS_WRITE,
  type AccessKind,
  PF_INSTRUCTION,
  PF_PRESENT,
  PF_RESERVED,
  PF_USER,
  PF_WRITE,
  PTE_ACCESSED,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
} from '../../src/emu/paging/page-table-entry';
import { PageTableBuilder } from '../../src/emu/paging/page-table-builder';
import { PhysicalMemory } from '../../src/emu/physical-memory';

const P = PTE_PRESENT;
const RW = PTE_WRITABLE;
const US = PTE_USER;

function setup() {
  const memory = new PhysicalMemory(16 << 20);
  const tables = new PageTableBuilder(memory, 0x100000);
  const mmu = new Mmu(memory);
  mmu.writeCr3(tables.pml4);
  return { memory, tables, mmu };
}

const ACCESSES: [string, AccessKind][] = [
  ['read', ACCESS_READ],
  ['write', ACCESS_WRITE],
  ['fetch', ACCESS_FETCH],
];

describe('MMU: 4-level translation', () => {
  it('translates 4 KiB pages through PML4, PDPT, PD and PT', () => {
    const { tables, mmu } = setup();
    tables.map(0x0040_1000, 0x0080_3000, P | RW | US);
    expect(mmu.translate(0x0040_1234, ACCESS_READ, true)).toBe(0x0080_3234);
    expect(mmu.translate(0x0040_1ffc, ACCESS_WRITE, true)).toBe(0x0080_3ffc);
  });

  it('translates 2 MiB pages (PS in the PDE) and addresses above 4 GiB for the supervisor', () => {
    const { tables, mmu } = setup();
    tables.mapLarge(0x0060_0000, 0x0040_0000, P | RW | US);
    expect(mmu.translate(0x0060_0000 + 0x12345, ACCESS_READ, true)).toBe(0x0040_0000 + 0x12345);
    tables.map(0x7f80_0000_0000, 0x0050_0000, P | RW);
    expect(mmu.translate(0x7f80_0000_0010, ACCESS_READ, false)).toBe(0x0050_0010);
  });

  it('reports a not-present page with P clear in the error code and the address in CR2', () => {
    const { mmu } = setup();
    expect(mmu.translate(0x1234_5678, ACCESS_READ, true)).toBe(-1);
    expect(mmu.cr2).toBe(0x1234_5678);
    expect(mmu.faultErrorCode).toBe(PF_USER);
    expect(mmu.translate(0x1234_5678, ACCESS_WRITE, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_USER | PF_WRITE);
    expect(mmu.translate(0x1234_5678, ACCESS_FETCH, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_USER | PF_INSTRUCTION);
    expect(mmu.translate(0x1234_5678, ACCESS_READ, false)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(0);
  });

  it('faults when an upper-level entry is not present', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    for (const shift of [39, 30, 21]) {
      const at = tables.entryAt(0x0040_0000, shift);
      const saved = memory.read32(at);
      memory.write32(at, saved & ~P);
      mmu.flushAll();
      expect(mmu.translate(0x0040_0000, ACCESS_READ, true), `level ${shift}`).toBe(-1);
      expect(mmu.faultErrorCode).toBe(PF_USER);
      memory.write32(at, saved);
    }
    mmu.flushAll();
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0080_0000);
  });

  it('reports PS in a PML4 entry as a reserved-bit violation', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    const at = tables.entryAt(0x0040_0000, 39);
    memory.write32(at, memory.read32(at) | PTE_PAGE_SIZE);
    mmu.flushAll();
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_USER | PF_RESERVED | PF_PRESENT);
  });
});

describe('MMU: every permission combination (§4.6, CR0.WP = 1, EFER.NXE = 1)', () => {
  for (const user of [true, false]) {
    for (const us of [0, US]) {
      for (const rw of [0, RW]) {
        for (const nx of [false, true]) {
          for (const [name, access] of ACCESSES) {
            const allowed =
              (!user || us !== 0) &&
              (access !== ACCESS_WRITE || rw !== 0) &&
              (access !== ACCESS_FETCH || !nx);
            const label = `${user ? 'user' : 'supervisor'} ${name} of a page with U/S=${us ? 1 : 0} R/W=${rw ? 1 : 0} XD=${nx ? 1 : 0}: ${allowed ? 'allowed' : 'faults'}`;
            it(label, () => {
              const { tables, mmu } = setup();
              tables.map(0x0000_5000, 0x0030_0000, P | us | rw, nx);
              const result = mmu.translate(0x0000_5abc, access, user);
              if (allowed) {
                expect(result).toBe(0x0030_0abc);
                return;
              }
              expect(result).toBe(-1);
              expect(mmu.cr2).toBe(0x5abc);
              const expected =
                PF_PRESENT |
                (access === ACCESS_WRITE ? PF_WRITE : 0) |
                (user ? PF_USER : 0) |
                (access === ACCESS_FETCH ? PF_INSTRUCTION : 0);
              expect(mmu.faultErrorCode).toBe(expected);
            });
          }
        }
      }
    }
  }

  it('combines rights across levels: U/S or R/W clear in a PDE restricts the whole 2 MiB', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    const pde = tables.entryAt(0x0040_0000, 21);
    memory.write32(pde, memory.read32(pde) & ~RW);
    mmu.flushAll();
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0080_0000);
    expect(mmu.translate(0x0040_0000, ACCESS_WRITE, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_PRESENT | PF_WRITE | PF_USER);
    memory.write32(pde, memory.read32(pde) & ~US);
    mmu.flushAll();
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER);
    expect(mmu.translate(0x0040_0000, ACCESS_READ, false)).toBe(0x0080_0000);
  });

  it('combines XD across levels', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    const pdpte = tables.entryAt(0x0040_0000, 30);
    memory.write32(pdpte + 4, 0x8000_0000);
    mmu.flushAll();
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0080_0000);
    expect(mmu.translate(0x0040_0000, ACCESS_FETCH, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER | PF_INSTRUCTION);
  });
});

describe('MMU: accessed and dirty flags (§4.8)', () => {
  it('sets A at every level on a read and D in the leaf on the first write', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    const leaf = tables.entryAt(0x0040_0000, 12);
    const upper = [39, 30, 21].map((shift) => tables.entryAt(0x0040_0000, shift));
    expect(memory.read32(leaf) & (PTE_ACCESSED | PTE_DIRTY)).toBe(0);
    mmu.translate(0x0040_0000, ACCESS_READ, true);
    expect(memory.read32(leaf) & (PTE_ACCESSED | PTE_DIRTY)).toBe(PTE_ACCESSED);
    for (const at of upper)
      expect(memory.read32(at) & (PTE_ACCESSED | PTE_DIRTY)).toBe(PTE_ACCESSED);
    mmu.translate(0x0040_0010, ACCESS_WRITE, true);
    expect(memory.read32(leaf) & PTE_DIRTY).toBe(PTE_DIRTY);
    for (const at of upper) expect(memory.read32(at) & PTE_DIRTY).toBe(0);
  });

  it('a write through a TLB entry filled by a read still sets D in memory', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    const leaf = tables.entryAt(0x0040_0000, 12);
    mmu.translate(0x0040_0000, ACCESS_READ, true);
    expect(mmu.writeTag.includes(0x400)).toBe(false); // not dirty yet: writes must take the slow path
    mmu.translate(0x0040_0004, ACCESS_WRITE, true);
    expect(memory.read32(leaf) & PTE_DIRTY).toBe(PTE_DIRTY);
    expect(mmu.writeTag.includes(0x400)).toBe(true);
  });

  it('a faulting access sets no flags', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | US);
    const leaf = tables.entryAt(0x0040_0000, 12);
    expect(mmu.translate(0x0040_0000, ACCESS_WRITE, true)).toBe(-1);
    expect(memory.read32(leaf) & (PTE_ACCESSED | PTE_DIRTY)).toBe(0);
  });
});

describe('MMU: TLB (§4.10)', () => {
  it('keeps a stale translation until INVLPG, as x86 does', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0080_0000);
    const leaf = tables.entryAt(0x0040_0000, 12);
    memory.write32(leaf, 0x0090_0000 | P | RW | US);
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0080_0000);
    mmu.invlpg(0x0040_0abc);
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(0x0090_0000);
  });

  it('INVLPG anywhere in a 2 MiB page drops every piece cached from it', () => {
    const { memory, tables, mmu } = setup();
    tables.mapLarge(0x0060_0000, 0x0040_0000, P | RW | US);
    expect(mmu.translate(0x0060_5000, ACCESS_READ, true)).toBe(0x0040_5000);
    const pde = tables.entryAt(0x0060_0000, 21);
    memory.write32(pde, 0x00a0_0000 | P | RW | US | PTE_PAGE_SIZE);
    mmu.invlpg(0x0060_0000);
    expect(mmu.translate(0x0060_5000, ACCESS_READ, true)).toBe(0x00a0_5000);
  });

  it('a CR3 write flushes non-global translations and keeps global ones', () => {
    const { memory, tables, mmu } = setup();
    tables.map(0x0040_0000, 0x0080_0000, P | RW | US);
    tables.map(0x0050_0000, 0x0081_0000, P | RW | US | PTE_GLOBAL);
    mmu.translate(0x0040_0000, ACCESS_READ, true);
    mmu.translate(0x0050_0000, ACCESS_READ, true);
    memory.write32(tables.entryAt(0x0040_0000, 12), 0);
    memory.write32(tables.entryAt(0x0050_0000, 12), 0);
    mmu.writeCr3(tables.pml4);
    expect(mmu.translate(0x0040_0000, ACCESS_READ, true)).toBe(-1);
    expect(mmu.translate(0x0050_0000, ACCESS_READ, true)).toBe(0x0081_0000);
  });

  it('switching CR3 switches address spaces', () => {
    const { memory, tables, mmu } = setup();
    const other = new PageTableBuilder(memory, 0x200000);
    tables.map(0x1000, 0x0030_0000, P | US);
    other.map(0x1000, 0x0031_0000, P | US);
    expect(mmu.translate(0x1000, ACCESS_READ, true)).toBe(0x0030_0000);
    mmu.writeCr3(other.pml4);
    expect(mmu.translate(0x1000, ACCESS_READ, true)).toBe(0x0031_0000);
    mmu.writeCr3(tables.pml4);
    expect(mmu.translate(0x1000, ACCESS_READ, true)).toBe(0x0030_0000);
  });

  it('fills the fast-path tags only for the rights the walk granted', () => {
    const { tables, mmu } = setup();
    tables.map(0x7000, 0x0030_0000, P | US | RW | PTE_DIRTY, true);
    mmu.translate(0x7000, ACCESS_READ, true);
    const slot = 7;
    expect(mmu.readTag[slot]).toBe(7);
    expect(mmu.writeTag[slot]).toBe(7);
    expect(mmu.fetchTag[slot]).toBe(-1);
  });
});
