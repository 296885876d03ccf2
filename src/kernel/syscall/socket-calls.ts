/**
 * Network system calls: socket, bind, listen, accept, connect, send, recv,
 * sendto, recvfrom, shutdown, poll, and resolve (the kernel's DNS resolver).
 *
 * Models: the BSD socket interface (4.2BSD, POSIX.1-2017 "Sockets") as
 * Linux's net/socket.c exposes it. A socket is an open file in the caller's
 * descriptor table (net/sockets.ts does the work); these handlers check the
 * arguments, copy addresses and data across the user boundary, and pick the
 * socket out of the table - a descriptor that is open but not a socket is
 * ENOTSOCK, as on Linux. close(2) is the file layer's close.
 *
 * Addresses are struct sockaddr_in, laid out as Linux lays it out
 * (socket-structs.ts). Blocking calls (accept, connect, send, recv, poll)
 * wait on the network stack's activity queue and end with EINTR when a
 * signal arrives, so Ctrl-C stops a server blocked in accept. Every user
 * pointer is checked before the call blocks: a bad buffer is EFAULT at once,
 * not after the data has been taken from the socket.
 *
 * poll(2) asks each descriptor what a call would find now (pollEvents) and,
 * if nothing is ready, waits once for the network's next activity and asks
 * again. The console and pipes have no such shared queue: while a poll
 * watches one, it looks again every POLL_RECHECK_MS. A regular file is always
 * ready, as on Linux.
 */
import type { OpenFile } from '../fs/open-file';
import { MAX_OPEN_FILES } from '../fs/open-file';
import { SyscallError } from '../lib/errno';
import type { NetStack } from '../net/net-stack';
import {
  createSocket,
  type Socket,
  type SocketAddress,
  TcpSocket,
  UdpSocket,
  waitForSockets,
} from '../net/sockets';
import { IPV4_UNSPECIFIED } from '../net/wire/addresses';
import { DnsError } from '../net/dns-resolver';
import { currentTask, sleepUntil, ticksNow } from '../sched/scheduler';
import { throwIfSignalled } from '../sched/wait-queue';
import type { Syscall, SyscallHandler } from './dispatcher';
import { MAX_IO_BYTES } from './file-calls';
import {
  emitPollfds,
  emitSockaddrIn,
  parsePollfds,
  parseSockaddrIn,
  type PollRequest,
  SOCKADDR_MAX_BYTES,
} from './socket-structs';
import {
  AF_INET,
  POLLERR,
  POLLFD_BYTES,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOCKADDR_IN_BYTES,
  SYS_ACCEPT,
  SYS_BIND,
  SYS_CONNECT,
  SYS_LISTEN,
  SYS_POLL,
  SYS_RECV,
  SYS_RECVFROM,
  SYS_RESOLVE,
  SYS_SEND,
  SYS_SENDTO,
  SYS_SHUTDOWN,
  SYS_SOCKET,
} from './syscall-table';

/** IP protocol numbers a program may name in socket()'s third argument (0 picks the usual one). */
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** send/recv flags this kernel accepts: MSG_NOSIGNAL (there is no SIGPIPE to suppress). */
const MSG_NOSIGNAL = 0x4000;
/** How often a poll that watches the console or a pipe looks at it again (ms). */
export const POLL_RECHECK_MS = 20;
/** A DNS name is at most 253 characters (RFC 1035 §2.3.4). */
const MAX_HOST_NAME_BYTES = 253;

/** The machine's network stack, or ENETUNREACH on a machine without a network card. */
function network(call: Syscall): NetStack {
  const net = call.kernel.net;
  if (!net) throw new SyscallError('ENETUNREACH', 'this machine has no network card');
  return net.stack;
}

/** The socket behind descriptor `fd`: EBADF if none is open, ENOTSOCK if it is another file. */
function socketAt(call: Syscall, fd: number): Socket {
  const file = call.process.files.get(fd);
  if (file instanceof TcpSocket || file instanceof UdpSocket) return file;
  throw new SyscallError('ENOTSOCK', `descriptor ${fd} is not a socket`);
}

