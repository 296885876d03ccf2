import { describe, expect, it } from 'vitest';
import {
  ACCESS_FETCH,
  ACCESS_READ,
  ACCESS_WRITE,
  type AccessKind,
  PF_INSTRUCTION,
  PF_PRESENT,
  PF_USER,
  PF_WRITE,
} from '../../../src/emu/paging/page-table-entry';
import {
  entryAddress,
  HUGE_PAGE_SIZE,
  makeEntry,
  PageTables,
  pdIndex,
  pdptIndex,
  pml4Index,
  ptIndex,
  PTE_GLOBAL,
  PTE_PAGE_SIZE,
  PTE_NO_EXECUTE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
  TABLE_FLAGS,
} from '../../../src/kernel/mm/page-table';
import { exhaust, mmMachine } from './machine';

const P = PTE_PRESENT;
const RW = PTE_WRITABLE;
const US = PTE_USER;

/** Page tables in a fresh user-style PML4 (not live in CR3 unless `live`). */
function setup(live = false) {
  const machine = mmMachine();
  const tables = new PageTables(machine.cpu, machine.frames);
  const root = tables.allocateTable()!;
  if (live) machine.cpu.writeCr3(root);
  return { ...machine, tables, root, mmu: machine.cpu.mmu };
}

describe('page-table index helpers', () => {
  it('cut a virtual address into four 9-bit indices (SDM Figure 4-8)', () => {
    const virt = 0x0000_7f12_3456_7abc;
    expect(pml4Index(virt)).toBe(0xfe);
    expect(pdptIndex(virt)).toBe(0x48);
    expect(pdIndex(virt)).toBe(0x1a2);
    expect(ptIndex(virt)).toBe(0x167);
    expect(pml4Index(0xffff_8000_0000_0000)).toBe(256);
    expect(pml4Index(0xffff_ffff_ffe0_0000)).toBe(511);
  });

  it('split entries into 32-bit halves with XD in bit 31 of the high word', () => {
    const entry = makeEntry(0x1_2345_6000, P | RW, true);
    expect(entry.low).toBe(0x2345_6003);
    expect(entry.high).toBe((0x8000_0001 | 0) >>> 0);
    expect(entryAddress(entry)).toBe(0x1_2345_6000);
    expect((entry.high & PTE_NO_EXECUTE) !== 0).toBe(true);
  });
});

describe('PageTables', () => {
  it('maps a page, translates it with its flags and offset, and allocates the three missing tables', () => {
    const { tables, root, frames } = setup();
    const before = frames.freeFrames;
    expect(tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, true)).toBe(true);
    expect(frames.freeFrames).toBe(before - 3);
    expect(tables.translate(root, 0x0040_1234)).toEqual({
      physical: 0x0080_3234,
      flags: P | RW | US,
      noExecute: true,
      pageSize: 4096,
    });
    expect(tables.translate(root, 0x0040_2000)).toBeNull();
    expect(tables.translate(root, 0x7000_0000)).toBeNull();
    tables.mapPage(root, 0x0040_2000, 0x0080_4000, P | US, false);
    expect(frames.freeFrames).toBe(before - 3); // same PT
    expect(tables.translate(root, 0x0040_2ffc)).toEqual({
      physical: 0x0080_4ffc,
      flags: P | US,
      noExecute: false,
      pageSize: 4096,
    });
  });

  it('gives intermediate entries P|RW|US so that the leaf decides', () => {
    const { tables, root } = setup();
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P, false);
    const steps = tables.walk(root, 0x0040_1000);
    expect(steps.map((s) => s.level)).toEqual(['PML4', 'PDPT', 'PD', 'PT']);
    for (const step of steps.slice(0, 3)) expect(step.low & 0xfff).toBe(TABLE_FLAGS);
    expect(steps[3]!.low).toBe(0x0080_3000 | P);
    expect(tables.translate(root, 0x0040_1000)!.flags & (RW | US)).toBe(0);
  });

  it('reports effective rights: U/S and R/W only if every level grants them', () => {
    const { tables, root, cpu } = setup();
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, false);
    const pd = tables.walk(root, 0x0040_1000)[2]!;
    tables.writeEntry(pd.table, pd.index, { low: pd.low & ~US, high: pd.high });
    expect(tables.translate(root, 0x0040_1000)!.flags & (RW | US)).toBe(RW);
    expect(cpu.read32(pd.table + pd.index * 8) & US).toBe(0);
  });

  it('walks down to the leaf, or stops at the first entry not present', () => {
    const { tables, root } = setup();
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, false);
    const full = tables.walk(root, 0x0040_1000);
    expect(full.map((s) => s.index)).toEqual([0, 0, 2, 1]);
    expect(full[0]!.table).toBe(root);
    expect(full[1]!.table).toBe(entryAddress(full[0]!));
    const missing = tables.walk(root, 0x8000_0000_00);
    expect(missing).toHaveLength(1);
    expect(missing[0]!.low & P).toBe(0);
    const missingPt = tables.walk(root, 0x0060_0000);
    expect(missingPt.map((s) => s.level)).toEqual(['PML4', 'PDPT', 'PD']);
  });

  it('maps and translates 2 MiB pages (PS in the PD entry), and refuses 4 KiB pages inside one', () => {
    const { tables, root } = setup();
    expect(tables.mapHugePage(root, 0x0060_0000, 0x0040_0000, P | RW | PTE_GLOBAL, true)).toBe(
      true,
    );
    expect(tables.translate(root, 0x0060_0000 + 0x12345)).toEqual({
      physical: 0x0040_0000 + 0x12345,
      flags: P | RW | PTE_PAGE_SIZE | PTE_GLOBAL,
      noExecute: true,
      pageSize: HUGE_PAGE_SIZE,
    });
    const steps = tables.walk(root, 0x0061_0000);
    expect(steps.map((s) => s.level)).toEqual(['PML4', 'PDPT', 'PD']);
    expect(steps[2]!.low & PTE_PAGE_SIZE).toBe(PTE_PAGE_SIZE);
    expect(() => tables.mapPage(root, 0x0060_1000, 0x0090_0000, P, false)).toThrow(/large page/);
    expect(tables.unmapPage(root, 0x0060_1000)).toBeNull();
    expect(() => tables.mapHugePage(root, 0x0060_1000, 0, P, false)).toThrow(/alignment/);
  });

  it('unmaps a page, returning the frame it mapped, and refuses to map over a mapping', () => {
    const { tables, root } = setup();
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, false);
    expect(() => tables.mapPage(root, 0x0040_1000, 0x0080_5000, P, false)).toThrow(
      /already mapped/,
    );
    expect(tables.unmapPage(root, 0x0040_1000)).toBe(0x0080_3000);
    expect(tables.translate(root, 0x0040_1000)).toBeNull();
    expect(tables.unmapPage(root, 0x0040_1000)).toBeNull();
    expect(tables.unmapPage(root, 0x1234_5000)).toBeNull();
  });

  it('returns false when a table cannot be allocated', () => {
    const { tables, root, frames } = setup();
    exhaust(frames, 1);
    expect(tables.mapPage(root, 0x0040_1000, 0x0080_3000, P, false)).toBe(false);
  });

  it("changes a mapping's rights with protectPage", () => {
    const { tables, root } = setup();
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, true);
    expect(tables.protectPage(root, 0x0040_1000, US, false)).toBe(true);
    expect(tables.translate(root, 0x0040_1000)).toMatchObject({
      physical: 0x0080_3000,
      flags: P | US,
      noExecute: false,
    });
    expect(tables.protectPage(root, 0x0040_2000, US, false)).toBe(false);
  });
});

