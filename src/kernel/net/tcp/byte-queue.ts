/**
 * A first-in first-out queue of bytes with a fixed capacity: the storage of
 * a socket buffer. TCP keeps two per connection - the bytes the application
 * wrote that are not yet acknowledged (send-buffer.ts), and the bytes that
 * arrived in order but that the application has not read yet.
 *
 * It is a ring: bytes are appended at the tail and consumed at the head, and
 * the storage wraps around, so neither end ever shifts the other bytes. The
 * storage starts small and doubles up to the capacity when needed, so an idle
 * connection (or one of the thousand half-open connections of a SYN flood)
 * does not hold 64 KiB it never uses.
 */
const INITIAL_STORAGE = 4096;

export class ByteQueue {
  private storage: Uint8Array;
  private head = 0;
  /** The number of bytes queued. */
  length = 0;

  constructor(readonly capacity: number) {
    this.storage = new Uint8Array(Math.min(capacity, INITIAL_STORAGE));
  }

  get freeSpace(): number {
    return this.capacity - this.length;
  }

  /** Append as much of `data` as fits; returns how many bytes were taken. */
  push(data: Uint8Array): number {
    const count = Math.min(data.length, this.freeSpace);
    this.growTo(this.length + count);
    const tail = (this.head + this.length) % this.storage.length;
    const firstPart = Math.min(count, this.storage.length - tail);
    this.storage.set(data.subarray(0, firstPart), tail);
    this.storage.set(data.subarray(firstPart, count), 0);
    this.length += count;
    return count;
  }

  /** A copy of `length` bytes from `offset` bytes after the head (clipped to what is queued). */
  peek(offset: number, length: number): Uint8Array {
    const count = Math.max(0, Math.min(length, this.length - offset));
    const out = new Uint8Array(count);
    const start = (this.head + offset) % this.storage.length;
    const firstPart = Math.min(count, this.storage.length - start);
    out.set(this.storage.subarray(start, start + firstPart), 0);
    out.set(this.storage.subarray(0, count - firstPart), firstPart);
    return out;
  }

  /** Drop up to `count` bytes from the head. */
  discard(count: number): void {
    const dropped = Math.min(count, this.length);
    this.head = (this.head + dropped) % this.storage.length;
    this.length -= dropped;
  }

  /** Remove and return up to `max` bytes from the head. */
  take(max: number): Uint8Array {
    const out = this.peek(0, max);
    this.discard(out.length);
    return out;
  }

  /** Make room for `needed` bytes, copying the contents to the start of a larger ring. */
  private growTo(needed: number): void {
    if (needed <= this.storage.length) return;
    let size = this.storage.length;
    while (size < needed) size *= 2;
    const larger = new Uint8Array(Math.min(size, this.capacity));
    larger.set(this.peek(0, this.length), 0);
    this.storage = larger;
    this.head = 0;
  }
}
