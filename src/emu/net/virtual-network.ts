/**
 * The virtual network of docs/architecture.md §2, shaped like QEMU's user networking:
 *
 * | address        | MAC               | what                                         |
 * |----------------|-------------------|----------------------------------------------|
 * | 10.0.2.2       | 52:55:0a:00:02:02 | gateway and DHCP server (gateway.ts)         |
 * | 10.0.2.3       | 52:55:0a:00:02:03 | DNS, UDP 53 (dns-server.ts)                  |
 * | 10.0.2.15      | the NIC's         | the guest, by DHCP (pool 10.0.2.15-10.0.2.30) |
 * | 93.184.215.14  | via the gateway   | example.com: HTTP 80                         |
 * | 203.0.113.7    | via the gateway   | echo.cotton.test: echo TCP/UDP 7, discard TCP 9 |
 * | 203.0.113.8    | via the gateway   | files.cotton.test: HTTP 80                   |
 * | 203.0.113.20-30| via the gateway   | the TLS chapter's hosts: HTTPS 443           |
 *
 * example.com also serves HTTPS on 443 (tls-server/book-https-hosts.ts).
 *
 * One switch joins the hosts and the machine's NIC; the NIC's cable goes
 * through the link model (link-model.ts), which is ideal unless asked
 * otherwise. `forwardTcp` binds a virtual address and port to an outside
 * stream (tcp-forward.ts). All randomness - the link's losses, TCP's
 * initial sequence numbers, the TLS servers' randoms and key shares - comes
 * from generators seeded by the
 * configuration's seed, one per purpose, so that a changed link does not
 * change the sequence numbers.
 */
import type { VirtualClock } from '../clock';
import type { DeviceState } from '../device-state';
import {
  BOOK_ZONE,
  ECHO_HOST_ADDRESS,
  EXAMPLE_COM_ADDRESS,
  FILES_HOST_ADDRESS,
} from './book-hosts';
import { EXAMPLE_COM_SITE, FILES_SITE } from './book-sites';
import { DhcpServer, DHCP_DEFAULT_LEASE_SECONDS } from './dhcp-server';
import { DnsServer, DnsZone, DNS_SERVER_IP } from './dns-server';
import {
  DiscardService,
  DISCARD_PORT,
  ECHO_PORT,
  tcpEchoService,
  UdpEchoService,
} from './echo-services';
import {
  EthernetSwitch,
  type EthernetEndpoint,
  type EthernetLink,
  type FrameTap,
} from './ethernet-switch';
import { Gateway, GATEWAY_IP } from './gateway';
import { HttpServer, HTTP_PORT } from './http-server';
import { parseIpv4 } from './ipv4';
import { LinkModel, type LinkConditions } from './link-model';
import { PcapWriter } from './pcap-writer';
import { DEFAULT_NETWORK_SEED, SeededRandom } from './seeded-random';
import type { SimulatedHost } from './simulated-host';
import { forwardingService, type TcpForwardTarget } from './tcp-forward';
import { BOOK_HTTPS_HOSTS, HTTPS_PORT, httpsService } from './tls-server/book-https-hosts';

/** The guest's conventional address, the first the DHCP server hands out. */
export const GUEST_IP = '10.0.2.15';
export const NETWORK_PREFIX = '10.0.2.0/24';
export const NETWORK_MASK = '255.255.255.0';
const DHCP_POOL_SIZE = 16;
/** Mixed into the seed for the hosts' generator, so it differs from the link's. */
const HOST_SEED_SALT = 0x9e3779b9;
/** Mixed into the seed for the TLS servers' generator, so that TLS leaves the others alone. */
const TLS_SEED_SALT = 0x85ebca6b;

export interface VirtualNetworkConfig {
  /** Seeds the link model and the hosts' TCP sequence numbers. */
  readonly seed?: number;
  /** The guest link's conditions at power-on (ideal unless given). */
  readonly link?: Partial<LinkConditions>;
  readonly dhcpLeaseSeconds?: number;
}

export class VirtualNetwork {
  readonly switch: EthernetSwitch;
  readonly gateway: Gateway;
  readonly dns: DnsServer;
  readonly dhcp: DhcpServer;
  readonly link: LinkModel;
  readonly discard: DiscardService;
  readonly hosts: SimulatedHost[] = [];
  private readonly linkRandom: SeededRandom;
  private readonly hostRandom: SeededRandom;
  private readonly tlsRandom: SeededRandom;
  private readonly webServers: HttpServer[] = [];

