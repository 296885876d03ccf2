/**
 * tls_connect(fd, hostname): turn a connected TCP socket into a TLS 1.3 one.
 *
 * The kernel runs the whole handshake (net/tls-socket.ts) for `hostname`,
 * checking the server's chain against /etc/ssl/certs, and on success the
 * descriptor refers to the TLS session: read, write, send, recv and poll
 * then carry plaintext, and close sends close_notify. Linux's kTLS
 * (setsockopt TCP_ULP "tls") takes over only the record layer, after a user
 * program has done the handshake; CottonOS, like this kernel, does it all.
 *
 * Errors: EBADF, ENOTSOCK (not a TCP socket), ENOTCONN, EISCONN (already
 * TLS), EBUSY (the socket is shared with another descriptor, which would
 * keep seeing ciphertext), and ECONNABORTED when the handshake fails - the
 * reason ("certificate expired: ...") goes to the kernel log, as a driver's
 * complaint does, since an errno cannot carry it.
 */
import { SyscallError } from '../lib/errno';
import { TcpSocket } from '../net/sockets';
import { startTls, TlsFailure, TlsSocket } from '../net/tls-socket';
import type { Syscall, SyscallHandler } from './dispatcher';
import { SYS_TLS_CONNECT } from './syscall-table';

/** A DNS name is at most 253 characters (RFC 1035 §2.3.4). */
const MAX_HOST_NAME_BYTES = 253;

function* sysTlsConnect(call: Syscall): Generator<void, number, void> {
  const fd = call.arg(0);
  const socket = call.process.files.get(fd);
  if (!(socket instanceof TcpSocket))
    throw new SyscallError('ENOTSOCK', `descriptor ${fd} is not a TCP socket`);
  if (socket instanceof TlsSocket) throw new SyscallError('EISCONN', 'the socket is already TLS');
  if (socket.references > 1)
    throw new SyscallError('EBUSY', 'the socket is shared with another descriptor');
  const hostname = call.process.memory.readString(call.address(1), MAX_HOST_NAME_BYTES);
  const net = call.kernel.net;
  if (!net) throw new SyscallError('ENETUNREACH', 'this machine has no network card');
  try {
    const session = yield* startTls(net.stack, socket, hostname, call.kernel);
    call.process.files.installAt(fd, session);
  } catch (error) {
    if (error instanceof TlsFailure) call.kernel.log.log('tls', `${hostname}: ${error.message}`);
    throw error;
  }
  return 0;
}

export const TLS_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_TLS_CONNECT, sysTlsConnect],
];
