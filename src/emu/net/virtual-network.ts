/**
 * The virtual network of DESIGN §2: one switch, the simulated hosts plugged
 * into it, and the machine's NIC. This is the place where hosts are added:
 * the gateway today; the DHCP server (handing out 10.0.2.15), DNS at
 * 10.0.2.3 and the named HTTP/HTTPS hosts with the networking issue (see
 * simulated-host.ts for what a host implements).
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import { EthernetSwitch, type EthernetEndpoint, type EthernetLink, type FrameTap } from './ethernet-switch';
import { Gateway } from './gateway';
import { PcapWriter } from './pcap-writer';
import type { SimulatedHost } from './simulated-host';

/** The guest's conventional address (handed out by DHCP once it exists). */
export const GUEST_IP = '10.0.2.15';
export const NETWORK_PREFIX = '10.0.2.0/24';

export class VirtualNetwork {
  readonly switch: EthernetSwitch;
  readonly gateway = new Gateway();
  readonly hosts: SimulatedHost[] = [];

  constructor(private readonly clock: VirtualClock) {
    this.switch = new EthernetSwitch(clock);
    this.addHost(this.gateway);
  }

  addHost(host: SimulatedHost): void {
    this.hosts.push(host);
    host.attach(this.switch.connect(host), this.clock);
  }

  saveState(): DeviceState {
    return { switch: this.switch.saveState(), hosts: this.hosts.map((host) => host.saveState()) };
  }

  /** Plug in the machine's NIC. */
  connectNic(nic: EthernetEndpoint): EthernetLink {
    return this.switch.connect(nic);
  }

  /** Watch every frame on the network; returns the function that removes the tap. */
  tap(listener: FrameTap): () => void {
    return this.switch.tap(listener);
  }

  /** Write every frame from now on as pcap to `sink`; returns the function that stops the capture. */
  capture(sink: (bytes: Uint8Array) => void, startTimeSeconds = 0): () => void {
    const writer = new PcapWriter(sink, startTimeSeconds);
    return this.tap(({ frame, timeNs }) => writer.writeFrame(frame, timeNs));
  }
}
