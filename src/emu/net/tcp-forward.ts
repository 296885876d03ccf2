/**
 * Forwarding a virtual host:port to something outside the machine, as
 * QEMU's guestfwd does: the guest connects to an address on the virtual
 * network, the host-side TCP (tcp-endpoint.ts) accepts, and the
 * connection's byte stream is handed to an object the embedder provides.
 * In Node that object opens a real socket (src/cli/net-bridge.ts); this
 * file knows nothing of sockets, so the emulator stays free of any
 * platform.
 *
 * The guest's handshake completes before the far side is reached; if that
 * fails, the embedder aborts the connection and the guest sees a reset.
 * Bytes from outside arrive at whatever virtual time the machine has
 * reached when the host delivers them, so a run that uses a forward is
 * only as repeatable as the outside world.
 */
import type { DeviceState } from '../device-state';
import { formatIpv4 } from './ipv4';
import type { TcpCloseReason, TcpService } from './tcp-endpoint';

/** The guest's side of a forwarded connection, for the embedder to write to. */
export interface ForwardedConnection {
  /** "10.0.2.15:49152": the guest's address and port. */
  readonly guest: string;
  /** Bytes for the guest. */
  send(bytes: Uint8Array): void;
  /** The far side finished sending: FIN to the guest. */
  end(): void;
  /** The far side failed: RST to the guest. */
  abort(): void;
}

/** What the embedder does with one forwarded connection's events from the guest. */
export interface ForwardedStream {
  data(bytes: Uint8Array): void;
  /** The guest finished sending (half-close). */
  end(): void;
  /** The guest's connection is gone. */
  close(reason: TcpCloseReason): void;
}

/** The embedder's object: called once per connection the guest opens. */
export interface TcpForwardTarget {
  open(connection: ForwardedConnection): ForwardedStream;
}

/** A TCP service that hands each connection's stream to `target`. */
export function forwardingService(target: TcpForwardTarget): TcpService {
  return (socket) => {
    let bytesFromGuest = 0;
    const stream = target.open({
      guest: `${formatIpv4(socket.id.remoteAddress)}:${socket.id.remotePort}`,
      send: (bytes) => socket.send(bytes),
      end: () => socket.end(),
      abort: () => socket.abort(),
    });
    return {
      data(bytes) {
        bytesFromGuest += bytes.length;
        stream.data(bytes);
      },
      end: () => stream.end(),
      close: (reason) => stream.close(reason),
      saveState: (): DeviceState => ({ bytesFromGuest }),
    };
  };
}