describe('PageTables against the Cotton PC MMU', () => {
  const ACCESSES: [string, AccessKind][] = [
    ['read', ACCESS_READ],
    ['write', ACCESS_WRITE],
    ['fetch', ACCESS_FETCH],
  ];

  it('agrees with the MMU on every user access to pages with every combination of U/S, R/W and XD', () => {
    const { tables, root, mmu } = setup(true);
    const pages: { virt: number; phys: number; flags: number; nx: boolean }[] = [];
    let n = 0;
    for (const us of [0, US]) {
      for (const rw of [0, RW]) {
        for (const nx of [false, true]) {
          // spread over different PTs, PDs and PDPTs
          const virt = 0x0001_0000 + n * 0x0120_3000 + (n % 2) * 0x4000_0000;
          const phys = 0x0040_0000 + n * 0x1000;
          tables.mapPage(root, virt, phys, P | us | rw, nx);
          pages.push({ virt, phys, flags: P | us | rw, nx });
          n++;
        }
      }
    }
    for (const page of pages) {
      const translation = tables.translate(root, page.virt + 0x123)!;
      expect(translation.physical).toBe(page.phys + 0x123);
      for (const [name, access] of ACCESSES) {
        const allowed =
          (translation.flags & US) !== 0 &&
          (access !== ACCESS_WRITE || (translation.flags & RW) !== 0) &&
          (access !== ACCESS_FETCH || !translation.noExecute);
        const result = mmu.translate(page.virt + 0x123, access, true);
        const label = `${name} of 0x${page.virt.toString(16)} flags ${page.flags} nx ${page.nx}`;
        if (allowed) {
          expect(result, label).toBe(page.phys + 0x123);
        } else {
          expect(result, label).toBe(-1);
          expect(mmu.faultErrorCode, label).toBe(
            PF_PRESENT |
              PF_USER |
              (access === ACCESS_WRITE ? PF_WRITE : 0) |
              (access === ACCESS_FETCH ? PF_INSTRUCTION : 0),
          );
          expect(mmu.cr2).toBe(page.virt + 0x123);
        }
      }
    }
    expect(mmu.translate(0x0fff_f000, ACCESS_READ, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_USER);
    expect(tables.translate(root, 0x0fff_f000)).toBeNull();
  });

  it('flushes the TLB on unmap and protect of the live address space, so the MMU sees the change at once', () => {
    const { tables, root, mmu } = setup(true);
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, false);
    tables.mapPage(root, 0x0040_2000, 0x0080_4000, P | RW | US, false);
    expect(mmu.translate(0x0040_1000, ACCESS_WRITE, true)).toBe(0x0080_3000); // now cached in the TLB
    expect(mmu.translate(0x0040_2000, ACCESS_WRITE, true)).toBe(0x0080_4000);
    tables.unmapPage(root, 0x0040_1000);
    expect(mmu.translate(0x0040_1000, ACCESS_READ, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_USER);
    tables.protectPage(root, 0x0040_2000, US, true);
    expect(mmu.translate(0x0040_2000, ACCESS_READ, true)).toBe(0x0080_4000);
    expect(mmu.translate(0x0040_2000, ACCESS_WRITE, true)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER | PF_WRITE);
  });

  it("leaves the MMU's accessed and dirty bits visible to translate", () => {
    const { tables, root, mmu } = setup(true);
    tables.mapPage(root, 0x0040_1000, 0x0080_3000, P | RW | US, false);
    mmu.translate(0x0040_1000, ACCESS_WRITE, true);
    const flags = tables.translate(root, 0x0040_1000)!.flags;
    expect(flags & 0x60).toBe(0x60);
  });
});
