/**
 * The two structures the socket calls exchange with programs, byte for byte
 * as Linux lays them out on a little-endian machine, so a C program written
 * from `man 7 ip` and `man 2 poll` works unchanged:
 *
 *   struct sockaddr_in {            offset
 *     sa_family_t    sin_family;     0   AF_INET (2), the machine's byte order
 *     in_port_t      sin_port;       2   network order (big-endian)
 *     struct in_addr sin_addr;       4   network order
 *     unsigned char  sin_zero[8];    8   ignored
 *   };                              16 bytes
 *
 *   struct pollfd {
 *     int   fd;                      0
 *     short events;                  4   POLLIN, POLLOUT, ... asked for
 *     short revents;                 6   what happened, filled in by poll
 *   };                               8 bytes
 *
 * The port and address are in network order because BSD sockets pass them
 * to the wire as they are (htons(80) in the program, not in the kernel).
 * These functions only translate bytes; the system calls (socket-calls.ts)
 * copy them in and out of user memory.
 */
import type { SocketAddress } from '../net/sockets';
import { SyscallError } from '../lib/errno';
import { AF_INET, POLLFD_BYTES, SOCKADDR_IN_BYTES } from './syscall-table';

/** The largest address a program may pass (Linux's sizeof(struct sockaddr_storage)). */
export const SOCKADDR_MAX_BYTES = 128;

/** A socket address from a program: EINVAL if too short, EAFNOSUPPORT unless AF_INET. */
export function parseSockaddrIn(bytes: Uint8Array): SocketAddress {
  if (bytes.length < SOCKADDR_IN_BYTES)
    throw new SyscallError(
      'EINVAL',
      `a sockaddr_in has ${SOCKADDR_IN_BYTES} bytes, not ${bytes.length}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const family = view.getUint16(0, true);
  if (family !== AF_INET)
    throw new SyscallError('EAFNOSUPPORT', `address family ${family} (only AF_INET ${AF_INET})`);
  return { port: view.getUint16(2, false), address: view.getUint32(4, false) };
}

/** The 16 bytes of a sockaddr_in for `address`. */
export function emitSockaddrIn({ address, port }: SocketAddress): Uint8Array {
  const bytes = new Uint8Array(SOCKADDR_IN_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, port, false);
  view.setUint32(4, address >>> 0, false);
  return bytes;
}

/** One entry of poll's array. */
export interface PollRequest {
  fd: number;
  events: number;
  revents: number;
}

/** The entries of a pollfd array (its length a multiple of 8). */
export function parsePollfds(bytes: Uint8Array): PollRequest[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: Math.floor(bytes.length / POLLFD_BYTES) }, (_, i) => ({
    fd: view.getInt32(i * POLLFD_BYTES, true),
    events: view.getUint16(i * POLLFD_BYTES + 4, true),
    revents: view.getUint16(i * POLLFD_BYTES + 6, true),
  }));
}

/** The pollfd array for `requests`, revents filled in. */
export function emitPollfds(requests: readonly PollRequest[]): Uint8Array {
  const bytes = new Uint8Array(requests.length * POLLFD_BYTES);
  const view = new DataView(bytes.buffer);
  requests.forEach(({ fd, events, revents }, i) => {
    view.setInt32(i * POLLFD_BYTES, fd, true);
    view.setUint16(i * POLLFD_BYTES + 4, events & 0xffff, true);
    view.setUint16(i * POLLFD_BYTES + 6, revents & 0xffff, true);
  });
  return bytes;
}
