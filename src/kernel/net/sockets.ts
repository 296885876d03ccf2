/**
 * Sockets: the kernel objects behind the BSD socket calls (4.2BSD's
 * socket(2), bind, listen, accept, connect, send, recv, sendto, recvfrom,
 * shutdown, close; POSIX.1-2017 "Sockets"), for TCP streams and UDP
 * datagrams over IPv4.
 *
 * A socket is an open file (fs/open-file.ts), so it sits in a descriptor
 * table next to files and pipes, is shared by fork and dup, and read/write
 * work on a connected stream. The socket system calls, the kernel's own
 * clients (DHCP, DNS, the HTTP client) and the shell's tcp and udp commands
 * all use these classes:
 *
 *   const socket = createSocket(net, 'stream');            // TcpSocket
 *   yield* socket.connect(address, 80);                    // blocks for the handshake
 *   yield* socket.send(request);                           // blocks while the send buffer is full
 *   const data = yield* socket.recv(4096);                 // empty array: end of stream
 *   socket.release();                                      // close(2)
 *
 *   const server = createSocket(net, 'stream');
 *   server.bind(IPV4_UNSPECIFIED, 8080); server.listen(16);
 *   const client = yield* server.accept();                 // a new TcpSocket
 *
 *   const udp = createSocket(net, 'datagram');             // UdpSocket
 *   yield* udp.sendTo(bytes, address, port);               // binds an ephemeral port first
 *   const { data, address, port } = yield* udp.recvFrom(1500);
 *
 * Blocking. A call that cannot complete waits on the stack's activity queue
 * (NetStack.waitForActivity), which the network thread wakes whenever it
 * handled frames or timers, and then checks its condition again. The wait
 * is interruptible: a signal ends it with EINTR, as the console's read is
 * ended by Ctrl-C. With `nonBlocking` set (O_NONBLOCK) a call that would
 * block throws EAGAIN instead, and a connect returns EINPROGRESS at once.
 *
 * poll(2). pollEvents() says what a call would find now, in Linux's POLL*
 * bits; to wait for several sockets, check each and wait once on
 * `waitForSockets(net, deadline)` until one of them is ready.
 *
 * Errors are SyscallErrors with Linux's names: ECONNREFUSED (RST in answer
 * to our SYN), ECONNRESET, ETIMEDOUT (TCP gave up retransmitting),
 * EADDRINUSE, ENOTCONN, EISCONN, EPIPE (send after shutdown or after the
 * peer reset), EAGAIN, EINVAL, EMSGSIZE, ENETUNREACH and EHOSTUNREACH
 * (routing.ts).
 *
 * Simplifications: a stream socket's local port is its own only for
 * listen(); connect() always takes an ephemeral port, as nearly every
 * client does. UDP datagrams are at most UDP_MAX_PAYLOAD bytes, since this
 * stack does not fragment.
 */
import { SyscallError } from '../lib/errno';
import type { Io } from '../fs/block-device';
import type { OpenFile } from '../fs/open-file';
import type { Stat } from '../fs/vfs';
import type { NetStack } from './net-stack';
import { nextHop } from './routing';
import type { TcpConnection } from './tcp/tcp-connection';
import { TcpSocketError } from './tcp/tcp-error';
import type { TcpListener } from './tcp/tcp-listener';
import type { ReceivedDatagram, UdpReceiver } from './udp-ports';
import { IPV4_UNSPECIFIED, type Ipv4Address } from './wire/addresses';

// poll(2) event bits, Linux's values (asm-generic/poll.h).
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

// shutdown(2)'s `how`.
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/** 1500-byte MTU - 20 bytes of IPv4 header - 8 bytes of UDP header: no fragmentation. */
export const UDP_MAX_PAYLOAD = 1472;
/** Datagrams a UDP socket keeps unread; later ones are dropped (and counted). */
export const UDP_RECEIVE_QUEUE_LIMIT = 64;

export type SocketType = 'stream' | 'datagram';

/** A socket's address: IPv4 address and port (sockaddr_in). */
export interface SocketAddress {
  readonly address: Ipv4Address;
  readonly port: number;
}

