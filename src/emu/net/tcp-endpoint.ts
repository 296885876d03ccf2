/**
 * The simulated hosts' side of one TCP connection (RFC 9293 §3.3.2 and
 * §3.10): a compact state machine, deliberately not the kernel's. The
 * guest's TCP is what the book builds; this one only has to be a correct,
 * patient peer for it, so it keeps to what that needs:
 *
 * - passive open only: a guest's SYN to a listening port creates the
 *   connection (SYN-RECEIVED), and the service is started once the
 *   handshake's ACK arrives (ESTABLISHED), as accept() would return;
 * - in-order receive: a segment that does not start at RCV.NXT is dropped
 *   and answered with an ACK for RCV.NXT (a duplicate ACK, which lets the
 *   guest's fast retransmit work); data is handed to the service at once,
 *   so the advertised window is constant;
 * - sending within the peer's window, in segments of the peer's MSS, with a
 *   retransmission timer (RFC 6298: SRTT/RTTVAR, Karn's rule, doubling on
 *   each timeout) that goes back to SND.UNA; fast retransmit of the first
 *   unacknowledged segment on the third duplicate ACK (RFC 5681 §3.2), and
 *   of the next hole on each partial ACK until the data outstanding at
 *   that moment is acknowledged (NewReno, RFC 6582 §3.2 step 3); a zero
 *   window is probed with one byte on the same timer (§3.8.6.1); a
 *   segment shorter than the MSS leaves only when it ends the queued data
 *   or fills half the largest window seen (sender-side silly window
 *   avoidance, §3.8.6.2.1), so a retransmission is cut as the original was;
 * - FIN in both orders (CLOSE-WAIT/LAST-ACK and FIN-WAIT/CLOSING/
 *   TIME-WAIT), RST received and sent.
 *
 * There is no congestion control: the virtual network never queues, and
 * the link model's losses are random rather than caused by a full queue.
 * For the same reason the timer's backoff ends as soon as new data is
 * acknowledged (RFC 6298 §5.7 keeps it until the next RTT sample, which
 * Karn's rule delays while every segment in flight is a retransmission -
 * minutes, on a link that keeps losing one frame in ten).
 * TIME-WAIT lasts TIME_WAIT_NS, far below the RFC's 2 × MSL, because the
 * virtual network cannot hold old segments for minutes.
 *
 * Timers use the virtual clock only, so a connection replays exactly.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import type { Ipv4Address } from './ipv4';
import {
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_PSH,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from './tcp';

/** Our MSS: a 1500-byte Ethernet MTU less the IPv4 and TCP headers. */
export const TCP_HOST_MSS = 1460;
/** The peer's MSS when its SYN has no option (RFC 9293 §3.7.1). */
export const TCP_DEFAULT_MSS = 536;
/** What we advertise: services consume data at once, so the window never shrinks. */
export const TCP_RECEIVE_WINDOW = 65535;
export const TCP_INITIAL_RTO_NS = 1_000_000_000;
/** Linux's floor rather than RFC 6298's 1 s: a virtual LAN answers in microseconds. */
export const TCP_MIN_RTO_NS = 200_000_000;
export const TCP_MAX_RTO_NS = 60_000_000_000;
/** Consecutive timeouts without hearing from the peer before the connection is abandoned. */
export const TCP_MAX_RETRANSMISSIONS = 10;
export const TCP_DUPLICATE_ACK_THRESHOLD = 3;
export const TIME_WAIT_NS = 2_000_000_000;

export type TcpState =
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'CLOSE-WAIT'
  | 'LAST-ACK'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSING'
  | 'TIME-WAIT'
  | 'CLOSED';

export type TcpCloseReason = 'closed' | 'reset' | 'timed out' | 'aborted';

/** The four numbers that name a connection, seen from the simulated host. */
export interface TcpConnectionId {
  readonly localAddress: Ipv4Address;
  readonly localPort: number;
  readonly remoteAddress: Ipv4Address;
  readonly remotePort: number;
}

