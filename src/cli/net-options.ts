/**
 * The network flags of `cotton boot`:
 *
 *   --pcap FILE                     write every Ethernet frame to FILE (pcap, for Wireshark/tshark)
 *   --net-loss PCT                  drop PCT % of the frames on the machine's link (each way)
 *   --net-delay MS                  add MS milliseconds of one-way latency
 *   --net-dup PCT                   send PCT % of the frames twice
 *   --net-reorder PCT               hold back PCT % of the frames behind the next one
 *   --net-bandwidth KBPS            limit the link to KBPS kilobits per second (0: no limit)
 *   --net-seed N                    seed of the link's randomness (losses, reordering)
 *   --net-forward VIRT:PORT=HOST:PORT  connections to VIRT:PORT go to a real HOST:PORT
 *
 * The link conditions and the seed are part of the machine's configuration
 * (src/emu/net/virtual-network.ts), so they go into a snapshot and a replay
 * loses the same frames. A forward reaches outside the machine, so a session
 * that uses one cannot be replayed byte for byte.
 */
import { writeSync, openSync } from 'node:fs';
import type { CottonPC } from '../emu/machine';
import type { LinkConditions } from '../emu/net/link-model';
import type { VirtualNetworkConfig } from '../emu/net/virtual-network';
import { applyNetForwards, parseNetForward, type NetForwardSpec } from './net-bridge';

export interface NetArguments {
  /** The seed and link conditions at power-on. */
  network: { seed?: number; link: Partial<Record<keyof LinkConditions, number>> };
  forwards: NetForwardSpec[];
  pcap?: string;
}

export const NET_USAGE =
  '[--pcap FILE] [--net-loss PCT] [--net-delay MS] [--net-dup PCT] [--net-reorder PCT] [--net-bandwidth KBPS] [--net-seed N] [--net-forward VIRT:PORT=HOST:PORT]...';

const LINK_FLAGS: Record<string, keyof LinkConditions> = {
  '--net-loss': 'lossPercent',
  '--net-delay': 'delayMs',
  '--net-dup': 'duplicatePercent',
  '--net-reorder': 'reorderPercent',
  '--net-bandwidth': 'bandwidthKbps',
};

export function emptyNetArguments(): NetArguments {
  return { network: { link: {} }, forwards: [] };
}

/** Take one network flag and its value into `args`; false if `flag` is not a network flag. */
export function parseNetFlag(flag: string, value: () => string, args: NetArguments): boolean {
  const field = LINK_FLAGS[flag];
  if (field) {
    const number = Number(value());
    if (!Number.isFinite(number) || number < 0) throw new Error(`${flag} needs a number >= 0`);
    args.network.link[field] = number;
  } else if (flag === '--net-seed') {
    const seed = Number(value());
    if (!Number.isInteger(seed) || seed < 0) throw new Error('--net-seed needs an integer >= 0');
    args.network.seed = seed;
  } else if (flag === '--net-forward') args.forwards.push(parseNetForward(value()));
  else if (flag === '--pcap') args.pcap = value();
  else return false;
  return true;
}

/** The configuration for the machine: only what was given, so a default boot's snapshot is unchanged. */
export function networkConfig(args: NetArguments): VirtualNetworkConfig | undefined {
  const hasLink = Object.keys(args.network.link).length > 0;
  if (!hasLink && args.network.seed === undefined) return undefined;
  return {
    ...(args.network.seed === undefined ? {} : { seed: args.network.seed }),
    ...(hasLink ? { link: args.network.link } : {}),
  };
}

/** What to do with each machine at power-on: install the forwards, start the capture. */
export function networkSetUp(args: NetArguments): ((machine: CottonPC) => void) | undefined {
  if (args.forwards.length === 0 && args.pcap === undefined) return undefined;
  const file = args.pcap === undefined ? null : openSync(args.pcap, 'w');
  let started = false;
  return (machine) => {
    applyNetForwards(machine.network, args.forwards);
    if (file === null) return;
    // One file across reboots: the global header only once.
    let skipHeader = started;
    started = true;
    machine.network.capture((bytes) => {
      if (skipHeader) {
        skipHeader = false;
        return;
      }
      writeSync(file, bytes);
    });
  };
}