/** socket(2): a TCP socket for 'stream', a UDP socket for 'datagram'. */
export function createSocket(net: NetStack, type: 'stream'): TcpSocket;
export function createSocket(net: NetStack, type: 'datagram'): UdpSocket;
export function createSocket(net: NetStack, type: SocketType): Socket;
export function createSocket(net: NetStack, type: SocketType): Socket {
  return type === 'stream' ? new TcpSocket(net) : new UdpSocket(net);
}

export type Socket = TcpSocket | UdpSocket;

/** Block until any socket may have changed (or `deadline`, virtual ms): poll(2)'s wait. */
export function* waitForSockets(
  net: NetStack,
  deadline: number | null,
): Generator<void, void, void> {
  yield* net.waitForActivity(deadline);
}

/** What both kinds share: the open-file plumbing and the blocking rule. */
abstract class SocketFile implements OpenFile {
  references = 0;
  /** O_NONBLOCK: fail with EAGAIN rather than wait. */
  nonBlocking = false;

  constructor(protected readonly net: NetStack) {}

  abstract read(buffer: Uint8Array): Io<number>;
  abstract write(data: Uint8Array): Io<number>;
  abstract release(): void;
  abstract pollEvents(): number;

  *seek(): Io<number> {
    throw new SyscallError('ESPIPE', 'cannot seek on a socket');
  }

  *stat(): Io<Stat> {
    return {
      inode: 0,
      type: 'device',
      mode: 0o140777, // S_IFSOCK
      links: 1,
      size: 0,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }

  /** Wait until `ready()` holds, or throw EAGAIN for a non-blocking socket. */
  protected *waitUntil(ready: () => boolean): Generator<void, void, void> {
    while (!ready()) {
      if (this.nonBlocking) throw new SyscallError('EAGAIN', 'the call would block');
      yield* this.net.waitForActivity();
    }
  }
}

/** TCP's failures and refusals as the errors a system call returns. */
function asSyscallError(error: unknown): unknown {
  return error instanceof TcpSocketError ? new SyscallError(error.errno, error.message) : error;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw new SyscallError('EINVAL', `port ${port} is not 0-65535`);
  }
}

/** A stream socket: unconnected, listening, or one TCP connection. */
export class TcpSocket extends SocketFile {
  private bound: SocketAddress | null = null;
  private listener: TcpListener | null = null;
  private connection: TcpConnection | null;
  private readShut = false;
  private writeShut = false;

  constructor(net: NetStack, connection: TcpConnection | null = null) {
    super(net);
    this.connection = connection;
  }

  /** The local address: the connection's, or what bind() gave. */
  get localAddress(): SocketAddress | null {
    return this.connection?.local ?? this.bound;
  }

  /** The peer's address, once connected (getpeername). */
  get remoteAddress(): SocketAddress | null {
    return this.connection?.remote ?? null;
  }

  /** The TCP connection behind the socket, for `ss`. */
  get tcpConnection(): TcpConnection | null {
    return this.connection;
  }

  /**
   * Hand the connected TCP connection over to another socket object, which
   * then owns it (tls-socket.ts wraps it in TLS); this socket is left empty.
   */
  detachConnection(): TcpConnection {
    const connection = this.connected();
    this.connection = null;
    return connection;
  }

  bind(address: Ipv4Address, port: number): void {
    checkPort(port);
    if (this.bound || this.listener || this.connection) {
      throw new SyscallError('EINVAL', 'the socket is already bound');
    }
    this.bound = { address, port };
  }

  listen(backlog: number): void {
    if (this.connection) throw new SyscallError('EISCONN', 'the socket is connected');
    if (this.listener) return;
    if (!this.bound || this.bound.port === 0) {
      throw new SyscallError('EDESTADDRREQ', 'bind the socket to a port before listen');
    }
    try {
      this.listener = this.net.tcp.listen(this.bound.address, this.bound.port, backlog);
    } catch (error) {
      throw asSyscallError(error);
    }
  }

  *accept(): Generator<void, TcpSocket, void> {
    const listener = this.listener;
    if (!listener) throw new SyscallError('EINVAL', 'accept on a socket that does not listen');
    yield* this.waitUntil(() => listener.readyCount > 0);
    return new TcpSocket(this.net, this.net.tcp.accept(listener)!);
  }

