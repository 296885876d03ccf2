import { describe, expect, it } from 'vitest';
import {
  ACCESS_READ,
  ACCESS_WRITE,
  PF_PRESENT,
  PF_USER,
  PF_WRITE,
} from '../../../src/emu/paging/page-table-entry';
import {
  AddressSpace,
  KERNEL_DIRECT_MAP_BASE,
  KERNEL_PML4_FIRST,
} from '../../../src/kernel/mm/address-space';
import {
  PageTables,
  PTE_ACCESSED,
  PTE_COPY_ON_WRITE,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_PAGE_SIZE,
  PTE_PRESENT,
  PTE_USER,
  PTE_WRITABLE,
} from '../../../src/kernel/mm/page-table';
import { exhaust, mmMachine } from './machine';

const P = PTE_PRESENT;
const RW = PTE_WRITABLE;
const US = PTE_USER;
const MiB = 1024 * 1024;

describe('the kernel address space', () => {
  it('direct-maps all RAM at 0xFFFF8000_00000000 with supervisor-only, global, no-execute 2 MiB pages, and is loaded in CR3', () => {
    const { kernel, cpu } = mmMachine(16 * MiB);
    expect(cpu.readCr3()).toBe(kernel.root);
    for (const physical of [0, 0x12_3000, 15 * MiB + 0x1000]) {
      const translation = kernel.translate(KERNEL_DIRECT_MAP_BASE + physical)!;
      const withoutAccessedDirty = {
        ...translation,
        flags: translation.flags & ~(PTE_ACCESSED | PTE_DIRTY),
      };
      expect(withoutAccessedDirty).toEqual({
        physical,
        flags: P | RW | PTE_PAGE_SIZE | PTE_GLOBAL,
        noExecute: true,
        pageSize: 2 * MiB,
      });
      expect(cpu.mmu.translate(KERNEL_DIRECT_MAP_BASE + physical, ACCESS_WRITE, false)).toBe(
        physical,
      );
      expect(cpu.mmu.translate(KERNEL_DIRECT_MAP_BASE + physical, ACCESS_READ, true)).toBe(-1);
      expect(cpu.mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER);
    }
    expect(kernel.translate(KERNEL_DIRECT_MAP_BASE + 16 * MiB)).toBeNull();
    expect(kernel.translate(0x1000)).toBeNull();
  });

  it('costs three frames for 16 MiB of direct map (PML4, PDPT, one PD)', () => {
    const { cpu, frames } = mmMachine(16 * MiB);
    const before = frames.freeFrames;
    const kernel = AddressSpace.createKernel(cpu, frames, 16 * MiB);
    expect(kernel.isKernel).toBe(true);
    expect(before - frames.freeFrames).toBe(3);
  });
});