function streamAt(call: Syscall, fd: number, operation: string): TcpSocket {
  const socket = socketAt(call, fd);
  if (!(socket instanceof TcpSocket))
    throw new SyscallError('EOPNOTSUPP', `${operation} on a datagram socket`);
  return socket;
}

/** The sockaddr_in at `pointer`, `length` bytes long. */
function readAddress(call: Syscall, pointer: number, length: number): SocketAddress {
  if (length < SOCKADDR_IN_BYTES || length > SOCKADDR_MAX_BYTES)
    throw new SyscallError('EINVAL', `address length ${length}`);
  return parseSockaddrIn(call.process.memory.readBytes(pointer, length));
}

/**
 * Check an address result (accept, recvfrom) can be stored: `*lengthPointer`
 * is the room at `pointer`. Returns that room; nothing to do for a NULL address.
 */
function checkAddressResult(call: Syscall, pointer: number, lengthPointer: number): number {
  if (pointer === 0) return 0;
  const room = call.process.memory.readWord(lengthPointer) | 0;
  if (room < 0) throw new SyscallError('EINVAL', `address length ${room}`);
  checkWritable(call, pointer, Math.min(room, SOCKADDR_IN_BYTES));
  call.process.memory.writeWord(lengthPointer, room);
  return room;
}

/** Store `address` (cut to the room the program gave) and its full length, as Linux does. */
function writeAddressResult(
  call: Syscall,
  pointer: number,
  lengthPointer: number,
  room: number,
  address: SocketAddress | null,
): void {
  if (pointer === 0) return;
  if (!address) return call.process.memory.writeWord(lengthPointer, 0);
  call.process.memory.writeBytes(pointer, emitSockaddrIn(address).subarray(0, room));
  call.process.memory.writeWord(lengthPointer, SOCKADDR_IN_BYTES);
}

/** EFAULT now, before a call blocks, unless all of [pointer, pointer + length) is writable. */
function checkWritable(call: Syscall, pointer: number, length: number): void {
  const memory = call.process.memory;
  memory.writeBytes(pointer, memory.readBytes(pointer, length));
}

function checkFlags(flags: number): void {
  if ((flags & ~MSG_NOSIGNAL) !== 0)
    throw new SyscallError('EOPNOTSUPP', `flags 0x${flags.toString(16)}`);
}

/** The data a send call names: at most MAX_IO_BYTES of it (a shorter count is a legal answer). */
function readData(call: Syscall): Uint8Array {
  return call.process.memory.readBytes(call.address(1), Math.min(call.address(2), MAX_IO_BYTES));
}

/** Check the receive buffer, then run `receive` for at most that many bytes and copy them out. */
function* receiveInto(
  call: Syscall,
  receive: (max: number) => Generator<void, Uint8Array, void>,
): Generator<void, number, void> {
  const pointer = call.address(1);
  const count = Math.min(call.address(2), MAX_IO_BYTES);
  checkWritable(call, pointer, count);
  const data = yield* receive(count);
  call.process.memory.writeBytes(pointer, data);
  return data.length;
}

function sysSocket(call: Syscall): number {
  const [domain, typeAndFlags, protocol] = [call.arg(0), call.arg(1), call.arg(2)];
  if (domain !== AF_INET) throw new SyscallError('EAFNOSUPPORT', `address family ${domain}`);
  const type = typeAndFlags & ~SOCK_NONBLOCK;
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM)
    throw new SyscallError('EINVAL', `socket type ${type}`);
  const usual = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  if (protocol !== 0 && protocol !== usual)
    throw new SyscallError('EPROTONOSUPPORT', `protocol ${protocol} for socket type ${type}`);
  const socket = createSocket(network(call), type === SOCK_STREAM ? 'stream' : 'datagram');
  socket.nonBlocking = (typeAndFlags & SOCK_NONBLOCK) !== 0;
  try {
    return call.process.files.install(socket);
  } catch (error) {
    socket.release();
    throw error;
  }
}

