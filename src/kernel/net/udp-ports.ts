/**
 * UDP demultiplexing: which receiver gets a datagram for a local port
 * (RFC 768; RFC 1122 §4.1.3.1, ports, and §4.1.3.6, invalid addresses).
 *
 * UDP names an endpoint by its port alone on a host with one address, so
 * the table is a map from port to receiver: a socket (sockets.ts), which
 * kernel clients such as DHCP and DNS use too. A datagram for a port
 * nobody holds is answered with ICMP port unreachable by the stack. Ports
 * for sockets that send before binding come from the same dynamic range as
 * TCP's (RFC 6335 §6), searched from a point that moves on each time.
 */
import { SyscallError } from '../lib/errno';
import type { Ipv4Address } from './wire/addresses';

export const UDP_EPHEMERAL_FIRST = 49152;
export const UDP_EPHEMERAL_LAST = 65535;

/** A datagram as a receiver gets it: the payload and who sent it. */
export interface ReceivedDatagram {
  readonly data: Uint8Array;
  readonly address: Ipv4Address;
  readonly port: number;
}

export interface UdpReceiver {
  deliver(datagram: ReceivedDatagram): void;
}

export class UdpPorts {
  private readonly receivers = new Map<number, UdpReceiver>();
  private nextEphemeral: number;

  constructor(start: number) {
    const span = UDP_EPHEMERAL_LAST - UDP_EPHEMERAL_FIRST + 1;
    this.nextEphemeral = UDP_EPHEMERAL_FIRST + (Math.abs(start) % span);
  }

  /** Give `port` to `receiver` (EADDRINUSE if taken). */
  bind(port: number, receiver: UdpReceiver): void {
    if (!Number.isInteger(port) || port <= 0 || port > 0xffff) {
      throw new SyscallError('EINVAL', `UDP port ${port}`);
    }
    if (this.receivers.has(port))
      throw new SyscallError('EADDRINUSE', `UDP port ${port} is in use`);
    this.receivers.set(port, receiver);
  }

  /** Give `receiver` a free port of the dynamic range and return it. */
  bindEphemeral(receiver: UdpReceiver): number {
    for (let tries = UDP_EPHEMERAL_FIRST; tries <= UDP_EPHEMERAL_LAST; tries++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port === UDP_EPHEMERAL_LAST ? UDP_EPHEMERAL_FIRST : port + 1;
      if (!this.receivers.has(port)) {
        this.receivers.set(port, receiver);
        return port;
      }
    }
    throw new SyscallError('EADDRNOTAVAIL', 'every UDP port is in use');
  }

  unbind(port: number, receiver: UdpReceiver): void {
    if (this.receivers.get(port) === receiver) this.receivers.delete(port);
  }

  receiverFor(port: number): UdpReceiver | undefined {
    return this.receivers.get(port);
  }

  /** The ports in use, for `ss`. */
  ports(): number[] {
    return [...this.receivers.keys()].sort((a, b) => a - b);
  }
}
