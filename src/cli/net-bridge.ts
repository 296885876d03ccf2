/**
 * The Node side of the virtual network's TCP forwarding (src/emu/net/
 * tcp-forward.ts): `--net-forward 10.0.2.100:80=127.0.0.1:8080` makes a
 * guest's connections to 10.0.2.100 port 80 open real connections to
 * 127.0.0.1:8080, with the bytes copied both ways, as QEMU's guestfwd does.
 *
 * Each guest connection gets its own socket, opened when the guest's
 * handshake completes. A half-close travels in both directions (the guest's
 * FIN ends the socket's writing side, the socket's end becomes a FIN to
 * the guest); a socket error or a guest reset tears the other side down.
 * Bytes from the socket reach the guest at the virtual time the machine
 * has when Node delivers them, so runs with a forward are not replayable.
 */
import { connect, type Socket } from 'node:net';
import type {
  ForwardedConnection,
  ForwardedStream,
  TcpForwardTarget,
} from '../emu/net/tcp-forward';
import type { VirtualNetwork } from '../emu/net/virtual-network';

export interface NetForwardSpec {
  /** Address and port on the virtual network. */
  readonly virtualAddress: string;
  readonly virtualPort: number;
  /** Where the connections go on the host. */
  readonly hostAddress: string;
  readonly hostPort: number;
}

/** A --net-forward value that is not "VIRTUAL_IP:PORT=HOST:PORT". */
export class NetForwardSpecError extends Error {
  override name = 'NetForwardSpecError';
}

function parsePort(text: string, spec: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new NetForwardSpecError(`bad port "${text}" in --net-forward ${spec}`);
  return port;
}

function parseIpv4Text(text: string, spec: string): string {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    throw new NetForwardSpecError(`"${text}" is not an IPv4 address in --net-forward ${spec}`);
  }
  return text;
}

/** "10.0.2.100:80=127.0.0.1:8080" → its parts; the host side may be a name ("localhost:8080"). */
export function parseNetForward(spec: string): NetForwardSpec {
  const match = /^([^:=]+):([^:=]+)=([^=]+):([^:=]+)$/.exec(spec.trim());
  if (!match)
    throw new NetForwardSpecError(`--net-forward wants VIRTUAL_IP:PORT=HOST:PORT, not "${spec}"`);
  const [, virtualAddress, virtualPort, hostAddress, hostPort] = match;
  return {
    virtualAddress: parseIpv4Text(virtualAddress!, spec),
    virtualPort: parsePort(virtualPort!, spec),
    hostAddress: hostAddress!,
    hostPort: parsePort(hostPort!, spec),
  };
}

/** Connections handed over by the virtual network become sockets to `host`:`port`. */
export function socketForwardTarget(host: string, port: number): TcpForwardTarget {
  return {
    open(guest: ForwardedConnection): ForwardedStream {
      const socket: Socket = connect({ host, port, allowHalfOpen: true });
      let guestGone = false;
      socket.on('data', (bytes: Buffer) => guest.send(new Uint8Array(bytes)));
      socket.on('end', () => guest.end());
      socket.on('error', () => {
        if (!guestGone) guest.abort();
      });
      return {
        data: (bytes) => socket.write(bytes),
        end: () => socket.end(),
        close: (reason) => {
          guestGone = true;
          if (reason === 'closed') socket.end();
          else socket.destroy();
        },
      };
    },
  };
}

/** Install each forward on the machine's network. */
export function applyNetForwards(network: VirtualNetwork, specs: readonly NetForwardSpec[]): void {
  for (const spec of specs) {
    network.forwardTcp(
      spec.virtualAddress,
      spec.virtualPort,
      socketForwardTarget(spec.hostAddress, spec.hostPort),
    );
  }
}