function sysBind(call: Syscall): number {
  const socket = socketAt(call, call.arg(0));
  const { address, port } = readAddress(call, call.address(1), call.arg(2));
  const own = network(call).interface.address;
  if (address !== IPV4_UNSPECIFIED && address !== own)
    throw new SyscallError('EADDRNOTAVAIL', 'bind to an address that is not this machine’s');
  socket.bind(address, port);
  return 0;
}

function sysListen(call: Syscall): number {
  streamAt(call, call.arg(0), 'listen').listen(call.arg(1));
  return 0;
}

function* sysAccept(call: Syscall): Generator<void, number, void> {
  const listener = streamAt(call, call.arg(0), 'accept');
  const [pointer, lengthPointer] = [call.address(1), call.address(2)];
  const room = checkAddressResult(call, pointer, lengthPointer);
  const connection = yield* listener.accept();
  let fd: number;
  try {
    fd = call.process.files.install(connection);
  } catch (error) {
    connection.release();
    throw error;
  }
  writeAddressResult(call, pointer, lengthPointer, room, connection.remoteAddress);
  return fd;
}

function* sysConnect(call: Syscall): Generator<void, number, void> {
  const socket = socketAt(call, call.arg(0));
  const { address, port } = readAddress(call, call.address(1), call.arg(2));
  yield* socket.connect(address, port);
  return 0;
}

function* sysSend(call: Syscall): Generator<void, number, void> {
  const socket = socketAt(call, call.arg(0));
  checkFlags(call.arg(3));
  return yield* socket.send(readData(call));
}

function* sysRecv(call: Syscall): Generator<void, number, void> {
  const socket = socketAt(call, call.arg(0));
  checkFlags(call.arg(3));
  return yield* receiveInto(call, (max) => socket.recv(max));
}

/** sendto: a datagram to the address given; on a stream socket the address is ignored, as on Linux. */
function* sysSendto(call: Syscall): Generator<void, number, void> {
  const socket = socketAt(call, call.arg(0));
  checkFlags(call.arg(3));
  const data = readData(call);
  if (call.address(4) === 0 || socket instanceof TcpSocket) return yield* socket.send(data);
  const { address, port } = readAddress(call, call.address(4), call.arg(5));
  return yield* socket.sendTo(data, address, port);
}

/** recvfrom: also the sender's address for a datagram (a stream names none: length 0). */
function* sysRecvfrom(call: Syscall): Generator<void, number, void> {
  const socket = socketAt(call, call.arg(0));
  checkFlags(call.arg(3));
  const [pointer, lengthPointer] = [call.address(4), call.address(5)];
  const room = checkAddressResult(call, pointer, lengthPointer);
  let sender: SocketAddress | null = null;
  const count = yield* receiveInto(call, function* (max) {
    if (socket instanceof TcpSocket) return yield* socket.recv(max);
    const datagram = yield* socket.recvFrom(max);
    sender = { address: datagram.address, port: datagram.port };
    return datagram.data;
  });
  writeAddressResult(call, pointer, lengthPointer, room, sender);
  return count;
}

function sysShutdown(call: Syscall): number {
  socketAt(call, call.arg(0)).shutdown(call.arg(1));
  return 0;
}

/** What a call on `file` would find now, in POLL* bits (a file that never waits is always ready). */
function pollEventsOf(file: OpenFile): number {
  if (file instanceof TcpSocket || file instanceof UdpSocket) return file.pollEvents();
  return (file.inputReady === false ? 0 : POLLIN) | (file.outputReady === false ? 0 : POLLOUT);
}

/** The open file an entry watches, or null for a negative fd or one not open. */
function watchedFile(call: Syscall, request: PollRequest): OpenFile | null {
  if (request.fd < 0 || request.fd >= MAX_OPEN_FILES) return null;
  try {
    return call.process.files.get(request.fd);
  } catch {
    return null;
  }
}

