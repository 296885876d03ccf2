/**
 * The small services of echo.cotton.test (203.0.113.7), the ones old Unix
 * machines ran in inetd for testing networks:
 *
 * - Echo (RFC 862) on TCP and UDP port 7: whatever arrives goes back; a
 *   TCP echo closes its side when the client closes its.
 * - Discard (RFC 863) on TCP port 9: whatever arrives is thrown away, and
 *   counted with the virtual times of the first and last byte, so a
 *   benchmark can measure the guest's sending rate at the receiving end.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import type { UdpReply, UdpRequest, UdpService } from './service-host';
import type { TcpApplication, TcpService } from './tcp-endpoint';

export const ECHO_PORT = 7;
export const DISCARD_PORT = 9;

/** TCP echo: each connection sends back what it receives. */
export const tcpEchoService: TcpService = (socket) => {
  let echoed = 0;
  return {
    data(bytes) {
      echoed += bytes.length;
      socket.send(bytes);
    },
    end: () => socket.end(),
    close() {},
    saveState: () => ({ echoed }),
  };
};

export class UdpEchoService implements UdpService {
  datagramsEchoed = 0;

  receive(request: UdpRequest): UdpReply {
    this.datagramsEchoed++;
    return { payload: request.payload };
  }

  saveState(): DeviceState {
    return { datagramsEchoed: this.datagramsEchoed };
  }
}

export interface DiscardStatistics {
  readonly connections: number;
  readonly bytes: number;
  /** Virtual time of the first and the latest byte received, or null before any. */
  readonly firstByteNs: number | null;
  readonly lastByteNs: number | null;
}

/** TCP discard: counts what every connection sends, then forgets it. */
export class DiscardService {
  private connections = 0;
  private bytes = 0;
  private firstByteNs: number | null = null;
  private lastByteNs: number | null = null;

  constructor(private readonly clock: VirtualClock) {}

  readonly service: TcpService = (socket): TcpApplication => {
    this.connections++;
    return {
      data: (bytes) => this.count(bytes.length),
      end: () => socket.end(),
      close() {},
      saveState: () => ({}),
    };
  };

  statistics(): DiscardStatistics {
    return {
      connections: this.connections,
      bytes: this.bytes,
      firstByteNs: this.firstByteNs,
      lastByteNs: this.lastByteNs,
    };
  }

  saveState(): DeviceState {
    return { ...this.statistics() };
  }

  private count(length: number): void {
    this.bytes += length;
    this.firstByteNs ??= this.clock.now;
    this.lastByteNs = this.clock.now;
  }
}
