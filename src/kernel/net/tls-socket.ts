/**
 * A TLS 1.3 session over one of the kernel's TCP connections: the socket
 * that `httpsget`, `tls` and the tls_connect system call read and write
 * plaintext through (RFC 8446; the protocol itself is net/tls/, which never
 * touches a socket).
 *
 *   const tcp = createSocket(net, 'stream');
 *   yield* tcp.connect(address, 443);
 *   const tls = yield* startTls(net, tcp, 'example.com', kernel);  // handshake, or TlsFailure
 *   yield* tls.send(request);                                      // plaintext in, records out
 *   const data = yield* tls.recv(4096);                            // records in, plaintext out
 *   tls.release();                                                 // close_notify, then FIN
 *
 * The socket drives the sans-I/O TlsClient: whatever the client has to send
 * goes out on the TCP connection, whatever TCP delivers is fed to it. The
 * client gets the machine's seeded random numbers (lib/random.ts), and an
 * authenticator (tls-authenticator.ts) that judges the server's chain
 * against the roots of /etc/ssl/certs (tls-trust-store.ts) at the RTC's
 * time. Linux splits the same work differently: kTLS keeps only the record
 * layer in the kernel and leaves the handshake to a user program; here the
 * whole protocol is in the kernel, as in CottonOS.
 *
 * A TlsSocket is a TcpSocket, so it sits in a descriptor table like any
 * socket and read, write, send, recv and poll work on it unchanged, in
 * plaintext. It always blocks (O_NONBLOCK is ignored): a record may need
 * several TCP segments before it can be decrypted. A failed handshake or a
 * broken record ends in TlsFailure, a SyscallError (ECONNABORTED) whose
 * message says why - "certificate expired: ...", "hostname mismatch: ...".
 */
import type { Vfs } from '../fs/vfs';
import { SyscallError } from '../lib/errno';
import type { RandomPool } from '../lib/random';
import type { NetStack } from './net-stack';
import type { Certificate } from './pki';
import { POLLIN, SHUT_RD, TcpSocket } from './sockets';
import type { TcpConnection } from './tcp/tcp-connection';
import { PkiAuthenticator } from './tls-authenticator';
import { noteTlsHandshake } from './tls-history';
import { appendKeyLog, keyLogPath } from './tls-key-log';
import { loadTrustStore } from './tls-trust-store';
import { TlsError } from './tls/alert.ts';
import type { HandshakeStep } from './tls/handshake-log.ts';
import { TlsClient } from './tls/tls-client.ts';

/** TLS records are at most 16 KiB + 256 bytes: read about one at a time. */
const TLS_RECEIVE_CHUNK = 17 * 1024;

/** What a TLS session needs from the machine (the Kernel has all of it). */
export interface TlsMachine {
  readonly vfs: Vfs;
  readonly random: RandomPool;
  /** Seconds since 1970 from the RTC: "now" for certificate validity. */
  readonly clock: () => number;
}

/** The handshake failed or the connection broke: the TLS client's reason, as a socket error. */
export class TlsFailure extends SyscallError {
  /** `steps`: the handshake so far (tls/handshake-log.ts), for `tls` to print. */
  constructor(
    readonly tlsError: TlsError,
    readonly steps: readonly HandshakeStep[],
  ) {
    super('ECONNABORTED', tlsError.reason);
  }
}

/**
 * Connect TLS over `socket` (a connected TCP socket, which hands its
 * connection over and is left empty) and complete the handshake with
 * `serverName`. Throws TlsFailure; the alert it sent has gone out first.
 */
export function* startTls(
  net: NetStack,
  socket: TcpSocket,
  serverName: string,
  machine: TlsMachine,
): Generator<void, TlsSocket, void> {
  const trustStore = yield* loadTrustStore(machine.vfs);
  const connection = socket.detachConnection();
  let tls: TlsSocket | null = null;
  try {
    tls = new TlsSocket(net, connection, serverName, trustStore.roots, machine);
    yield* tls.handshake();
    noteTlsHandshake(net, serverName, tls.client.handshakeLog, null);
    return tls;
  } catch (error) {
    if (tls) tls.release();
    else connection.abort(); // the client refused the name itself: nothing was sent yet
    net.flushTcp();
    const failure = error instanceof TlsError ? new TlsFailure(error, []) : error;
    if (failure instanceof TlsFailure) {
      noteTlsHandshake(net, serverName, failure.steps, failure.message);
    }
    throw failure;
  }
}