describe('user address spaces', () => {
  it('share the kernel half (the same PML4 entries) and start with an empty user half', () => {
    const { kernel, cpu, frames } = mmMachine();
    const user = AddressSpace.createUser(kernel)!;
    const tables = new PageTables(cpu, frames);
    for (let index = 0; index < 512; index++) {
      const mine = tables.readEntry(user.root, index);
      const theirs = tables.readEntry(kernel.root, index);
      if (index >= KERNEL_PML4_FIRST) expect(mine).toEqual(theirs);
      else expect(mine).toEqual({ low: 0, high: 0 });
    }
    expect(user.translate(KERNEL_DIRECT_MAP_BASE + 0x5000)!.physical).toBe(0x5000);
    expect(user.userPageCount()).toBe(0);
    user.mapNewPage(0x1_0000, US | RW, true);
    expect(kernel.translate(0x1_0000)).toBeNull();
  });

  it('map fresh zeroed pages that the user CPU can use once the space is active', () => {
    const { kernel, cpu } = mmMachine();
    const user = AddressSpace.createUser(kernel)!;
    expect(user.mapNewPage(0x2_0000, US | RW, true)).toBe(true);
    const physical = user.translate(0x2_0000)!.physical;
    expect([...cpu.readBytes(physical, 4096)].every((b) => b === 0)).toBe(true);
    user.activate();
    expect(cpu.readCr3()).toBe(user.root);
    expect(cpu.mmu.translate(0x2_0010, ACCESS_WRITE, true)).toBe(physical + 0x10);
    kernel.activate();
    expect(cpu.readCr3()).toBe(kernel.root);
  });

  it('free an owned frame on unmap, but never a frame mapped with mapPage', () => {
    const { kernel, frames } = mmMachine();
    const user = AddressSpace.createUser(kernel)!;
    user.mapNewPage(0x1_0000, US | RW, true);
    const owned = user.translate(0x1_0000)!.physical;
    const shared = frames.allocate()!;
    user.mapPage(0x2_0000, shared, US, true);
    expect(user.unmapPage(0x1_0000)).toBe(true);
    expect(frames.isUsed(owned)).toBe(false);
    expect(user.unmapPage(0x2_0000)).toBe(true);
    expect(frames.isUsed(shared)).toBe(true);
    expect(user.unmapPage(0x2_0000)).toBe(false);
  });

  it("change a page's rights with protect, which the MMU sees at once when live", () => {
    const { kernel, cpu } = mmMachine();
    const user = AddressSpace.createUser(kernel)!;
    user.mapNewPage(0x1_0000, US | RW, true);
    user.activate();
    expect(cpu.mmu.translate(0x1_0000, ACCESS_WRITE, true)).not.toBe(-1);
    expect(user.protect(0x1_0000, US, true)).toBe(true);
    expect(cpu.mmu.translate(0x1_0000, ACCESS_WRITE, true)).toBe(-1);
    expect(cpu.mmu.faultErrorCode).toBe(PF_PRESENT | PF_USER | PF_WRITE);
    expect(user.protect(0x5_0000, US, true)).toBe(false);
  });

  it('refuse kernel-half and unaligned addresses for user pages (a kernel bug)', () => {
    const { kernel } = mmMachine();
    const user = AddressSpace.createUser(kernel)!;
    expect(() => user.mapNewPage(KERNEL_DIRECT_MAP_BASE, US, true)).toThrow(
      /not a page of the user half/,
    );
    expect(() => user.mapNewPage(0x1234, US, true)).toThrow(/not a page of the user half/);
    expect(() => user.unmapPage(0x8000_0000_0000)).toThrow(/not a page of the user half/);
  });

  it('clone shares every owned page copy-on-write: one frame, read-only in both, until a write copies it', () => {
    const { kernel, cpu, frames } = mmMachine();
    const before = frames.freeFrames;
    const parent = AddressSpace.createUser(kernel)!;
    parent.mapNewPage(0x1_0000, US, false);
    parent.mapNewPage(0x4000_0000, US | RW, true);
    const shared = frames.allocate()!;
    parent.mapPage(0x5000_0000, shared, US | RW, true);
    cpu.writeBytes(parent.translate(0x4000_0000)!.physical, Uint8Array.of(1, 2, 3));
    const child = parent.clone()!;
    expect(child.userPageCount()).toBe(3);
    const frame = parent.translate(0x4000_0000)!.physical;
    for (const space of [parent, child]) {
      const data = space.translate(0x4000_0000)!;
      expect(data.physical).toBe(frame);
      expect(data.flags & (RW | PTE_COPY_ON_WRITE)).toBe(PTE_COPY_ON_WRITE);
      expect(data.noExecute).toBe(true);
    }
    expect(child.translate(0x1_0000)!.noExecute).toBe(false);
    expect(child.translate(0x5000_0000)!.physical).toBe(shared); // not owned: mapped as it is
    expect(child.translate(0x5000_0000)!.flags & RW).toBe(RW);

    expect(child.copyOnWrite(0x4000_0123)).toBe('copied');
    const childData = child.translate(0x4000_0000)!;
    expect(childData.physical).not.toBe(frame);
    expect(childData.flags & (RW | PTE_COPY_ON_WRITE)).toBe(RW);
    expect(childData.noExecute).toBe(true);
    expect([...cpu.readBytes(childData.physical, 3)]).toEqual([1, 2, 3]);
    cpu.write8(childData.physical, 9);
    expect(cpu.read8(frame)).toBe(1);
    // The parent is now the frame's only user: its write fault just makes the page writable.
    expect(parent.copyOnWrite(0x4000_0000)).toBe('copied');
    expect(parent.translate(0x4000_0000)!.physical).toBe(frame);
    expect(parent.copyOnWrite(0x4000_0000)).toBe('not-copy-on-write');
    child.destroy();
    parent.destroy();
    frames.free(shared);
    expect(frames.freeFrames).toBe(before);
    expect(kernel.shares.sharedFrames).toBe(0);
  });

  it('frees a frame shared by three spaces only when the last one lets go', () => {
    const { kernel, frames } = mmMachine();
    const before = frames.freeFrames;
    const a = AddressSpace.createUser(kernel)!;
    a.mapNewPage(0x2_0000, US | RW, true);
    const b = a.clone()!;
    const c = b.clone()!;
    a.destroy();
    b.unmapPage(0x2_0000);
    expect(c.translate(0x2_0000)).not.toBeNull();
    expect(c.copyOnWrite(0x2_0000)).toBe('copied'); // the last sharer keeps the frame
    c.destroy();
    b.destroy();
    expect(frames.freeFrames).toBe(before);
  });

  it('destroy frees every user page and page table and the PML4, and leaves the kernel half alone', () => {
    const { kernel, frames } = mmMachine();
    const before = frames.freeFrames;
    const user = AddressSpace.createUser(kernel)!;
    for (const virt of [0x1_0000, 0x1_1000, 0x4000_0000, 0x7fff_f000, 0x7f_0000_0000])
      user.mapNewPage(virt, US | RW, true);
    expect(frames.freeFrames).toBeLessThan(before - 5);
    user.activate();
    user.destroy();
    expect(frames.freeFrames).toBe(before);
    expect(kernel.root).toBe(kernel.cpu.readCr3()); // the dying space was live: the kernel's is loaded
    expect(kernel.translate(KERNEL_DIRECT_MAP_BASE + 0x1000)!.physical).toBe(0x1000);
  });

  it('leaks nothing over 1000 create, map, clone and destroy cycles', () => {
    const { kernel, frames } = mmMachine();
    const before = frames.freeFrames;
    for (let cycle = 0; cycle < 1000; cycle++) {
      const space = AddressSpace.createUser(kernel)!;
      space.mapNewPage(0x1_0000 + (cycle % 7) * 0x1000, US, false);
      space.mapNewPage(0x7fff_f000, US | RW, true);
      if (cycle % 3 === 0) space.unmapPage(0x7fff_f000);
      const copy = space.clone()!;
      space.destroy();
      if (cycle % 2 === 0) copy.clone()!.destroy();
      copy.destroy();
    }
    expect(frames.freeFrames).toBe(before);
  });

  it('returns null from createUser and clone when out of frames, freeing a partial clone', () => {
    const { kernel, frames } = mmMachine();
    const parent = AddressSpace.createUser(kernel)!;
    for (let page = 0; page < 8; page++) parent.mapNewPage(0x1_0000 + page * 0x1000, US | RW, true);
    const taken = frames.freeFrames;
    const hog = [];
    while (frames.freeFrames > 3) hog.push(frames.allocate()!); // a clone needs a PML4 and 3 tables
    expect(parent.clone()).toBeNull();
    expect(frames.freeFrames).toBe(3);
    expect(kernel.shares.sharedFrames).toBe(0);
    frames.free(hog.pop()!);
    const child = parent.clone()!;
    expect(frames.freeFrames).toBe(0);
    expect(child.copyOnWrite(0x1_0000)).toBe('out-of-memory'); // no frame for the copy
    expect(parent.mapNewPage(0x9_0000, US, false)).toBe(false);
    exhaust(frames);
    expect(AddressSpace.createUser(kernel)).toBeNull();
    expect(taken).toBeGreaterThan(6);
  });
});
