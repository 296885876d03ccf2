/**
 * The starter for exercise paging/translate: the text that takes the place of
 * the `exercise:translate` region in src/kernel/mm/page-table.ts.
 */
export const starter = `  /**
   * Translate \`virt\` as the MMU would (§4.5), or null if some level is not
   * present. Follows a PS entry in the PD to a 2 MiB page.
   */
  translate(root: number, virt: number): Translation | null {
    // TODO (exercise paging/translate): walk the four levels from the PML4 at \`root\`.
    //
    // For each level of LEVELS (PML4, PDPT, PD, PT), in order:
    //   const entry = this.readEntry(table, level.index(virt));
    //   - not present (isPresent(entry) is false): the address is not mapped, return null;
    //   - leafPageSize(depth, entry) is not 0: this entry maps the page (always at the PT,
    //     depth 3; at the PD, depth 2, if PS is set: a 2 MiB page). The physical address is
    //     pageFrame(entry, pageSize) + the offset of virt inside the page (virt % pageSize);
    //   - otherwise entryAddress(entry) is the next level's table.
    //
    // Rights (§4.6): the page is writable only if R/W is set at every level, and user-
    // accessible only if U/S is set at every level; it is no-execute if XD (bit 31 of
    // entry.high, PTE_NO_EXECUTE) is set at any level. Return
    //   { physical, flags, noExecute, pageSize }
    // where flags are the leaf's low 12 bits (PTE_FLAGS_MASK) with PTE_WRITABLE and
    // PTE_USER kept only where every level granted them.
    return null;
  }`;