/** What a service uses to talk on its connection. */
export interface TcpSocket {
  readonly id: TcpConnectionId;
  /** Queue bytes for the peer (discarded once the connection is closed or ended). */
  send(bytes: Uint8Array): void;
  /** Send FIN once the queued bytes are sent (half-close: the peer may still send). */
  end(): void;
  /** Send RST and forget the connection. */
  abort(): void;
}

/** A service's side of one connection; the endpoint calls these. */
export interface TcpApplication {
  /** Bytes from the peer, in order. */
  data(bytes: Uint8Array): void;
  /** The peer has finished sending (its FIN arrived). */
  end(): void;
  /** The connection is gone; nothing more will be called. */
  close(reason: TcpCloseReason): void;
  /** What the service remembers (for machine snapshots). */
  saveState(): DeviceState;
}

/** Starts a service on a newly established connection. */
export type TcpService = (socket: TcpSocket) => TcpApplication;

export interface TcpEndpointOptions {
  readonly clock: VirtualClock;
  readonly id: TcpConnectionId;
  /** The peer's SYN that opened the connection. */
  readonly syn: TcpSegment;
  /** Our initial sequence number (from the network's seeded generator). */
  readonly initialSequence: number;
  readonly service: TcpService;
  /** Send a segment to the peer (the host adds the IPv4 header). */
  readonly transmit: (segment: TcpSegment) => void;
  /** The connection reached CLOSED: the host drops it from its table. */
  readonly forget: () => void;
}

/** a < b in sequence space (RFC 9293 §3.4: modulo 2^32). */
function seqLessThan(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Bytes queued for sending, from SND.UNA's first data byte on, as a list of chunks. */
class SendBuffer {
  private chunks: Uint8Array[] = [];
  length = 0;

  append(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
    this.length += bytes.length;
  }

  /** A copy of `count` bytes from `offset`. */
  read(offset: number, count: number): Uint8Array {
    const out = new Uint8Array(count);
    let skip = offset;
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === count) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const piece = chunk.subarray(skip, skip + count - filled);
      out.set(piece, filled);
      filled += piece.length;
      skip = 0;
    }
    return out;
  }

  /** Forget the first `count` bytes (they were acknowledged). */
  drop(count: number): void {
    this.length -= count;
    while (count > 0) {
      const first = this.chunks[0]!;
      if (first.length <= count) {
        count -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(count);
        count = 0;
      }
    }
  }
}

export class TcpEndpoint implements TcpSocket {
  state: TcpState = 'SYN-RECEIVED';
  readonly id: TcpConnectionId;
  private app: TcpApplication | null = null;
  private readonly clock: VirtualClock;
  private readonly iss: number;
  private readonly peerMss: number;
  private sndUna: number;
  private sndNxt: number;
  /** The highest sequence number sent so far (BSD's snd_max): SND.NXT goes back below it on a timeout. */
  private sndMax: number;
  private sndWnd: number;
  private maxSndWnd: number;
  private sndWl1: number;
  private sndWl2: number;
  private rcvNxt: number;
  /** Sequence number of the send buffer's first byte. */
  private bufferSeq: number;
  private readonly buffer = new SendBuffer();
  private finQueued = false;
  /** The retransmission timeout from the RTT samples, and how many times it is doubled now. */
  private baseRtoNs = TCP_INITIAL_RTO_NS;
  private backoff = 0;
  /**
   * Recovery from a loss until SND.MAX at its start is acknowledged
   * (NewReno's "recover"): after a fast retransmit, each partial ACK resends
   * the next hole; after a timeout everything is being resent already, and
   * duplicate ACKs must not start a fast retransmit (RFC 6582 §4.1).
   */
  private recovery: {
    readonly until: number;
    readonly after: 'fast retransmit' | 'timeout';
  } | null = null;
  private smoothedRttNs: number | null = null;
  private rttVarianceNs = 0;
  /** The segment being timed for an RTT sample: the sequence number its ACK must reach, and when it left. */
  private timing: { readonly ackAt: number; readonly sentNs: number } | null = null;
  private retransmissions = 0;
  private duplicateAcks = 0;
  private timerDeadline: number | null = null;
  private segmentSent = false;
  bytesReceived = 0;
  bytesSent = 0;
  segmentsRetransmitted = 0;

