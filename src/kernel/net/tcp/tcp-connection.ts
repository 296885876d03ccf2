/**
 * One TCP connection: the state machine of RFC 9293 (§3.3.2 states, §3.10
 * event processing), with RFC 6298 retransmission timing, RFC 5681
 * congestion control and the RFC 5961 defences against blind resets.
 *
 * Sans-I/O: the connection never touches a network device or a clock. The
 * IP layer hands it segments with receive(segment, now); it asks poll(now)
 * what to send; nextDeadline() says when poll() has timer work to do. Time is
 * virtual milliseconds. So the whole protocol runs in a test with no machine,
 * and the same code runs in the kernel. Call poll(now) after every receive(),
 * write(), read(), close() and abort(), and at nextDeadline().
 *
 *                             +---------+ active open: send SYN
 *                             | CLOSED  |------------------------.
 *                             +---------+                        v
 *   (a listener, tcp-listener.ts)                          +----------+
 *    rcv SYN: send SYN,ACK  +--------------+  rcv SYN:     | SYN-SENT |
 *   ----------------------->| SYN-RECEIVED |<-------------  +----------+
 *                           +--------------+ send SYN,ACK        |
 *                   rcv ACK of SYN |        rcv SYN,ACK: send ACK |
 *                                  v                              v
 *                           +-------------+<---------------------'
 *          close: send FIN  | ESTABLISHED | rcv FIN: send ACK
 *         .-----------------+-------------+----------------.
 *         v                                                v
 *   +------------+ rcv FIN: send ACK  +---------+    +------------+
 *   | FIN-WAIT-1 |------------------->| CLOSING |    | CLOSE-WAIT |
 *   +------------+                    +---------+    +------------+
 *         | rcv ACK of FIN                 | rcv ACK       | close: send FIN
 *         v                                v  of FIN       v
 *   +------------+ rcv FIN: send ACK  +-----------+  +----------+
 *   | FIN-WAIT-2 |------------------->| TIME-WAIT |  | LAST-ACK |
 *   +------------+                    +-----------+  +----------+
 *                          2*MSL timeout  |               | rcv ACK of FIN
 *                                         v               v
 *                                         +---------------+
 *                                         |    CLOSED     |
 *                                         +---------------+
 *
 * LISTEN is the state of a listener, not of a connection: as in BSD and
 * Linux, a listener creates a new connection in SYN-RECEIVED for each SYN,
 * and "returning to LISTEN" (§3.10.7.4) means that connection is dropped.
 *
 * Decisions this kernel makes where the RFCs leave a choice:
 *
 * - Nagle's algorithm is on (RFC 9293 §3.7.4, RFC 896): while data is
 *   unacknowledged, a segment smaller than the MSS waits until the
 *   acknowledgment comes or a full segment has gathered. An interactive shell
 *   sends one keystroke per round trip instead of one tiny segment per key.
 *   The sender's silly window avoidance (§3.8.6.2.1) is also kept: a segment
 *   goes out if it is full, if it carries all that is queued (Nagle allowing),
 *   or, with nothing in flight, if it fills half the largest window the peer
 *   has offered; the persist timer forces out whatever is still held.
 * - Delayed acknowledgments (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2): data in
 *   order is acknowledged after at most 40 ms (Linux's minimum delay), or at
 *   once when two full segments are unacknowledged. Out-of-order data, data
 *   that fills a gap, and a FIN are acknowledged at once (RFC 5681 §4.2), as
 *   fast retransmit needs.
 * - The receiver's silly window avoidance (§3.8.6.2.2): the offered window
 *   only grows in steps of at least min(half the buffer, one MSS), and it
 *   never shrinks - its right edge never moves left.
 * - Windows are at most 65535 bytes: no window scaling (RFC 7323), which
 *   the book's network does not need. MSS is 1460 (a 1500-byte Ethernet
 *   MTU less 40 bytes of IPv4 and TCP headers); a peer that sends no MSS
 *   option gets the 536 bytes of §3.7.1.
 * - MSL is 2 seconds, so TIME-WAIT lasts 4 s. RFC 9293 suggests 2 minutes;
 *   Linux waits 60 s. TIME-WAIT only has to outlive stray segments of the
 *   old connection, and on the book's virtual network nothing stays in
 *   flight for more than milliseconds; a long TIME-WAIT would only hold ports
 *   and stretch every test and recording that closes a connection.
 * - Give up after 8 retransmissions of data (2 to 4 minutes of backoff,
 *   depending on the RTO) and 5 of a SYN (63 s), then fail with ETIMEDOUT.
 *   Linux's defaults (15 and 6) take 15 and 2 minutes, too long to watch in
 *   a chapter.
 * - After a timeout the sender goes back to the first unacknowledged byte
 *   and sends again from there, one segment then slow start (go-back-N, as
 *   BSD does); SND.MAX remembers the highest sequence ever sent, so
 *   acknowledgments of the earlier copies are still recognised.
 * - The zero-window probe is Linux's: an empty segment with sequence
 *   SND.UNA - 1, which the peer cannot accept, so it answers with an ACK
 *   carrying its current window (§3.10.7.4: "send an acknowledgment").
 *   Probes back off like the RTO and never give up while answered (RFC 1122
 *   §4.2.2.17).
 * - Data carried on a SYN is not accepted (the peer sends it again once
 *   the handshake is done); the urgent pointer is ignored, as RFC 6093
 *   advises new applications not to use it.
 * - Resets must hit RCV.NXT exactly, and a SYN on an open connection is
 *   answered with an ACK, not obeyed (RFC 5961 §3.2, §4.2, "challenge ACK"):
 *   a blind attacker must guess the sequence number exactly, not just land
 *   in the window.
 */
