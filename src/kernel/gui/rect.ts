/**
 * Rectangles and damage lists: the geometry every part of the desktop shares.
 *
 * A rectangle is a position and a size in pixels, half-open: it covers the
 * columns x … x + width − 1 and the rows y … y + height − 1, so two
 * rectangles that touch share no pixel and a 0-wide one covers nothing.
 *
 * "Damage" is the set of screen areas whose pixels may have changed since the
 * last frame (the X11 Damage extension and Wayland's wl_surface.damage use the
 * word the same way). Repainting and copying only the damage, not the whole
 * 1024×768 screen, is what makes a software-rendered desktop feel quick. A
 * damage list is a compromise between precision and bookkeeping: rectangles
 * that overlap or touch are merged into their bounding box, and when more than
 * a handful remain the whole list collapses into one bounding box, because
 * beyond that point walking a long list costs more than the few extra pixels
 * it saves.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function rect(x: number, y: number, width: number, height: number): Rect {
  return { x, y, width, height };
}

export function right(r: Rect): number {
  return r.x + r.width;
}

export function bottom(r: Rect): number {
  return r.y + r.height;
}

export function isEmpty(r: Rect): boolean {
  return r.width <= 0 || r.height <= 0;
}

export function containsPoint(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x < right(r) && y >= r.y && y < bottom(r);
}

/** The pixels both rectangles cover, or null when they share none. */
export function intersect(a: Rect, b: Rect): Rect | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(right(a), right(b));
  const y1 = Math.min(bottom(a), bottom(b));
  return x1 > x0 && y1 > y0 ? rect(x0, y0, x1 - x0, y1 - y0) : null;
}

/** The smallest rectangle covering both (their bounding box); an empty one is ignored. */
export function union(a: Rect, b: Rect): Rect {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  const x0 = Math.min(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  return rect(x0, y0, Math.max(right(a), right(b)) - x0, Math.max(bottom(a), bottom(b)) - y0);
}

/**
 * Whether two rectangles overlap or share an edge, i.e. whether their union
 * is a rectangle no bigger than needed to hold a connected area. Touching at
 * a corner only does not count: merging those would repaint two empty quadrants.
 */
export function overlapsOrAdjoins(a: Rect, b: Rect): boolean {
  const xOverlap = Math.min(right(a), right(b)) - Math.max(a.x, b.x);
  const yOverlap = Math.min(bottom(a), bottom(b)) - Math.max(a.y, b.y);
  return (xOverlap > 0 && yOverlap >= 0) || (xOverlap >= 0 && yOverlap > 0);
}

/** How many separate rectangles a damage list keeps before collapsing into one. */
export const DEFAULT_DAMAGE_LIMIT = 16;

/**
 * The screen areas to repaint, as a short list of rectangles that neither
 * overlap nor touch each other. `add` keeps that invariant by merging; the
 * list never holds more than `limit` rectangles.
 */
export class DamageList {
  private rects: Rect[] = [];

  constructor(readonly limit = DEFAULT_DAMAGE_LIMIT) {}

  // #region exercise:merge-damage
  /** Add a damaged area, merged with every rectangle it overlaps or touches. */
  add(damage: Rect): void {
    if (isEmpty(damage)) return;
    let merged = damage;
    // A merge grows the rectangle, which may make it reach others: repeat until none is in reach.
    for (let i = this.findNeighbour(merged); i >= 0; i = this.findNeighbour(merged)) {
      merged = union(merged, this.rects[i]!);
      this.rects.splice(i, 1);
    }
    this.rects.push(merged);
    if (this.rects.length > this.limit) this.rects = [this.rects.reduce(union)];
  }
  // #endregion exercise:merge-damage

  addAll(damage: readonly Rect[]): void {
    for (const r of damage) this.add(r);
  }

  /** The list's rectangles; the list is empty afterwards. */
  take(): Rect[] {
    const taken = this.rects;
    this.rects = [];
    return taken;
  }

  private findNeighbour(r: Rect): number {
    return this.rects.findIndex((other) => overlapsOrAdjoins(r, other));
  }
}