  constructor(private readonly options: TcpEndpointOptions) {
    this.clock = options.clock;
    this.id = options.id;
    const syn = options.syn;
    this.iss = options.initialSequence >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.sndWnd = syn.window;
    this.maxSndWnd = syn.window;
    this.sndWl1 = syn.sequence;
    this.sndWl2 = this.iss;
    this.rcvNxt = seqAdd(syn.sequence, 1);
    this.bufferSeq = seqAdd(this.iss, 1);
    this.peerMss = Math.min(syn.maxSegmentSize ?? TCP_DEFAULT_MSS, TCP_HOST_MSS);
    this.transmitPending();
  }

  // ---- the service's calls ----

  send(bytes: Uint8Array): void {
    const open = this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT';
    if (!open || this.finQueued || bytes.length === 0) return;
    this.buffer.append(bytes);
    this.transmitPending();
  }

  end(): void {
    if (this.finQueued) return;
    this.finQueued = true;
    this.transmitPending();
  }

  abort(): void {
    if (this.state === 'CLOSED') return;
    this.emit(TCP_FLAG_RST | TCP_FLAG_ACK, this.sndMax);
    this.closeWith('aborted');
  }

  // ---- segments from the peer ----

  /** A segment for this connection (RFC 9293 §3.10.7.4, simplified as the header says). */
  receive(segment: TcpSegment): void {
    if (this.closed()) return;
    if (segment.flags & TCP_FLAG_RST) return this.receiveReset(segment);
    this.retransmissions = 0;
    if (segment.flags & TCP_FLAG_SYN) return this.receiveSyn(segment);
    if (!this.acceptable(segment)) return this.sendAck();
    if (!(segment.flags & TCP_FLAG_ACK) || !this.receiveAck(segment)) return;
    const offset = (this.rcvNxt - segment.sequence) | 0;
    const inOrder = offset >= 0;
    const data = inOrder ? segment.payload.subarray(offset) : new Uint8Array(0);
    const hasFin = inOrder && (segment.flags & TCP_FLAG_FIN) !== 0;
    this.segmentSent = false;
    if (data.length > 0) this.receiveData(data);
    if (hasFin) this.receiveFin();
    if (this.closed()) return;
    this.transmitPending();
    const outOfOrder = !inOrder && (segment.payload.length > 0 || segment.flags & TCP_FLAG_FIN);
    if ((data.length > 0 || hasFin || outOfOrder) && !this.segmentSent) this.sendAck();
  }

  /**
   * The acceptability test: some of the segment lies in the receive window
   * [RCV.NXT, RCV.NXT + RCV.WND); an empty segment must start in it.
   */
  private acceptable(segment: TcpSegment): boolean {
    const length = segment.payload.length + (segment.flags & TCP_FLAG_FIN ? 1 : 0);
    const offset = (this.rcvNxt - segment.sequence) | 0;
    if (-offset >= TCP_RECEIVE_WINDOW) return false;
    return length === 0 ? offset <= 0 : offset < length;
  }

  private receiveReset(segment: TcpSegment): void {
    const offset = (segment.sequence - this.rcvNxt) >>> 0;
    if (offset < TCP_RECEIVE_WINDOW) this.closeWith('reset');
  }

  /** A SYN again: the peer did not hear our SYN-ACK (resend it), or a stray SYN (re-ACK, RFC 5961 §4). */
  private receiveSyn(segment: TcpSegment): void {
    if (this.state === 'SYN-RECEIVED' && seqAdd(segment.sequence, 1) === this.rcvNxt) {
      this.sndNxt = this.sndUna;
      this.transmitPending();
    } else {
      this.sendAck();
    }
  }

