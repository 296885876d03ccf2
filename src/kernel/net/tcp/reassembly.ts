/**
 * The out-of-order queue of a TCP receiver (RFC 9293 §3.10.7.4, "Seventh,
 * process the segment text": segments beyond RCV.NXT "should be held for
 * later processing").
 *
 * When a segment is lost, the ones after it still arrive. Throwing them away
 * would make the sender send them all again; keeping them means that once
 * the missing segment is retransmitted, everything up to the next gap is
 * delivered at once. The queue keeps blocks of bytes by sequence number,
 * sorted, never overlapping and never touching: a new piece is merged with
 * every block it overlaps or adjoins, so duplicates and overlapping
 * retransmissions cost nothing extra.
 *
 * Bounded memory: the connection only inserts bytes that lie inside the
 * receive window it advertised, which is never more than the free space of
 * its receive buffer. So the queue can never hold more than one receive
 * buffer's worth, whatever a peer sends.
 */
import { sequenceAdd, sequenceDistance } from './sequence';

interface Block {
  sequence: number;
  data: Uint8Array;
}

export class ReassemblyQueue {
  private blocks: Block[] = [];

  /** Bytes held, waiting for the gap before them to be filled. */
  get bufferedBytes(): number {
    return this.blocks.reduce((total, block) => total + block.data.length, 0);
  }

  get blockCount(): number {
    return this.blocks.length;
  }

  /**
   * Keep `data` (which starts at `sequence`, at or after `expected`, the
   * receiver's RCV.NXT), merged with the blocks it overlaps or adjoins.
   */
  insert(sequence: number, data: Uint8Array, expected: number): void {
    if (data.length === 0) return;
    const start = sequenceDistance(sequence, expected);
    let mergedStart = start;
    let mergedEnd = start + data.length;
    const touching: Block[] = [];
    const apart: Block[] = [];
    for (const block of this.blocks) {
      const blockStart = sequenceDistance(block.sequence, expected);
      const blockEnd = blockStart + block.data.length;
      if (blockStart <= mergedEnd && blockEnd >= start) {
        touching.push(block);
        mergedStart = Math.min(mergedStart, blockStart);
        mergedEnd = Math.max(mergedEnd, blockEnd);
      } else {
        apart.push(block);
      }
    }
    const merged = new Uint8Array(mergedEnd - mergedStart);
    merged.set(data, start - mergedStart);
    for (const block of touching) {
      merged.set(block.data, sequenceDistance(block.sequence, expected) - mergedStart);
    }
    apart.push({ sequence: sequenceAdd(expected, mergedStart), data: merged });
    apart.sort(
      (a, b) => sequenceDistance(a.sequence, expected) - sequenceDistance(b.sequence, expected),
    );
    this.blocks = apart;
  }

  /**
   * Remove and return the bytes that now continue the stream at `expected`
   * (parts of blocks before it were delivered already and are dropped), or
   * an empty array while the gap at `expected` is still open.
   */
  takeContiguous(expected: number): Uint8Array {
    while (this.blocks.length > 0) {
      const first = this.blocks[0]!;
      const start = sequenceDistance(first.sequence, expected);
      if (start > 0) break;
      this.blocks.shift();
      if (start + first.data.length > 0) return first.data.subarray(-start);
    }
    return new Uint8Array(0);
  }
}
