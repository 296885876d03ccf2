/**
 * The starter for exercise gui/merge-damage: the text that takes the place of
 * the `exercise:merge-damage` region in src/kernel/gui/rect.ts.
 */
export const starter = `  /** Add a damaged area, merged with every rectangle it overlaps or touches. */
  add(damage: Rect): void {
    // TODO (exercise gui/merge-damage): keep the list short and free of overlaps.
    //
    // Ignore an empty rectangle (isEmpty). Merge \`damage\` with every rectangle of this.rects
    // it overlaps or touches (overlapsOrAdjoins; union gives the bounding box), removing those
    // from the list — and look again, since the merged rectangle is bigger and may now reach
    // others (this.findNeighbour(r) is the index of one in reach, or -1). Push the result.
    // If the list then holds more than this.limit rectangles, collapse it into their union.
    this.rects.push(damage);
  }`;