  /** Process the ACK field; false when the segment must go no further. */
  private receiveAck(segment: TcpSegment): boolean {
    const ack = segment.acknowledgment;
    if (seqLessThan(this.sndMax, ack)) {
      if (this.state === 'SYN-RECEIVED') this.emit(TCP_FLAG_RST, ack);
      else this.sendAck();
      return false;
    }
    if (this.state === 'SYN-RECEIVED') {
      if (!seqLessThan(this.iss, ack)) {
        this.emit(TCP_FLAG_RST, ack);
        return false;
      }
      this.establish();
    }
    if (seqLessThan(this.sndUna, ack)) this.acknowledge(ack);
    else if (ack === this.sndUna) this.countDuplicateAck(segment);
    this.updateWindow(segment);
    return this.state !== 'CLOSED';
  }

  private establish(): void {
    this.state = 'ESTABLISHED';
    this.app = this.options.service(this);
  }

  /** New data (or our SYN or FIN) acknowledged up to `ack`. */
  private acknowledge(ack: number): void {
    if (this.timing && !seqLessThan(ack, this.timing.ackAt))
      this.sampleRtt(this.clock.now - this.timing.sentNs);
    this.backoff = 0;
    const ackedData = Math.min(Math.max((ack - this.bufferSeq) | 0, 0), this.buffer.length);
    this.buffer.drop(ackedData);
    this.bufferSeq = seqAdd(this.bufferSeq, ackedData);
    this.sndUna = ack;
    if (seqLessThan(this.sndNxt, ack)) this.sndNxt = ack;
    this.duplicateAcks = 0;
    if (this.finAcknowledged()) this.ourFinAcknowledged();
    if (this.state === 'CLOSED') return;
    if (this.recovery && !seqLessThan(ack, this.recovery.until)) this.recovery = null;
    if (this.recovery?.after === 'fast retransmit') this.retransmitFirstSegment();
    this.armRetransmissionTimer(true);
  }

  private finAcknowledged(): boolean {
    return this.finQueued && this.sndUna === seqAdd(this.bufferSeq, this.buffer.length + 1);
  }

  private ourFinAcknowledged(): void {
    if (this.state === 'FIN-WAIT-1') this.state = 'FIN-WAIT-2';
    else if (this.state === 'CLOSING') this.enterTimeWait();
    else if (this.state === 'LAST-ACK') this.closeWith('closed');
  }

  private countDuplicateAck(segment: TcpSegment): void {
    const inFlight = this.sndNxt !== this.sndUna;
    if (!inFlight || segment.payload.length > 0 || segment.window !== this.sndWnd) return;
    this.duplicateAcks++;
    if (this.duplicateAcks === TCP_DUPLICATE_ACK_THRESHOLD && this.recovery === null) {
      this.recovery = { until: this.sndMax, after: 'fast retransmit' };
      this.retransmitFirstSegment();
    }
  }

  /** RFC 9293 §3.10.7.4: take the window from the newest segment only. */
  private updateWindow(segment: TcpSegment): void {
    const newer = seqLessThan(this.sndWl1, segment.sequence);
    const sameButNewerAck =
      this.sndWl1 === segment.sequence && !seqLessThan(segment.acknowledgment, this.sndWl2);
    if (!newer && !sameButNewerAck) return;
    this.sndWnd = segment.window;
    this.maxSndWnd = Math.max(this.maxSndWnd, segment.window);
    this.sndWl1 = segment.sequence;
    this.sndWl2 = segment.acknowledgment;
  }

