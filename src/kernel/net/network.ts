/**
 * Networking at boot: the card, the stack on top of it, the network
 * thread, and DHCP - what `kernel.net` holds once the kernel is up.
 *
 * Boot (boot/entry.ts) probes for the RTL8139 right after memory is set up,
 * because the driver needs DMA memory and an interrupt line; it logs what it
 * found, as Linux's "eth0: RTL-8139C at 0xc000, 52:54:00:12:34:56, IRQ 11".
 * With no card the kernel simply has no network (`kernel.net` is null) and
 * every network command says so. Then init (boot/kernel-init.ts) starts the
 * network thread and runs DHCP before it starts the shell, so the
 * interface has an address when the first prompt appears - as a distribution
 * waits for network-online before the login prompt - and keeps a thread that
 * renews the lease.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { Pic8259Pair } from '../arch/pic8259';
import { Rtl8139Nic } from '../drivers/rtl8139-nic';
import { describePciDevice } from '../drivers/pci-config';
import type { Pit8254 } from '../drivers/pit8254';
import { hex } from '../lib/format';
import type { KernelLog } from '../lib/klog';
import type { RandomPool } from '../lib/random';
import type { KernelHeap } from '../mm/kernel-heap';
import { PRIORITY_HIGHEST, spawn, ticksNow } from '../sched/scheduler';
import { DhcpClient, DhcpError } from './dhcp-client';
import { DnsResolver } from './dns-resolver';
import { NetStack } from './net-stack';
import { networkThread } from './net-thread';

/** The network as the rest of the kernel sees it. */
export interface Network {
  readonly nic: Rtl8139Nic;
  readonly stack: NetStack;
  readonly dhcp: DhcpClient;
  readonly dns: DnsResolver;
}

export interface NetworkHardware {
  readonly cpu: MachineInterface;
  readonly pic: Pic8259Pair;
  readonly pit: Pit8254;
  readonly heap: KernelHeap;
  readonly random: RandomPool;
  readonly log: KernelLog;
}

/** Find and start the card and build the stack on it; null (and a log line) without a card. */
export function probeNetwork(hardware: NetworkHardware): Network | null {
  const { cpu, pic, pit, heap, random, log } = hardware;
  const nic = Rtl8139Nic.probe(cpu, pic, heap);
  if (!nic) {
    log.log('net', 'no network card found: networking is off');
    return null;
  }
  log.log('pci', describePciDevice(nic.pci));
  log.log(nic.name, `RTL8139 at io ${hex(nic.ioBase)}, MAC ${nic.mac}, irq ${nic.irq}`);
  log.log(nic.name, nic.linkStatus());
  const word = new Uint8Array(4);
  const stack = new NetStack(nic, {
    now: ticksNow,
    nowMicros: () => pit.uptimeMicros(),
    random32: () => {
      random.fill(word, ticksNow());
      return new DataView(word.buffer).getUint32(0);
    },
  });
  return { nic, stack, dhcp: new DhcpClient(stack, log), dns: new DnsResolver(stack) };
}

/** Start the network thread, get a lease, and leave a thread that renews it. */
export function* startNetwork(network: Network, log: KernelLog): Generator<void, void, void> {
  spawn('net', networkThread(network.stack, network.nic), PRIORITY_HIGHEST);
  try {
    yield* network.dhcp.acquire();
  } catch (error) {
    if (!(error instanceof DhcpError)) throw error;
    log.log('dhcp', `${error.message}: no address (set one with setip)`);
  }
  spawn('dhcp', network.dhcp.renewalThread());
}
