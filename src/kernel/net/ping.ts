/**
 * Echo requests this host sent and the replies that came back: the kernel
 * side of `ping` (RFC 792, "Echo or Echo Reply Message"; RFC 1122 §3.2.2.6).
 *
 * Each request carries an identifier (one per ping run, like the process ID
 * BSD's ping uses) and a sequence number; a reply echoes both, plus the data,
 * so the pair finds the request it answers and the round-trip time is the
 * virtual clock's time between the two. Replies nobody waits for (late ones,
 * duplicates, forged ones) are ignored.
 */
import type { Ipv4Address } from './wire/addresses';
import type { IcmpEcho } from './wire/icmp';

export interface EchoReply {
  readonly from: Ipv4Address;
  readonly sequence: number;
  readonly ttl: number;
  readonly bytes: number;
  /** Round-trip time in microseconds of virtual time. */
  readonly rttMicros: number;
}

interface Outstanding {
  sentAtMicros: number;
  reply: EchoReply | null;
}

export class PingTable {
  private readonly outstanding = new Map<string, Outstanding>();

  /** Note a request about to be sent. */
  sent(identifier: number, sequence: number, nowMicros: number): void {
    this.outstanding.set(`${identifier}/${sequence}`, { sentAtMicros: nowMicros, reply: null });
  }

  /** An echo reply arrived; returns true if it answered a request we wait for. */
  received(from: Ipv4Address, ttl: number, echo: IcmpEcho, nowMicros: number): boolean {
    const request = this.outstanding.get(`${echo.identifier}/${echo.sequenceNumber}`);
    if (!request || request.reply) return false;
    request.reply = {
      from,
      sequence: echo.sequenceNumber,
      ttl,
      bytes: echo.data.length,
      rttMicros: nowMicros - request.sentAtMicros,
    };
    return true;
  }

  /** The reply to a request, once it came. */
  replyTo(identifier: number, sequence: number): EchoReply | null {
    return this.outstanding.get(`${identifier}/${sequence}`)?.reply ?? null;
  }

  /** Stop waiting for a request (answered or timed out). */
  forget(identifier: number, sequence: number): void {
    this.outstanding.delete(`${identifier}/${sequence}`);
  }
}