  *connect(address: Ipv4Address, port: number): Generator<void, void, void> {
    checkPort(port);
    if (this.listener) throw new SyscallError('EINVAL', 'connect on a listening socket');
    if (this.connection) {
      throw this.connection.connecting
        ? new SyscallError('EALREADY', 'a connect is already in progress')
        : new SyscallError('EISCONN', 'the socket is already connected');
    }
    if (port === 0) throw new SyscallError('EINVAL', 'connect to port 0');
    nextHop(this.net.interface, address); // no route: fail now, not after the SYN's timeouts
    try {
      this.connection = this.net.tcp.connect(this.net.interface.address, { address, port });
    } catch (error) {
      throw asSyscallError(error);
    }
    this.net.flushTcp();
    if (this.nonBlocking) throw new SyscallError('EINPROGRESS', 'the connection is under way');
    const connection = this.connection;
    yield* this.waitUntil(() => !connection.connecting);
    if (connection.closed) {
      throw new SyscallError(connection.error ?? 'ECONNREFUSED', 'the connection failed');
    }
  }

  /** Send all of `data` (blocking while the send buffer is full); returns its length. */
  *send(data: Uint8Array): Generator<void, number, void> {
    const connection = this.connected();
    if (this.writeShut) throw new SyscallError('EPIPE', 'the socket was shut down for writing');
    let sent = 0;
    while (sent < data.length) {
      try {
        sent += connection.write(data.subarray(sent));
      } catch (error) {
        throw asSyscallError(error);
      }
      this.net.flushTcp();
      if (sent === data.length) break;
      if (this.nonBlocking && sent > 0) break;
      yield* this.waitUntil(() => connection.writable || connection.closed);
    }
    return sent;
  }

  /** Up to `max` bytes; waits until some arrive; empty at the end of the stream. */
  *recv(max: number): Generator<void, Uint8Array, void> {
    const connection = this.connected();
    if (this.readShut) return new Uint8Array(0);
    yield* this.waitUntil(() => connection.readable);
    const data = connection.read(max);
    if (data.length > 0) {
      this.net.flushTcp(); // reading opened the window: the peer may need to hear
      return data;
    }
    if (connection.error !== null && !connection.atEndOfStream) {
      throw new SyscallError(connection.error, 'the connection failed');
    }
    return data;
  }

  shutdown(how: number): void {
    const connection = this.connected();
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) {
      throw new SyscallError('EINVAL', `shutdown how ${how}`);
    }
    if (how !== SHUT_WR) this.readShut = true;
    if (how !== SHUT_RD && !this.writeShut) {
      this.writeShut = true;
      connection.close();
      this.net.flushTcp();
    }
  }

  /** close(2): FIN after the data already sent; RST if received data was never read (RFC 2525 §2.17). */
  release(): void {
    if (this.listener) this.net.tcp.unlisten(this.listener);
    const connection = this.connection;
    if (connection && !connection.closed) {
      if (connection.bytesToRead > 0) connection.abort();
      else connection.close();
    }
    this.net.flushTcp();
  }

  pollEvents(): number {
    if (this.listener) return this.listener.readyCount > 0 ? POLLIN : 0;
    const connection = this.connection;
    if (!connection) return POLLOUT | POLLHUP;
    if (connection.connecting) return 0;
    let events = 0;
    if (connection.readable || this.readShut) events |= POLLIN;
    if (connection.writable) events |= POLLOUT;
    if (connection.error !== null) events |= POLLERR;
    if (connection.closed || (connection.atEndOfStream && this.writeShut)) events |= POLLHUP;
    return events;
  }

  *read(buffer: Uint8Array): Io<number> {
    const data = yield* this.recv(buffer.length);
    buffer.set(data);
    return data.length;
  }

  *write(data: Uint8Array): Io<number> {
    return yield* this.send(data);
  }

  private connected(): TcpConnection {
    if (!this.connection || this.connection.connecting) {
      throw new SyscallError('ENOTCONN', 'the socket is not connected');
    }
    return this.connection;
  }
}

