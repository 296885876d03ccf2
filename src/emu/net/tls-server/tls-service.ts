/**
 * TLS over the host-side TCP (tcp-endpoint.ts): a TCP service that runs a TlsServer on each
 * connection and, once the handshake is complete, hands the decrypted stream to an inner
 * service as if it were a plain TCP connection. HTTPS is then just
 * `tlsService(options, httpServer.service)`: the web server cannot tell the difference.
 *
 * The two ends of the stream map onto each other: the client's close_notify (RFC 8446 §6.1) is
 * the inner service's end of input, as a FIN is; the inner service ending its side sends
 * close_notify and then the FIN. A failed handshake sends its alert and the FIN, and never
 * reaches the inner service.
 */
import type { DeviceState } from '../../device-state';
import type { TcpApplication, TcpCloseReason, TcpService, TcpSocket } from '../tcp-endpoint';
import { TlsServer, type TlsServerOptions } from './tls-server';

/** TLS with `options` on every connection, then `inner` on the decrypted stream. */
export function tlsService(options: TlsServerOptions, inner: TcpService): TcpService {
  return (socket) => new TlsConnection(socket, new TlsServer(options), inner);
}

class TlsConnection implements TcpApplication {
  private application: TcpApplication | undefined;
  private applicationInputEnded = false;
  private transportEnded = false;

  constructor(
    private readonly socket: TcpSocket,
    private readonly tls: TlsServer,
    private readonly inner: TcpService,
  ) {}

  data(bytes: Uint8Array): void {
    this.tls.receive(bytes);
    this.flush();
    if (this.tls.state === 'failed') return this.endTransport();
    if (!this.application && this.tls.state === 'connected') {
      this.application = this.inner(this.decryptedSocket());
    }
    const plaintext = this.tls.readApplicationData();
    if (plaintext.length > 0) this.application?.data(plaintext);
    if (this.tls.peerClosed) this.endApplicationInput();
  }

  /** The client's FIN: without close_notify the input may be cut short, but it has ended. */
  end(): void {
    if (this.application) this.endApplicationInput();
    else this.endTransport();
  }

  close(reason: TcpCloseReason): void {
    this.application?.close(reason);
  }

  saveState(): DeviceState {
    return {
      tls: this.tls.state,
      cipherSuite: this.tls.negotiated?.cipherSuite ?? null,
      group: this.tls.negotiated?.group ?? null,
      helloRetry: this.tls.negotiated?.helloRetry ?? null,
      failure: this.tls.failure?.alert ?? null,
      application: this.application?.saveState() ?? null,
    };
  }

  /** What the inner service sees as its TCP socket: its bytes go out as TLS records. */
  private decryptedSocket(): TcpSocket {
    return {
      id: this.socket.id,
      send: (bytes) => {
        this.tls.write(bytes);
        this.flush();
      },
      end: () => {
        this.tls.close();
        this.flush();
        this.endTransport();
      },
      abort: () => this.socket.abort(),
    };
  }

  private endApplicationInput(): void {
    if (this.applicationInputEnded) return;
    this.applicationInputEnded = true;
    this.application?.end();
  }

  private flush(): void {
    const records = this.tls.takeOutput();
    if (records.length > 0) this.socket.send(records);
  }

  private endTransport(): void {
    if (this.transportEnded) return;
    this.transportEnded = true;
    this.socket.end();
  }
}