  private sampleRtt(rttNs: number): void {
    this.timing = null;
    if (this.smoothedRttNs === null) {
      this.smoothedRttNs = rttNs;
      this.rttVarianceNs = rttNs / 2;
    } else {
      this.rttVarianceNs = 0.75 * this.rttVarianceNs + 0.25 * Math.abs(this.smoothedRttNs - rttNs);
      this.smoothedRttNs = 0.875 * this.smoothedRttNs + 0.125 * rttNs;
    }
    this.baseRtoNs = Math.min(
      Math.max(this.smoothedRttNs + 4 * this.rttVarianceNs, TCP_MIN_RTO_NS),
      TCP_MAX_RTO_NS,
    );
  }

  /** Before the peer's FIN: in the states after it, data would lie beyond the FIN and is ignored. */
  private peerStillSending(): boolean {
    return (
      this.state === 'ESTABLISHED' || this.state === 'FIN-WAIT-1' || this.state === 'FIN-WAIT-2'
    );
  }

  private receiveData(bytes: Uint8Array): void {
    if (!this.peerStillSending()) return;
    this.rcvNxt = seqAdd(this.rcvNxt, bytes.length);
    this.bytesReceived += bytes.length;
    this.app?.data(bytes);
  }

  private receiveFin(): void {
    const firstFin = this.peerStillSending();
    if (firstFin) this.rcvNxt = seqAdd(this.rcvNxt, 1);
    if (this.state === 'ESTABLISHED') this.state = 'CLOSE-WAIT';
    else if (this.state === 'FIN-WAIT-1') this.state = 'CLOSING';
    else if (this.state === 'FIN-WAIT-2' || this.state === 'TIME-WAIT') this.enterTimeWait();
    if (firstFin) this.app?.end();
  }

  private enterTimeWait(): void {
    this.state = 'TIME-WAIT';
    this.setTimer(this.clock.now + TIME_WAIT_NS);
  }

  // ---- sending ----

  /** Send what the window allows: the SYN-ACK, new data, then the FIN. */
  private transmitPending(probe = false): void {
    if (this.sndNxt === this.iss) {
      this.emit(TCP_FLAG_SYN | TCP_FLAG_ACK, this.iss, TCP_HOST_MSS);
      this.advance(1);
    }
    if (this.state === 'SYN-RECEIVED' || this.state === 'CLOSED')
      return this.armRetransmissionTimer(false);
    for (;;) {
      const offset = (this.sndNxt - this.bufferSeq) | 0;
      if (offset < this.buffer.length) {
        const usable = (this.sndUna + this.sndWnd - this.sndNxt) | 0 || (probe ? 1 : 0);
        const count = Math.min(this.peerMss, this.buffer.length - offset, usable);
        if (count <= 0 || !this.worthSending(offset, count, probe)) break;
        this.sendData(offset, count);
        probe = false;
      } else if (this.finQueued && offset === this.buffer.length) {
        this.emit(TCP_FLAG_FIN | TCP_FLAG_ACK, this.sndNxt);
        this.advance(1);
        if (this.state === 'ESTABLISHED') this.state = 'FIN-WAIT-1';
        else if (this.state === 'CLOSE-WAIT') this.state = 'LAST-ACK';
      } else {
        break;
      }
    }
    this.armRetransmissionTimer(false);
  }

  /** Sender silly window avoidance: a full segment, the last of the data, half the peer's largest window, or a probe. */
  private worthSending(offset: number, count: number, probe: boolean): boolean {
    return (
      count === this.peerMss ||
      offset + count === this.buffer.length ||
      count >= this.maxSndWnd / 2 ||
      probe
    );
  }

  private sendData(offset: number, count: number): void {
    const last = offset + count === this.buffer.length;
    const resend = seqLessThan(this.sndNxt, this.sndMax);
    this.emit(
      TCP_FLAG_ACK | (last ? TCP_FLAG_PSH : 0),
      this.sndNxt,
      null,
      this.buffer.read(offset, count),
    );
    this.advance(count);
    if (resend) {
      this.segmentsRetransmitted++;
    } else {
      this.bytesSent += count;
      this.timing ??= { ackAt: this.sndNxt, sentNs: this.clock.now };
    }
  }