/** A datagram socket: one UDP port, a queue of what arrived, an optional default peer. */
export class UdpSocket extends SocketFile implements UdpReceiver {
  private port = 0;
  private peer: SocketAddress | null = null;
  private readonly queue: ReceivedDatagram[] = [];
  /** Datagrams dropped because the queue was full. */
  dropped = 0;

  get localAddress(): SocketAddress | null {
    return this.port === 0 ? null : { address: this.net.interface.address, port: this.port };
  }

  get remoteAddress(): SocketAddress | null {
    return this.peer;
  }

  /** Bind to `port`, or to a free ephemeral port for 0. */
  bind(_address: Ipv4Address, port: number): void {
    checkPort(port);
    if (this.port !== 0) throw new SyscallError('EINVAL', 'the socket is already bound');
    if (port === 0) this.port = this.net.udp.bindEphemeral(this);
    else {
      this.net.udp.bind(port, this);
      this.port = port;
    }
  }

  /** Set the default peer for send and recv (connect on a UDP socket sends nothing). */
  *connect(address: Ipv4Address, port: number): Generator<void, void, void> {
    checkPort(port);
    nextHop(this.net.interface, address);
    this.bindIfNeeded();
    this.peer = { address, port };
  }

  *sendTo(data: Uint8Array, address: Ipv4Address, port: number): Generator<void, number, void> {
    checkPort(port);
    if (port === 0) throw new SyscallError('EINVAL', 'send to port 0');
    if (data.length > UDP_MAX_PAYLOAD) {
      throw new SyscallError('EMSGSIZE', `${data.length} bytes exceed ${UDP_MAX_PAYLOAD}`);
    }
    this.bindIfNeeded();
    this.net.sendUdp(this.port, address, port, data);
    return data.length;
  }

  *send(data: Uint8Array): Generator<void, number, void> {
    const peer = this.peer;
    if (!peer) throw new SyscallError('EDESTADDRREQ', 'no peer: use sendto or connect');
    return yield* this.sendTo(data, peer.address, peer.port);
  }

  /** The next datagram (cut to `max` bytes) and its sender; waits for one. */
  *recvFrom(max: number): Generator<void, ReceivedDatagram, void> {
    if (this.port === 0) throw new SyscallError('EINVAL', 'recvfrom on an unbound socket');
    yield* this.waitUntil(() => this.queue.length > 0);
    const datagram = this.queue.shift()!;
    return { ...datagram, data: datagram.data.subarray(0, max) };
  }

  /** recvfrom with a timeout (SO_RCVTIMEO): the next datagram, or null once `deadline` (virtual ms) passes. */
  *recvFromBefore(max: number, deadline: number): Generator<void, ReceivedDatagram | null, void> {
    while (this.queue.length === 0) {
      if (this.net.now() >= deadline) return null;
      yield* this.net.waitForActivity(deadline);
    }
    return yield* this.recvFrom(max);
  }

  *recv(max: number): Generator<void, Uint8Array, void> {
    return (yield* this.recvFrom(max)).data;
  }

  /** From the stack: a datagram for our port (from the peer only, once connected). */
  deliver(datagram: ReceivedDatagram): void {
    const peer = this.peer;
    if (peer && (datagram.address !== peer.address || datagram.port !== peer.port)) return;
    if (this.queue.length >= UDP_RECEIVE_QUEUE_LIMIT) {
      this.dropped++;
      return;
    }
    this.queue.push(datagram);
  }

  /** Datagrams waiting to be read. */
  get queued(): number {
    return this.queue.length;
  }

  shutdown(how: number): void {
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) {
      throw new SyscallError('EINVAL', `shutdown how ${how}`);
    }
  }

  release(): void {
    if (this.port !== 0) this.net.udp.unbind(this.port, this);
    this.port = 0;
  }

  pollEvents(): number {
    return (this.queue.length > 0 ? POLLIN : 0) | POLLOUT;
  }

  *read(buffer: Uint8Array): Io<number> {
    const data = yield* this.recv(buffer.length);
    buffer.set(data);
    return data.length;
  }

  *write(data: Uint8Array): Io<number> {
    return yield* this.send(data);
  }

  private bindIfNeeded(): void {
    if (this.port === 0) this.bind(IPV4_UNSPECIFIED, 0);
  }
}