import {
  TCP_FLAG_ACK,
  TCP_FLAG_FIN,
  TCP_FLAG_PSH,
  TCP_FLAG_RST,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../wire/tcp';
import type { Ipv4Address } from '../wire/addresses';
import { formatIpv4Address } from '../wire/addresses';
import { ByteQueue } from './byte-queue';
import { CongestionControl, DUPLICATE_ACK_THRESHOLD } from './congestion';
import { ReassemblyQueue } from './reassembly';
import { resetFor } from './reset';
import { RetransmissionTimeout, RTO_MAX_MS } from './rto';
import { SendBuffer } from './send-buffer';
import {
  segmentLength,
  sequenceAdd,
  sequenceDistance,
  sequenceGreaterThan,
  sequenceInWindow,
  sequenceLessOrEqual,
  sequenceLessThan,
} from './sequence';
import { TcpSocketError, type TcpFailure } from './tcp-error';
import { formatTcpSocketInfo, type TcpConnectionInfo } from './tcp-socket-info';

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

export interface TcpEndpoint {
  address: Ipv4Address;
  port: number;
}

/** 1500-byte Ethernet MTU - 20 bytes of IPv4 header - 20 bytes of TCP header. */
export const TCP_LOCAL_MSS = 1460;
/** The MSS to assume when a SYN carries no MSS option (RFC 9293 §3.7.1). */
export const TCP_DEFAULT_MSS = 536;
/** The largest window a 16-bit window field can offer without window scaling. */
export const TCP_MAX_WINDOW = 0xffff;
export const TCP_DEFAULT_BUFFER_SIZE = 0xffff;
export const DELAYED_ACK_MS = 40;
export const MSL_MS = 2000;
export const TIME_WAIT_MS = 2 * MSL_MS;
export const MAX_RETRANSMISSIONS = 8;
export const MAX_SYN_RETRANSMISSIONS = 5;

export interface TcpConnectionOptions {
  local: TcpEndpoint;
  remote: TcpEndpoint;
  /** The initial sequence number source (RFC 9293 §3.4.1: unpredictable, RFC 6528). */
  nextIsn: () => number;
  /** The MSS this end announces: the largest segment it will receive. */
  mss?: number;
  sendBufferSize?: number;
  receiveBufferSize?: number;
  nagle?: boolean;
}

/** What `ss -i` and `netstats` show for a connection. */
export interface TcpCounters {
  segmentsSent: number;
  segmentsReceived: number;
  /** Segments sent again, for any reason. */
  retransmits: number;
  /** Times the retransmission timer fired. */
  timeouts: number;
  /** Losses repaired after three duplicate acknowledgments. */
  fastRetransmits: number;
  duplicateAcks: number;
  /** Segments that arrived ahead of a gap and were kept. */
  outOfOrderKept: number;
  zeroWindowProbes: number;
}

export class TcpConnection {
  state: TcpState;
  /** Why the connection died, if it did not end normally. */
  error: TcpFailure | null = null;
  readonly counters: TcpCounters = {
    segmentsSent: 0,
    segmentsReceived: 0,
    retransmits: 0,
    timeouts: 0,
    fastRetransmits: 0,
    duplicateAcks: 0,
    outOfOrderKept: 0,
    zeroWindowProbes: 0,
  };
  readonly local: TcpEndpoint;
  readonly remote: TcpEndpoint;
  /** Created by a listener for a peer's SYN (a passive open). */
  readonly openedPassively: boolean;

  // Send sequence variables (RFC 9293 §3.3.1); SND.MAX as in BSD.
  readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  private sndMax: number;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  /** The largest window the peer ever offered, for silly window avoidance. */
  private maxSndWnd = 0;
  /** The MSS for what this end sends: the peer's MSS, capped by the local one. */
  private sendMss = TCP_DEFAULT_MSS;

  // Receive sequence variables; RCV.WND is what the last offered window promised.
  private irs = 0;
  private rcvNxt = 0;
  private rcvWindowEdge = 0;
  private readonly receiveMss: number;

  private readonly sendBuffer: SendBuffer;
  private readonly receiveBuffer: ByteQueue;
  private readonly reassembly = new ReassemblyQueue();
  /** close() was called: a FIN follows the last byte written. */
  private finQueued = false;
  /** The sequence number of the peer's FIN, once a segment carrying it was accepted. */
  private remoteFinSequence: number | null = null;
  private finReceived = false;

  private readonly rtt = new RetransmissionTimeout();
  private congestion: CongestionControl;
  private readonly nagle: boolean;

  private retransmitAt: number | null = null;
  private persistAt: number | null = null;
  private delayedAckAt: number | null = null;
  private timeWaitAt: number | null = null;
  /** Timeouts in a row without progress, for ETIMEDOUT. */
  private retransmissionsInARow = 0;
  private persistBackoffs = 0;

  private ackNow = false;
  private bytesSinceAck = 0;
  private duplicateAcksInARow = 0;
  /** Resend the segment at SND.UNA (fast retransmit, NewReno partial acknowledgment). */
  private resendFirstUnacknowledged = false;
  /** The persist timer fired with a small window open: send what fits (§3.8.6.2.1 override). */
  private sendDespiteSmallWindow = false;
  /** Segments decided outside the send path (resets), sent by the next poll(). */
  private outbox: TcpSegment[] = [];

  private constructor(options: TcpConnectionOptions, state: TcpState, openedPassively: boolean) {
    this.local = options.local;
    this.remote = options.remote;
    this.state = state;
    this.openedPassively = openedPassively;
    this.iss = options.nextIsn() >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.receiveMss = options.mss ?? TCP_LOCAL_MSS;
    this.nagle = options.nagle ?? true;
    this.sendBuffer = new SendBuffer(
      options.sendBufferSize ?? TCP_DEFAULT_BUFFER_SIZE,
      sequenceAdd(this.iss, 1),
    );
    this.receiveBuffer = new ByteQueue(options.receiveBufferSize ?? TCP_DEFAULT_BUFFER_SIZE);
    this.congestion = new CongestionControl(this.sendMss);
  }

  /** Active open (§3.10.1, "OPEN Call"): the next poll() sends a SYN. */
  static connect(options: TcpConnectionOptions): TcpConnection {
    return new TcpConnection(options, 'SYN-SENT', false);
  }

  /** Passive open: a listener got `syn` (§3.10.7.2); the next poll() sends SYN,ACK. */
  static acceptSyn(options: TcpConnectionOptions, syn: TcpSegment): TcpConnection {
    const connection = new TcpConnection(options, 'SYN-RECEIVED', true);
    connection.startReceiving(syn);
    return connection;
  }

  // ---- The application's calls -------------------------------------------

  /** Queue bytes to send; returns how many fitted in the send buffer (0 when it is full). */
  write(data: Uint8Array): number {
    if (this.error !== null) throw new TcpSocketError(this.error, 'the connection failed');
    const open = ['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT'].includes(this.state);
    if (!open || this.finQueued) throw new TcpSocketError('EPIPE', `write in ${this.state}`);
    return this.sendBuffer.write(data);
  }

  /** Up to `max` bytes received in order; empty when none are waiting. */
  read(max: number): Uint8Array {
    const data = this.receiveBuffer.take(max);
    if (data.length > 0 && this.windowOpenedEnoughToTell()) this.ackNow = true;
    return data;
  }

  /** Send a FIN after the data already written (§3.10.4, "CLOSE Call"). */
  close(): void {
    switch (this.state) {
      case 'SYN-SENT':
        this.enterClosed();
        break;
      case 'SYN-RECEIVED': // the FIN follows once the handshake completes
        this.finQueued = true;
        break;
      case 'ESTABLISHED':
        this.finQueued = true;
        this.state = 'FIN-WAIT-1';
        break;
      case 'CLOSE-WAIT':
        this.finQueued = true;
        this.state = 'LAST-ACK';
        break;
      default: // already closing or closed
        break;
    }
  }

  /** Drop the connection and tell the peer with a reset (§3.10.5, "ABORT Call"). */
  abort(): void {
    const synchronized = ['SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT'];
    if (synchronized.includes(this.state)) {
      this.outbox.push(this.segment(this.sndMax, TCP_FLAG_RST)); // SND.MAX: see pureAck()
    }
    this.enterClosed();
  }

  /** Data, end of stream or an error is waiting: read() will not block. */
  get readable(): boolean {
    return this.receiveBuffer.length > 0 || this.finReceived || this.state === 'CLOSED';
  }

  /** Connected, not closed for writing, and the send buffer has room. */
  get writable(): boolean {
    const open = this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT';
    return open && !this.finQueued && this.sendBuffer.freeSpace > 0;
  }

  get closed(): boolean {
    return this.state === 'CLOSED';
  }

  /** The handshake is still going on. */
  get connecting(): boolean {
    return this.state === 'SYN-SENT' || this.state === 'SYN-RECEIVED';
  }

  /** The peer sent a FIN and every byte before it has been read. */
  get atEndOfStream(): boolean {
    return this.finReceived && this.receiveBuffer.length === 0;
  }

  /** Bytes received and not yet read (Recv-Q of `ss`). */
  get bytesToRead(): number {
    return this.receiveBuffer.length;
  }

  /** Bytes written and not yet acknowledged (Send-Q of `ss`). */
  get bytesUnacknowledged(): number {
    return this.sendBuffer.length;
  }

  /** The retransmission timeout in force, backoff included. */
  get rto(): number {
    return this.rtt.timeout;
  }

  get cwnd(): number {
    return this.congestion.cwnd;
  }

  /** The connection as a row of the socket table (`ss`, the networking chapter's figure). */
  info(): TcpConnectionInfo {
    const endpoint = (e: TcpEndpoint) => `${formatIpv4Address(e.address)}:${e.port}`;
    return {
      kind: 'connection',
      state: this.state,
      recvQ: this.bytesToRead,
      sendQ: this.bytesUnacknowledged,
      local: endpoint(this.local),
      peer: endpoint(this.remote),
      rto: Math.round(this.rtt.timeout),
      cwnd: this.cwnd,
      ssthresh: this.congestion.ssthresh,
      counters: { ...this.counters },
      error: this.error,
    };
  }

  /** One `ss`-like line: state, queues, endpoints, timer and counters. */
  describe(): string {
    return formatTcpSocketInfo(this.info());
  }

  // ---- Time ----------------------------------------------------------------

  /** The earliest time a timer needs poll(), or null when no timer runs. */
  nextDeadline(): number | null {
    const deadlines = [this.retransmitAt, this.persistAt, this.delayedAckAt, this.timeWaitAt];
    const running = deadlines.filter((deadline): deadline is number => deadline !== null);
    return running.length === 0 ? null : Math.min(...running);
  }

  /** Run the timers due at `now`, then return every segment to send now. */
  poll(now: number): TcpSegment[] {
    this.runTimers(now);
    const out = this.outbox;
    this.outbox = [];
    if (this.state === 'CLOSED') return out;
    for (let segment = this.nextSegment(now); segment; segment = this.nextSegment(now)) {
      out.push(segment);
    }
    this.startPersistTimerIfStalled(now);
    return out;
  }

  private runTimers(now: number): void {
    if (this.timeWaitAt !== null && now >= this.timeWaitAt) this.enterClosed();
    if (this.retransmitAt !== null && now >= this.retransmitAt) this.retransmissionTimeout();
    if (this.persistAt !== null && now >= this.persistAt) this.persistTimeout(now);
    if (this.delayedAckAt !== null && now >= this.delayedAckAt) {
      this.delayedAckAt = null;
      this.ackNow = true;
    }
  }

  /** RFC 6298 §5.4-5.7 and RFC 5681 §3.1: back off, shrink cwnd, go back to SND.UNA. */
  private retransmissionTimeout(): void {
    this.retransmitAt = null;
    const limit = this.connecting ? MAX_SYN_RETRANSMISSIONS : MAX_RETRANSMISSIONS;
    if (this.retransmissionsInARow >= limit) {
      this.fail('ETIMEDOUT');
      return;
    }
    this.retransmissionsInARow++;
    this.counters.timeouts++;
    this.rtt.backOff();
    this.congestion.timedOut(this.flightSize);
    this.duplicateAcksInARow = 0;
    this.sndNxt = this.sndUna;
  }

  /** The persist timer (§3.8.6.1): probe a zero window, or push out data held by a small one. */
  private persistTimeout(now: number): void {
    this.persistAt = null;
    if (this.sndWnd > 0) {
      this.sendDespiteSmallWindow = true;
      return;
    }
    this.outbox.push(this.segment(sequenceAdd(this.sndUna, -1), TCP_FLAG_ACK));
    this.counters.zeroWindowProbes++;
    this.persistBackoffs++;
    this.persistAt = now + this.persistInterval();
  }

  private persistInterval(): number {
    return Math.min(RTO_MAX_MS, this.rtt.rto * 2 ** this.persistBackoffs);
  }

  /** Data waits and nothing in flight will bring an ACK back: only the persist timer can help. */
  private startPersistTimerIfStalled(now: number): void {
    if (this.connecting || this.retransmitAt !== null || this.persistAt !== null) return;
    if (this.unsentBytes > 0) this.persistAt = now + this.persistInterval();
  }

  // ---- Sending -------------------------------------------------------------

  private get flightSize(): number {
    return sequenceDistance(this.sndMax, this.sndUna);
  }

  /** Bytes written and never sent (or to be sent again after a timeout). */
  private get unsentBytes(): number {
    return Math.max(0, sequenceDistance(this.sendBuffer.endSequence, this.sndNxt));
  }

  /** The FIN's sequence number: right after the last byte written before close(). */
  private get finSequence(): number {
    return this.sendBuffer.endSequence;
  }

  private get finPending(): boolean {
    return this.finQueued && sequenceLessOrEqual(this.sndNxt, this.finSequence);
  }

  private get finAcknowledged(): boolean {
    return this.finQueued && sequenceGreaterThan(this.sndUna, this.finSequence);
  }

  /** The next segment to send now, or null. */
  private nextSegment(now: number): TcpSegment | null {
    if (this.connecting) {
      if (this.sndNxt === this.iss) return this.sendSyn(now);
      return this.ackNow ? this.pureAck() : null;
    }
    if (this.resendFirstUnacknowledged) {
      this.resendFirstUnacknowledged = false;
      return this.sendFrom(this.sndUna, this.sendMss, now);
    }
    const length = this.lengthToSend();
    if (length !== null) return this.sendFrom(this.sndNxt, length, now);
    return this.ackNow ? this.pureAck() : null;
  }

  /**
   * An ACK without data. Its sequence number is SND.MAX, not SND.NXT (as in
   * BSD): after a timeout SND.NXT goes back, and the peer may already have
   * everything up to SND.MAX - an ACK numbered below its RCV.NXT would fail
   * its acceptability test and be dropped with its acknowledgment. Two ends
   * that both went back would then trade unacceptable ACKs forever.
   */
  private pureAck(): TcpSegment {
    return this.segment(this.sndMax, TCP_FLAG_ACK);
  }

  /** SYN (active open) or SYN,ACK (passive open), with our MSS (§3.7.1). */
  private sendSyn(now: number): TcpSegment {
    const flags = this.state === 'SYN-SENT' ? TCP_FLAG_SYN : TCP_FLAG_SYN | TCP_FLAG_ACK;
    const syn = this.segment(this.iss, flags);
    syn.options.mss = this.receiveMss;
    this.noteSent(this.iss, 1, now);
    return syn;
  }

  /**
   * How many bytes to send from SND.NXT now (0 for a FIN alone), or null to
   * wait: the usable window (§3.8.6.2.1), Nagle, and silly window avoidance.
   */
  private lengthToSend(): number | null {
    const unsent = this.unsentBytes;
    if (unsent === 0 && !this.finPending) return null;
    const window = Math.min(this.sndWnd, this.congestion.cwnd);
    const usable = Math.max(0, window - sequenceDistance(this.sndNxt, this.sndUna));
    const length = Math.min(unsent, this.sendMss, usable);
    if (this.sendDespiteSmallWindow && length > 0) {
      this.sendDespiteSmallWindow = false;
      return length;
    }
    if (length === 0) return unsent === 0 ? 0 : null; // a FIN alone needs no window
    const resending = sequenceLessThan(this.sndNxt, this.sndMax);
    if (length === this.sendMss || resending) return length;
    const nothingInFlight = this.sndUna === this.sndNxt;
    if (length === unsent && (!this.nagle || nothingInFlight || this.finQueued)) return length;
    if (length >= this.maxSndWnd / 2 && nothingInFlight) return length;
    return null;
  }

  /** A segment with the data (and the FIN, if it comes next) from `sequence`. */
  private sendFrom(sequence: number, maxLength: number, now: number): TcpSegment {
    const payload = this.sendBuffer.bytesAt(sequence, maxLength);
    const end = sequenceAdd(sequence, payload.length);
    let flags = TCP_FLAG_ACK;
    if (payload.length > 0 && end === this.sendBuffer.endSequence) flags |= TCP_FLAG_PSH;
    if (this.finQueued && end === this.finSequence) flags |= TCP_FLAG_FIN;
    const segment = this.segment(sequence, flags, payload);
    this.noteSent(sequence, segmentLength(segment), now);
    return segment;
  }

  /** Bookkeeping for a segment occupying `length` sequence numbers from `sequence`. */
  private noteSent(sequence: number, length: number, now: number): void {
    const end = sequenceAdd(sequence, length);
    const isRetransmission = sequenceLessThan(sequence, this.sndMax);
    if (isRetransmission) this.counters.retransmits++;
    if (sequence === this.sndNxt) this.sndNxt = end;
    if (sequenceGreaterThan(end, this.sndMax)) this.sndMax = end;
    this.rtt.segmentSent(end, now, isRetransmission);
    this.retransmitAt ??= now + this.rtt.timeout; // RFC 6298 §5.1
    this.persistAt = null;
  }

  /** A segment from this end; one with ACK carries RCV.NXT; all carry the offered window. */
  private segment(
    sequence: number,
    flags: number,
    payload: Uint8Array = new Uint8Array(0),
  ): TcpSegment {
    const carriesAck = (flags & TCP_FLAG_ACK) !== 0;
    if (carriesAck) {
      this.ackNow = false;
      this.delayedAckAt = null;
      this.bytesSinceAck = 0;
    }
    this.counters.segmentsSent++;
    return {
      sourcePort: this.local.port,
      destinationPort: this.remote.port,
      sequence,
      acknowledgment: carriesAck ? this.rcvNxt : 0,
      flags,
      window: this.offerWindow(),
      urgentPointer: 0,
      options: {},
      payload,
    };
  }

  /**
   * The window to offer (§3.8.6.2.2): the free receive buffer, but only once
   * it is worth opening by min(half the buffer, one MSS); until then, what
   * was already promised. Remembers the promise as RCV.NXT + window.
   */
  private offerWindow(): number {
    const free = Math.min(this.receiveBuffer.freeSpace, TCP_MAX_WINDOW);
    const promised = this.receiveWindow;
    const worthOpening = free - promised >= this.windowStep;
    const window = worthOpening ? free : promised;
    this.rcvWindowEdge = sequenceAdd(this.rcvNxt, window);
    return window;
  }

  private get windowStep(): number {
    return Math.min(Math.floor(this.receiveBuffer.capacity / 2), this.receiveMss);
  }

  /** RCV.WND: how much the last offered window still allows beyond RCV.NXT. */
  private get receiveWindow(): number {
    return Math.max(0, sequenceDistance(this.rcvWindowEdge, this.rcvNxt));
  }

  /** After a read: has the window grown enough to be worth an ACK of its own (a window update)? */
  private windowOpenedEnoughToTell(): boolean {
    const free = Math.min(this.receiveBuffer.freeSpace, TCP_MAX_WINDOW);
    const promised = this.receiveWindow;
    return free - promised >= this.windowStep && free >= 2 * promised;
  }

  // ---- Receiving (RFC 9293 §3.10.7, "SEGMENT ARRIVES") ---------------------

  /** Process a segment addressed to this connection, arrived at `now`. */
  receive(segment: TcpSegment, now: number): void {
    this.counters.segmentsReceived++;
    if (this.state === 'CLOSED') return;
    if (this.state === 'SYN-SENT') this.receiveInSynSent(segment, now);
    else this.receiveSynchronized(segment, now);
  }

  /** §3.10.7.3 "If the state is SYN-SENT". */
  private receiveInSynSent(segment: TcpSegment, now: number): void {
    const hasAck = (segment.flags & TCP_FLAG_ACK) !== 0;
    if (hasAck && !this.acknowledgesOurSyn(segment.acknowledgment)) {
      this.queueResetFor(segment);
      return;
    }
    if (segment.flags & TCP_FLAG_RST) {
      if (hasAck) this.fail('ECONNREFUSED');
      return;
    }
    if (!(segment.flags & TCP_FLAG_SYN)) return;
    this.startReceiving(segment);
    this.ackNow = true;
    if (hasAck) {
      this.becomeEstablished();
      this.newAcknowledgment(segment.acknowledgment, now);
    } else {
      // Simultaneous open (§3.5, Figure 8): answer with SYN,ACK - our SYN again, with an ACK.
      this.state = 'SYN-RECEIVED';
      this.sndNxt = this.iss;
    }
  }

  private acknowledgesOurSyn(acknowledgment: number): boolean {
    return (
      sequenceGreaterThan(acknowledgment, this.iss) &&
      sequenceLessOrEqual(acknowledgment, this.sndMax)
    );
  }

  /** The peer's SYN fixes IRS and RCV.NXT, the first send window, and the MSS to use. */
  private startReceiving(syn: TcpSegment): void {
    this.irs = syn.sequence;
    this.rcvNxt = sequenceAdd(syn.sequence, 1);
    this.rcvWindowEdge = sequenceAdd(
      this.rcvNxt,
      Math.min(this.receiveBuffer.freeSpace, TCP_MAX_WINDOW),
    );
    this.sendMss = Math.min(syn.options.mss ?? TCP_DEFAULT_MSS, TCP_LOCAL_MSS);
    this.updateSendWindow(syn, true);
  }

  private becomeEstablished(): void {
    this.state = this.finQueued ? 'FIN-WAIT-1' : 'ESTABLISHED';
    this.congestion = new CongestionControl(this.sendMss);
  }

  /** §3.10.7.4, "Otherwise": every state from SYN-RECEIVED on. */
  private receiveSynchronized(original: TcpSegment, now: number): void {
    if (this.isRetransmittedSyn(original)) {
      this.sndNxt = this.iss; // our SYN,ACK was lost: send it again
      return;
    }
    const segment = this.withoutDuplicateSyn(original);
    if (!this.isAcceptable(segment)) {
      if (this.state === 'TIME-WAIT' && segment.flags & TCP_FLAG_FIN) this.enterTimeWait(now);
      if (!(segment.flags & TCP_FLAG_RST)) this.ackNow = true;
      return;
    }
    if (segment.flags & TCP_FLAG_RST) {
      this.receiveReset(segment);
      return;
    }
    if (segment.flags & TCP_FLAG_SYN) {
      if (this.state === 'SYN-RECEIVED' && this.openedPassively) this.enterClosed();
      else this.ackNow = true; // challenge ACK (RFC 5961 §4.2)
      return;
    }
    if (!(segment.flags & TCP_FLAG_ACK)) return;
    if (!this.receiveAcknowledgment(segment, now)) return;
    if (
      this.state === 'ESTABLISHED' ||
      this.state === 'FIN-WAIT-1' ||
      this.state === 'FIN-WAIT-2'
    ) {
      this.receiveText(segment, now);
    }
    this.receiveFinIfReached(now);
  }

  private isRetransmittedSyn(segment: TcpSegment): boolean {
    const synOnly = (segment.flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) === TCP_FLAG_SYN;
    return this.state === 'SYN-RECEIVED' && synOnly && segment.sequence === this.irs;
  }

  /**
   * A SYN we already have (a SYN,ACK sent again, or the peer's SYN,ACK in a
   * simultaneous open) is trimmed off like any duplicate byte, so what
   * follows it - its ACK - is processed; it still deserves an ACK back.
   */
  private withoutDuplicateSyn(segment: TcpSegment): TcpSegment {
    if (!(segment.flags & TCP_FLAG_SYN) || segment.sequence !== this.irs) return segment;
    if (this.state !== 'SYN-RECEIVED') this.ackNow = true;
    return {
      ...segment,
      sequence: sequenceAdd(segment.sequence, 1),
      flags: segment.flags & ~TCP_FLAG_SYN,
    };
  }

  /**
   * The acceptability test of §3.10.7.4: does any of the segment fall in the
   * receive window? With a zero window only a segment at exactly RCV.NXT is
   * let through - for its ACK and RST; its data is trimmed off later.
   */
  private isAcceptable(segment: TcpSegment): boolean {
    const window = this.receiveWindow;
    const length = segmentLength(segment);
    if (window === 0) return segment.sequence === this.rcvNxt;
    if (sequenceInWindow(segment.sequence, this.rcvNxt, window)) return true;
    const last = sequenceAdd(segment.sequence, length - 1);
    return length > 0 && sequenceInWindow(last, this.rcvNxt, window);
  }

  /** §3.10.7.4 "Second, check the RST bit", with RFC 5961 §3.2's exact match. */
  private receiveReset(segment: TcpSegment): void {
    if (segment.sequence !== this.rcvNxt) {
      this.ackNow = true; // in the window but not exact: challenge ACK
      return;
    }
    switch (this.state) {
      case 'SYN-RECEIVED':
        if (this.openedPassively)
          this.enterClosed(); // "return to LISTEN"
        else this.fail('ECONNREFUSED');
        break;
      case 'ESTABLISHED':
      case 'FIN-WAIT-1':
      case 'FIN-WAIT-2':
      case 'CLOSE-WAIT':
        this.fail('ECONNRESET');
        break;
      default: // CLOSING, LAST-ACK, TIME-WAIT
        this.enterClosed();
    }
  }

  /** §3.10.7.4 "Fifth, check the ACK field". Returns false when the segment must be dropped. */
  private receiveAcknowledgment(segment: TcpSegment, now: number): boolean {
    const ack = segment.acknowledgment;
    if (this.state === 'SYN-RECEIVED') {
      if (!this.acknowledgesOurSyn(ack)) {
        this.queueResetFor(segment);
        return false;
      }
      this.becomeEstablished();
    }
    if (sequenceGreaterThan(ack, this.sndMax)) {
      this.ackNow = true; // acknowledges something never sent
      return false;
    }
    if (sequenceGreaterThan(ack, this.sndUna)) this.newAcknowledgment(ack, now);
    else if (this.isDuplicateAck(segment)) this.duplicateAck();
    if (!sequenceLessThan(ack, this.sndUna)) this.updateSendWindow(segment, false);
    return this.afterAcknowledgment(now);
  }

  /** SND.UNA < SEG.ACK: data (or our SYN or FIN) is acknowledged. */
  private newAcknowledgment(ack: number, now: number): void {
    const bufferedBefore = this.sendBuffer.length;
    this.sndUna = ack;
    // After a timeout the peer may acknowledge copies sent before it, beyond SND.NXT.
    if (sequenceGreaterThan(ack, this.sndNxt)) this.sndNxt = ack;
    this.sendBuffer.acknowledgeUpTo(ack);
    const bytes = bufferedBefore - this.sendBuffer.length;
    this.rtt.acknowledged(ack, now);
    this.retransmissionsInARow = 0;
    this.duplicateAcksInARow = 0;
    // RFC 6298 §5.2 and §5.3: stop the timer when all is acknowledged, else restart it.
    this.retransmitAt = this.flightSize === 0 ? null : now + this.rtt.timeout;
    if (this.congestion.inFastRecovery) {
      if (this.congestion.acknowledgedDuringRecovery(ack, bytes)) {
        this.resendFirstUnacknowledged = true;
      }
    } else if (bytes > 0) {
      this.congestion.newDataAcknowledged(bytes);
    }
  }

  /** RFC 5681 §2: same ACK, no data, no SYN/FIN, same window, and data outstanding. */
  private isDuplicateAck(segment: TcpSegment): boolean {
    return (
      segment.acknowledgment === this.sndUna &&
      segment.payload.length === 0 &&
      (segment.flags & (TCP_FLAG_SYN | TCP_FLAG_FIN)) === 0 &&
      segment.window === this.sndWnd &&
      this.flightSize > 0
    );
  }

  /** Count a duplicate; the third starts fast retransmit (RFC 5681 §3.2). */
  private duplicateAck(): void {
    this.counters.duplicateAcks++;
    this.duplicateAcksInARow++;
    if (this.congestion.inFastRecovery) {
      this.congestion.duplicateDuringRecovery();
    } else if (this.duplicateAcksInARow === DUPLICATE_ACK_THRESHOLD) {
      this.congestion.enterFastRecovery(this.flightSize, this.sndMax);
      this.resendFirstUnacknowledged = true;
      this.counters.fastRetransmits++;
    }
  }

  /**
   * SND.WND from the newest segment only (§3.10.7.4: SND.WL1 < SEG.SEQ, or
   * the same SEG.SEQ with SND.WL2 =< SEG.ACK), so an old reordered segment
   * cannot shrink the window back.
   */
  private updateSendWindow(segment: TcpSegment, first: boolean): void {
    const newer =
      first ||
      sequenceLessThan(this.sndWl1, segment.sequence) ||
      (this.sndWl1 === segment.sequence &&
        sequenceLessOrEqual(this.sndWl2, segment.acknowledgment));
    if (!newer) return;
    this.sndWnd = segment.window;
    this.sndWl1 = segment.sequence;
    this.sndWl2 = segment.acknowledgment;
    this.maxSndWnd = Math.max(this.maxSndWnd, this.sndWnd);
    if (this.sndWnd > 0) this.persistBackoffs = 0;
  }

  /** The state changes an acknowledgment of our FIN brings; false if the connection ended. */
  private afterAcknowledgment(now: number): boolean {
    if (!this.finAcknowledged) return true;
    switch (this.state) {
      case 'FIN-WAIT-1':
        this.state = 'FIN-WAIT-2';
        return true;
      case 'CLOSING':
        this.enterTimeWait(now);
        return true;
      case 'LAST-ACK':
        this.enterClosed();
        return false;
      default:
        return true;
    }
  }

  /** §3.10.7.4 "Seventh, process the segment text", trimmed to the window. */
  private receiveText(segment: TcpSegment, now: number): void {
    let sequence = segment.sequence;
    let data = segment.payload;
    const late = sequenceDistance(this.rcvNxt, sequence);
    if (late > 0) {
      data = data.subarray(Math.min(late, data.length));
      sequence = this.rcvNxt;
    }
    const room = this.receiveWindow - sequenceDistance(sequence, this.rcvNxt);
    const fitsInWindow = data.length <= room;
    if (!fitsInWindow) {
      data = data.subarray(0, Math.max(0, room));
      this.ackNow = true; // tell the sender where the window ends
    }
    if (segment.flags & TCP_FLAG_FIN && fitsInWindow && this.remoteFinSequence === null) {
      this.remoteFinSequence = sequenceAdd(segment.sequence, segment.payload.length);
    }
    if (data.length === 0) return;
    if (sequence === this.rcvNxt) {
      this.deliverInOrder(data, now);
    } else {
      this.reassembly.insert(sequence, data, this.rcvNxt);
      this.counters.outOfOrderKept++;
      this.ackNow = true; // a duplicate ACK tells the sender about the gap
    }
  }

  /** Data at RCV.NXT: into the receive buffer, with whatever it joins from the reassembly queue. */
  private deliverInOrder(data: Uint8Array, now: number): void {
    this.appendToReceiveBuffer(data);
    const joined = this.reassembly.takeContiguous(this.rcvNxt);
    if (joined.length > 0) this.appendToReceiveBuffer(joined);
    this.bytesSinceAck += data.length;
    const gapActivity = joined.length > 0 || this.reassembly.blockCount > 0;
    if (gapActivity || this.bytesSinceAck >= 2 * this.receiveMss) this.ackNow = true;
    else this.delayedAckAt ??= now + DELAYED_ACK_MS;
  }

  private appendToReceiveBuffer(data: Uint8Array): void {
    this.receiveBuffer.push(data); // always fits: the window never offers more than the free space
    this.rcvNxt = sequenceAdd(this.rcvNxt, data.length);
  }

  /** §3.10.7.4 "Eighth, check the FIN bit" - once every byte before the FIN is in. */
  private receiveFinIfReached(now: number): void {
    if (this.finReceived || this.remoteFinSequence !== this.rcvNxt) return;
    this.finReceived = true;
    this.rcvNxt = sequenceAdd(this.rcvNxt, 1);
    this.ackNow = true;
    switch (this.state) {
      case 'ESTABLISHED':
        this.state = 'CLOSE-WAIT';
        break;
      case 'FIN-WAIT-1': // our FIN is not acknowledged yet: simultaneous close
        this.state = 'CLOSING';
        break;
      case 'FIN-WAIT-2':
        this.enterTimeWait(now);
        break;
      default:
        break;
    }
  }

  // ---- Endings -------------------------------------------------------------

  private queueResetFor(segment: TcpSegment): void {
    const reset = resetFor(segment);
    if (reset) this.outbox.push(reset);
  }

  private enterTimeWait(now: number): void {
    this.state = 'TIME-WAIT';
    this.stopTimers();
    this.timeWaitAt = now + TIME_WAIT_MS;
  }

  private fail(error: TcpFailure): void {
    this.error = error;
    this.enterClosed();
  }

  private enterClosed(): void {
    this.state = 'CLOSED';
    this.stopTimers();
  }

  private stopTimers(): void {
    this.retransmitAt = null;
    this.persistAt = null;
    this.delayedAckAt = null;
    this.timeWaitAt = null;
  }
}
