/**
 * The starter for exercise paging/allocate: the text that takes the place of
 * the `exercise:allocate` region in src/kernel/mm/frame-allocator.ts.
 */
export const starter = `  /**
   * Take a free frame and return its physical address, or null when RAM is
   * exhausted. The frame's contents are whatever was there before.
   */
  allocate(): number | null {
    // TODO (exercise paging/allocate): hand out one free 4 KiB frame.
    //
    // The bitmap has one bit per frame, set when the frame is in use.
    //   this.findFreeFrame()  the number of a free frame (searching from the hint
    //                         this.nextFrame, then wrapping around), or null if none
    //   this.setUsed(frame)   set its bit and count it as used
    //   this.nextFrame        where the next search starts (next fit)
    //   FRAME_SIZE            4096: frame number × FRAME_SIZE = physical address
    //
    // Return null when no frame is free: the callers handle running out.
    return null;
  }`;
