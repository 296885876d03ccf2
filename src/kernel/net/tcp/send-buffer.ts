/**
 * The send buffer of a TCP connection (RFC 9293 §3.3.1, "Send Sequence
 * Space"): the bytes the application wrote that the peer has not yet
 * acknowledged, each with its sequence number.
 *
 *        SND.UNA                SND.NXT
 *   -------|=======================|=================|---------
 *     acked   sent, not yet acked     written, unsent  free space
 *          ^ startSequence                           ^ endSequence
 *
 * A byte stays here until it is acknowledged, because until then it may
 * have to be sent again. The connection asks for bytes by sequence number
 * (for a first transmission or a retransmission alike), and drops them when
 * an acknowledgment covers them. SYN and FIN take sequence numbers too but no
 * bytes: the connection accounts for them, not this buffer.
 */
import { ByteQueue } from './byte-queue';
import { sequenceAdd, sequenceDistance } from './sequence';

export class SendBuffer {
  private readonly bytes: ByteQueue;

  /** @param startSequence the sequence number the first byte written will have. */
  constructor(
    capacity: number,
    public startSequence: number,
  ) {
    this.bytes = new ByteQueue(capacity);
  }

  /** Bytes written and not yet acknowledged. */
  get length(): number {
    return this.bytes.length;
  }

  get freeSpace(): number {
    return this.bytes.freeSpace;
  }

  /** The sequence number the next byte written will have. */
  get endSequence(): number {
    return sequenceAdd(this.startSequence, this.bytes.length);
  }

  /** Queue as much of `data` as fits; returns how many bytes were taken. */
  write(data: Uint8Array): number {
    return this.bytes.push(data);
  }

  /** Up to `length` bytes from `sequence` on (fewer at the end of the buffer). */
  bytesAt(sequence: number, length: number): Uint8Array {
    const offset = sequenceDistance(sequence, this.startSequence);
    if (offset < 0) throw new RangeError(`sequence ${sequence} was already acknowledged`);
    return this.bytes.peek(offset, length);
  }

  /** The peer acknowledged everything before `sequence`: forget those bytes. */
  acknowledgeUpTo(sequence: number): void {
    const count = Math.min(this.bytes.length, sequenceDistance(sequence, this.startSequence));
    if (count <= 0) return;
    this.bytes.discard(count);
    this.startSequence = sequenceAdd(this.startSequence, count);
  }
}