export class TlsSocket extends TcpSocket {
  readonly client: TlsClient;
  readonly authenticator: PkiAuthenticator;
  private plaintext: Uint8Array = new Uint8Array(0);
  private transportEnded = false;
  private readonly keyLogLines: string[] = [];

  constructor(
    net: NetStack,
    connection: TcpConnection,
    readonly serverName: string,
    roots: Certificate[],
    private readonly machine: TlsMachine,
  ) {
    super(net, connection);
    this.authenticator = new PkiAuthenticator(roots, machine.clock);
    this.client = new TlsClient({
      serverName,
      random: (length) => {
        const bytes = new Uint8Array(length);
        machine.random.fill(bytes, net.now());
        return bytes;
      },
      authenticator: this.authenticator,
      now: () => net.now(),
      keyLog: (line) => this.keyLogLines.push(line),
    });
  }

  /** Send the ClientHello and exchange records until the handshake is complete. */
  *handshake(): Generator<void, void, void> {
    yield* super.send(this.client.start());
    while (this.client.state !== 'connected') {
      this.throwIfFailed();
      // The client fails on a transport closed mid-handshake; this only guards the loop.
      if (this.transportEnded) {
        const ended = new TlsError('internal_error', 'the server closed the connection');
        throw new TlsFailure(ended, this.client.handshakeLog);
      }
      yield* this.receiveRecords();
    }
    yield* this.writeKeyLog();
  }

  /** Encrypt and send all of `data`; returns its length. */
  override *send(data: Uint8Array): Generator<void, number, void> {
    this.throwIfFailed();
    if (this.client.state !== 'connected') {
      throw new SyscallError('EPIPE', 'the TLS session is closed for writing');
    }
    this.client.write(data);
    yield* this.sendOutput();
    return data.length;
  }

  /** Up to `max` bytes of plaintext; waits for a whole record; empty at the end of the stream. */
  override *recv(max: number): Generator<void, Uint8Array, void> {
    while (this.plaintext.length === 0) {
      this.plaintext = this.client.readApplicationData();
      if (this.plaintext.length > 0) break;
      this.throwIfFailed();
      if (this.transportEnded) return new Uint8Array(0);
      yield* this.receiveRecords();
    }
    const data = this.plaintext.slice(0, max);
    this.plaintext = this.plaintext.subarray(data.length);
    yield* this.writeKeyLog(); // a KeyUpdate derives new secrets
    return data;
  }

  /** SHUT_WR (or SHUT_RDWR) sends close_notify before TCP's FIN (RFC 8446 §6.1). */
  override shutdown(how: number): void {
    if (how !== SHUT_RD) this.closeSession();
    super.shutdown(how);
  }

  /** close(2): close_notify, then the TCP connection is closed. */
  override release(): void {
    this.closeSession();
    super.release();
  }

  override pollEvents(): number {
    return super.pollEvents() | (this.plaintext.length > 0 ? POLLIN : 0);
  }

  private closeSession(): void {
    if (this.client.state === 'connected') this.client.close();
    const output = this.client.takeOutput();
    // close and shutdown never wait: the alert goes out if the send buffer has room for it.
    if (output.length > 0 && this.tcpConnection && !this.tcpConnection.closed) {
      super.send(output).next();
    }
  }

  private *receiveRecords(): Generator<void, void, void> {
    const data = yield* super.recv(TLS_RECEIVE_CHUNK);
    if (data.length === 0) {
      this.transportEnded = true;
      this.client.transportClosed();
    } else {
      this.client.receive(data);
    }
    yield* this.sendOutput();
  }

  private *sendOutput(): Generator<void, void, void> {
    const output = this.client.takeOutput();
    if (output.length > 0) yield* super.send(output);
  }

  /** A failed client: send its alert (without waiting) and throw its reason. */
  private throwIfFailed(): void {
    const error = this.client.error;
    if (this.client.state !== 'failed' || error === undefined) return;
    this.closeSession();
    throw new TlsFailure(error, this.client.handshakeLog);
  }

  private *writeKeyLog(): Generator<void, void, void> {
    const path = keyLogPath(this.net);
    const lines = this.keyLogLines.splice(0);
    if (path !== null) yield* appendKeyLog(this.machine.vfs, path, lines);
  }
}