  /** SND.NXT moves on by `count` sequence numbers (SND.MAX with it when they are new). */
  private advance(count: number): void {
    this.sndNxt = seqAdd(this.sndNxt, count);
    if (seqLessThan(this.sndMax, this.sndNxt)) this.sndMax = this.sndNxt;
  }

  private retransmitFirstSegment(): void {
    const count = Math.min(this.peerMss, this.buffer.length - ((this.sndUna - this.bufferSeq) | 0));
    if (count <= 0) return;
    const next = this.sndNxt;
    this.sndNxt = this.sndUna;
    this.timing = null;
    this.sendData((this.sndUna - this.bufferSeq) | 0, count);
    this.sndNxt = next;
  }

  private sendAck(): void {
    this.emit(TCP_FLAG_ACK, this.sndNxt);
  }

  private emit(
    flags: number,
    sequence: number,
    maxSegmentSize: number | null = null,
    payload: Uint8Array = new Uint8Array(0),
  ): void {
    this.segmentSent = true;
    this.options.transmit({
      sourcePort: this.id.localPort,
      destinationPort: this.id.remotePort,
      sequence,
      acknowledgment: flags & TCP_FLAG_ACK ? this.rcvNxt : 0,
      flags,
      window: TCP_RECEIVE_WINDOW,
      maxSegmentSize,
      payload,
    });
  }

  // ---- the retransmission (and persist) timer ----

  /** Run the timer while anything is unacknowledged or a zero window blocks data; `restart` after an ACK. */
  private armRetransmissionTimer(restart: boolean): void {
    if (this.state === 'TIME-WAIT') return;
    const unsent = (this.bufferSeq + this.buffer.length - this.sndNxt) | 0;
    const waiting = this.sndNxt !== this.sndUna || (unsent > 0 && this.sndWnd === 0);
    if (!waiting) this.setTimer(null);
    else if (restart || this.timerDeadline === null) this.setTimer(this.clock.now + this.rtoNs());
  }

  private rtoNs(): number {
    return Math.min(this.baseRtoNs * 2 ** this.backoff, TCP_MAX_RTO_NS);
  }

  private setTimer(deadline: number | null): void {
    if (this.timerDeadline !== null) this.clock.cancel(this.timerFired);
    this.timerDeadline = deadline;
    if (deadline !== null) this.clock.schedule(deadline, this.timerFired);
  }

  private readonly timerFired = (): void => {
    this.timerDeadline = null;
    if (this.state === 'TIME-WAIT') return this.closeWith('closed');
    if (++this.retransmissions > TCP_MAX_RETRANSMISSIONS) {
      this.emit(TCP_FLAG_RST | TCP_FLAG_ACK, this.sndMax);
      return this.closeWith('timed out');
    }
    if (this.rtoNs() < TCP_MAX_RTO_NS) this.backoff++;
    this.recovery = { until: this.sndMax, after: 'timeout' };
    this.timing = null;
    this.duplicateAcks = 0;
    this.sndNxt = this.sndUna;
    this.transmitPending(this.sndWnd === 0);
  };

  private closed(): boolean {
    return this.state === 'CLOSED';
  }

  private closeWith(reason: TcpCloseReason): void {
    this.state = 'CLOSED';
    this.setTimer(null);
    this.app?.close(reason);
    this.options.forget();
  }

  saveState(): DeviceState {
    return {
      state: this.state,
      iss: this.iss,
      sndUna: this.sndUna,
      sndNxt: this.sndNxt,
      sndMax: this.sndMax,
      sndWnd: this.sndWnd,
      rcvNxt: this.rcvNxt,
      buffered: this.buffer.length,
      finQueued: this.finQueued,
      rtoNs: this.rtoNs(),
      recovery: this.recovery && [this.recovery.until, this.recovery.after],
      retransmissions: this.retransmissions,
      timerDeadline: this.timerDeadline,
      app: this.app?.saveState() ?? null,
    };
  }
}