  constructor(
    private readonly clock: VirtualClock,
    config: VirtualNetworkConfig = {},
  ) {
    const seed = config.seed ?? DEFAULT_NETWORK_SEED;
    this.linkRandom = new SeededRandom(seed);
    this.hostRandom = new SeededRandom((seed ^ HOST_SEED_SALT) >>> 0);
    this.tlsRandom = new SeededRandom((seed ^ TLS_SEED_SALT) >>> 0);
    this.switch = new EthernetSwitch(clock);
    this.link = new LinkModel(clock, this.linkRandom, config.link);
    this.dhcp = new DhcpServer(clock, {
      serverAddress: GATEWAY_IP,
      router: GATEWAY_IP,
      dnsServer: DNS_SERVER_IP,
      subnetMask: NETWORK_MASK,
      poolStart: GUEST_IP,
      poolSize: DHCP_POOL_SIZE,
      leaseSeconds: config.dhcpLeaseSeconds ?? DHCP_DEFAULT_LEASE_SECONDS,
    });
    this.gateway = new Gateway(this.hostRandom, this.dhcp);
    this.dns = new DnsServer(new DnsZone(BOOK_ZONE), this.hostRandom);
    this.discard = new DiscardService(clock);
    this.serveBookHosts();
    this.addHost(this.gateway);
    this.addHost(this.dns);
  }

  /** The named hosts behind the gateway: every A record's address, and the services of book-hosts.ts. */
  private serveBookHosts(): void {
    for (const entry of BOOK_ZONE)
      if (entry.type === 'A') this.gateway.addAddress(parseIpv4(entry.value));
    const exampleCom = new HttpServer(EXAMPLE_COM_SITE);
    const files = new HttpServer(FILES_SITE);
    this.webServers.push(exampleCom, files);
    this.gateway.addTcpService(parseIpv4(EXAMPLE_COM_ADDRESS), HTTP_PORT, exampleCom.service);
    this.gateway.addTcpService(parseIpv4(FILES_HOST_ADDRESS), HTTP_PORT, files.service);
    const echoHost = parseIpv4(ECHO_HOST_ADDRESS);
    this.gateway.addTcpService(echoHost, ECHO_PORT, tcpEchoService);
    this.gateway.addUdpService(echoHost, ECHO_PORT, new UdpEchoService());
    this.gateway.addTcpService(echoHost, DISCARD_PORT, this.discard.service);
    const tlsRandomBytes = (length: number) =>
      Uint8Array.from({ length }, () => this.tlsRandom.nextUint32() & 0xff);
    for (const host of BOOK_HTTPS_HOSTS) {
      const server = new HttpServer(host.site);
      this.webServers.push(server);
      const service = httpsService(host, server, tlsRandomBytes);
      this.gateway.addTcpService(parseIpv4(host.address), HTTPS_PORT, service);
    }
  }

  addHost(host: SimulatedHost): void {
    this.hosts.push(host);
    host.attach(this.switch.connect(host), this.clock);
  }

  /**
   * Hand TCP connections to `address`:`port` to `target` (the Node bridge to
   * real sockets). The gateway answers for the address, ARP included when
   * it is on 10.0.2.0/24 (10.0.2.100 is QEMU's usual choice).
   */
  forwardTcp(address: string, port: number, target: TcpForwardTarget): void {
    this.gateway.addTcpService(parseIpv4(address), port, forwardingService(target));
  }

  /** Change the guest link's conditions from now on (the book's "bad network" experiments). */
  setLinkConditions(conditions: Partial<LinkConditions>): void {
    this.link.setConditions(conditions);
  }

  saveState(): DeviceState {
    return {
      switch: this.switch.saveState(),
      hosts: this.hosts.map((host) => host.saveState()),
      link: this.link.saveState(),
      linkRandom: this.linkRandom.saveState(),
      hostRandom: this.hostRandom.saveState(),
      tlsRandom: this.tlsRandom.saveState(),
      discard: this.discard.saveState(),
      requestsServed: this.webServers.map((server) => server.requestsServed),
    };
  }

  /** Plug in the machine's NIC, through the link model. */
  connectNic(nic: EthernetEndpoint): EthernetLink {
    const port = this.switch.connect({
      name: nic.name,
      receiveFrame: (frame) =>
        this.link.carry('to guest', frame, (carried) => nic.receiveFrame(carried)),
    });
    return {
      send: (frame) => this.link.carry('from guest', frame, (carried) => port.send(carried)),
    };
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