/**
 * Fill in each entry's revents (POLLERR, POLLHUP and POLLNVAL come unasked).
 * `ready` counts the entries with any; `recheck` says whether one watches a
 * file that is no socket, which poll must look at again on its own.
 */
function checkPollfds(call: Syscall, requests: PollRequest[]): { ready: number; recheck: boolean } {
  let ready = 0;
  let recheck = false;
  for (const request of requests) {
    const file = watchedFile(call, request);
    request.revents =
      request.fd < 0
        ? 0
        : file === null
          ? POLLNVAL
          : pollEventsOf(file) & (request.events | POLLERR | POLLHUP);
    if (request.revents !== 0) ready++;
    if (file && !(file instanceof TcpSocket || file instanceof UdpSocket)) recheck = true;
  }
  return { ready, recheck };
}

function* sysPoll(call: Syscall): Generator<void, number, void> {
  const [pointer, count, timeout] = [call.address(0), call.address(1), call.arg(2)];
  if (count > MAX_OPEN_FILES) throw new SyscallError('EINVAL', `poll of ${count} descriptors`);
  const requests = parsePollfds(call.process.memory.readBytes(pointer, count * POLLFD_BYTES));
  checkWritable(call, pointer, count * POLLFD_BYTES);
  const { pit } = call.kernel;
  const deadline = timeout < 0 ? null : ticksNow() + pit.ticksFor(timeout);
  let state = checkPollfds(call, requests);
  while (state.ready === 0 && (deadline === null || ticksNow() < deadline)) {
    const recheckAt = state.recheck ? ticksNow() + pit.ticksFor(POLL_RECHECK_MS) : null;
    const wakeAt =
      deadline === null ? recheckAt : recheckAt === null ? deadline : Math.min(deadline, recheckAt);
    yield* waitForChange(call, wakeAt);
    state = checkPollfds(call, requests);
  }
  call.process.memory.writeBytes(pointer, emitPollfds(requests));
  return state.ready;
}

/** poll's wait: the network's next activity, or the tick `wakeAt`; EINTR on a signal. */
function* waitForChange(call: Syscall, wakeAt: number | null): Generator<void, void, void> {
  const net = call.kernel.net;
  if (net) return yield* waitForSockets(net.stack, wakeAt);
  if (wakeAt === null) throw new SyscallError('EINVAL', 'poll for ever on nothing that can change');
  yield* sleepUntil(wakeAt);
  throwIfSignalled(currentTask());
}

/**
 * resolve: a host name (or dotted address) to an IPv4 address, by the
 * kernel's DNS resolver (net/dns-resolver.ts). Any failure of the lookup -
 * no such name, no answer, no server - is ENOENT, as a program only needs
 * to know there is no address; the shell's `dns` command tells the details.
 */
function* sysResolve(call: Syscall): Generator<void, number, void> {
  const name = call.process.memory.readString(call.address(0), MAX_HOST_NAME_BYTES);
  const pointer = call.address(1);
  checkWritable(call, pointer, 4);
  const net = call.kernel.net;
  if (!net) throw new SyscallError('ENETUNREACH', 'this machine has no network card');
  let address: number;
  try {
    address = yield* net.dns.resolve(name);
  } catch (error) {
    if (error instanceof DnsError) throw new SyscallError('ENOENT', error.message);
    throw error;
  }
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, address, false);
  call.process.memory.writeBytes(pointer, bytes);
  return 0;
}

export const SOCKET_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_SOCKET, sysSocket],
  [SYS_BIND, sysBind],
  [SYS_LISTEN, sysListen],
  [SYS_ACCEPT, sysAccept],
  [SYS_CONNECT, sysConnect],
  [SYS_SEND, sysSend],
  [SYS_RECV, sysRecv],
  [SYS_SENDTO, sysSendto],
  [SYS_RECVFROM, sysRecvfrom],
  [SYS_SHUTDOWN, sysShutdown],
  [SYS_POLL, sysPoll],
  [SYS_RESOLVE, sysResolve],
];
