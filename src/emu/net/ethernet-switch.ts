/**
 * The virtual network's Ethernet switch: a learning bridge (IEEE 802.1D §7.8
 * in spirit) that the machine's NIC and the simulated hosts plug into.
 *
 * A frame sent on a port teaches the switch where its source MAC lives; it
 * goes to the port that learned its destination, or to every other port when
 * the destination is unknown, broadcast or multicast. Each frame arrives
 * SWITCH_LATENCY_NS of virtual time after it was sent, scheduled on the
 * machine's clock, so replies never arrive inside the call that sent the
 * request and a run is the same every time. Taps see every frame once, as it
 * enters the switch: that is where the pcap writer listens.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import { formatMac, isMulticast } from './ethernet';

/** One-way latency through the switch. */
export const SWITCH_LATENCY_NS = 50_000;

/** Something with an Ethernet interface: the NIC, or a simulated host. */
export interface EthernetEndpoint {
  readonly name: string;
  /** A frame the switch delivers to this endpoint (without FCS). */
  receiveFrame(frame: Uint8Array): void;
}

/** What an endpoint holds after plugging in: its way to send. */
export interface EthernetLink {
  /** Send a frame (without FCS) into the switch; the bytes are copied. */
  send(frame: Uint8Array): void;
}

/** What a tap sees of each frame. */
export interface TappedFrame {
  readonly frame: Uint8Array;
  /** Virtual time the frame entered the switch, in nanoseconds. */
  readonly timeNs: number;
  /** Name of the endpoint that sent it. */
  readonly from: string;
}

export type FrameTap = (tapped: TappedFrame) => void;

export class EthernetSwitch {
  private readonly ports: EthernetEndpoint[] = [];
  private readonly learned = new Map<string, EthernetEndpoint>();
  private readonly taps = new Set<FrameTap>();
  framesForwarded = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly latencyNs = SWITCH_LATENCY_NS,
  ) {}

  /** Plug an endpoint into a free port. */
  connect(endpoint: EthernetEndpoint): EthernetLink {
    this.ports.push(endpoint);
    return { send: (frame) => this.forward(endpoint, frame.slice()) };
  }

  /** The learned MAC table (frames in flight are clock events); taps are the host's. */
  saveState(): DeviceState {
    const learned = [...this.learned]
      .map(([mac, port]) => [mac, port.name])
      .sort(([a], [b]) => (a! < b! ? -1 : 1));
    return { framesForwarded: this.framesForwarded, learned };
  }

  /** Watch every frame; returns the function that removes the tap. */
  tap(listener: FrameTap): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  private forward(from: EthernetEndpoint, frame: Uint8Array): void {
    if (frame.length < 14) return;
    this.framesForwarded++;
    for (const tap of this.taps) tap({ frame, timeNs: this.clock.now, from: from.name });
    const source = frame.subarray(6, 12);
    if (!isMulticast(source)) this.learned.set(formatMac(source), from);
    const destination = frame.subarray(0, 6);
    const known = isMulticast(destination) ? undefined : this.learned.get(formatMac(destination));
    const targets = known ? [known] : this.ports;
    for (const port of targets) {
      if (port !== from)
        this.clock.schedule(this.clock.now + this.latencyNs, () => port.receiveFrame(frame));
    }
  }
}
