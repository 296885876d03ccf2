/**
 * The errors of TCP sockets, named by the errno values POSIX gives them, so
 * the system-call layer can hand them to programs unchanged.
 *
 * A connection that ends badly keeps the reason in `error` (TcpFailure); a
 * call that cannot be done on a socket in its state throws TcpSocketError.
 */

/** Why a connection died: refused by the peer, reset by the peer, or no answer. */
export type TcpFailure = 'ECONNREFUSED' | 'ECONNRESET' | 'ETIMEDOUT';

/** Why a socket call was refused. */
export type TcpCallError =
  | TcpFailure
  | 'EPIPE' // write after close() or after the connection ended
  | 'EADDRINUSE' // listen() on a port already taken
  | 'EADDRNOTAVAIL' // connect() with every ephemeral port in use
  | 'EINVAL'; // an argument out of range (a port, a backlog)

export class TcpSocketError extends Error {
  constructor(
    readonly errno: TcpCallError,
    reason: string,
  ) {
    super(`${errno}: ${reason}`);
    this.name = 'TcpSocketError';
  }
}
