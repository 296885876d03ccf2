/**
 * The starter for exercise paging/page-fault: the text that takes the place of
 * the `exercise:page-fault` region in src/kernel/mm/process-memory.ts.
 */
export const starter = `  /**
   * A page fault from user mode at \`address\`. Maps a zeroed page if the
   * address lies in an area that allows the access; otherwise says why the
   * process must die.
   */
  handlePageFault(address: number, errorCode: number): FaultOutcome {
    // TODO (exercise paging/page-fault): demand paging.
    //
    // 1. this.areaAt(address) is the area (code, data, heap, stack, mmap) holding the
    //    address, or null. No area: fatal('address not mapped'), or, if the address is
    //    in the gap just below the stack (this.inStackGuardGap(address)),
    //    fatal('stack overflow beyond 8 MiB').
    // 2. refusedAccess(area.prot, errorCode) says why the area's rights refuse this
    //    access (a write to read-only code, a fetch from data), or null: fatal(reason).
    // 3. errorCode & PF_PRESENT: the page is there and still the access faulted, a
    //    protection fault: fatal(protectionFaultReason(errorCode)).
    // 4. Otherwise the page was simply never touched: map a zeroed frame at
    //    pageDown(address) with the area's rights (this.mapZeroPage(page, area.prot);
    //    false means out of memory: fatal('out of memory')) and return RESOLVED, so the
    //    instruction runs again.
    return fatal('address not mapped');
  }`;
