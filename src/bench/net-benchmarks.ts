/**
 * Speed of the network stack on the booted machine, in fast mode.
 *
 *   net.ping_rtt_ms          mean round-trip time of `ping 10.0.2.2`, virtual ms
 *   net.ping_wall_ms         wall time per echo request and reply (the command's
 *                            wall time over its count; the 1 s pauses cost nothing
 *                            in fast mode)
 *   tcp.bulk_mb_s            `tcpbulk` of 4 MiB to the discard service (kernel to a
 *                            simulated host), MB (10^6 bytes) per wall second
 *   tcp.bulk_virtual_mb_s    the same transfer per virtual second
 *   tcp.bulk_lossy_mb_s      the same with 1% of the frames lost each way, per wall second
 *   net.fuzz_frames_s        seeded broken frames injected into the NIC, per wall second
 */
import type { MachineHost } from '../runtime/host/machine-host';
import { bootFromRepo } from '../runtime/node/node-host';
import type { VirtualNetworkConfig } from '../emu/net/virtual-network';
import { uniformRandom } from '../runtime/host/seeded-random';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const BULK_BYTES = 4 * 1024 * 1024;
const PINGS = 20;
const FUZZ_FRAMES = 50_000;
const round = (n: number): number => Math.round(n * 1000) / 1000;
const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');

function booted(network?: VirtualNetworkConfig): MachineHost {
  const host = bootFromRepo(network ? { network } : {});
  host.runUntilPrompt();
  return host;
}

function ping(): Result[] {
  const host = booted();
  host.command('ping 10.0.2.2 1'); // ARP first
  const start = performance.now();
  const out = plain(host.command(`ping 10.0.2.2 ${PINGS}`, 120_000));
  const wall = performance.now() - start;
  const average = Number(/rtt min\/avg\/max = [\d.]+\/([\d.]+)\//.exec(out)?.[1]);
  return [
    { name: 'net.ping_rtt_ms', value: round(average), unit: 'ms' },
    { name: 'net.ping_wall_ms', value: round(wall / PINGS), unit: 'ms' },
  ];
}

function bulk(name: string, network?: VirtualNetworkConfig): Result[] {
  const host = booted(network);
  host.command('tcpbulk echo.cotton.test 9 65536'); // warm up: ARP, the JIT
  const start = performance.now();
  const out = plain(host.command(`tcpbulk echo.cotton.test 9 ${BULK_BYTES}`, 3_600_000));
  const seconds = (performance.now() - start) / 1000;
  const virtualMs = Number(/sent \d+ bytes in (\d+) ms/.exec(out)?.[1]);
  const results = [{ name, value: round(BULK_BYTES / 1e6 / seconds), unit: 'MB/s' }];
  if (!network) {
    const value = round(BULK_BYTES / 1e6 / (virtualMs / 1000));
    results.push({ name: 'tcp.bulk_virtual_mb_s', value, unit: 'MB/s' });
  }
  return results;
}

/** An IPv4 frame to the guest with random header bytes and a random payload. */
function brokenFrame(random: () => number): Uint8Array {
  const frame = new Uint8Array(42 + Math.floor(random() * 200));
  frame.set([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0, 0, 0, 0xf0, 0x22, 0x08, 0x00]);
  for (let i = 14; i < frame.length; i++) frame[i] = Math.floor(random() * 256);
  frame[14] = random() < 0.8 ? 0x45 : frame[14]!;
  frame.set([10, 0, 2, 15], 30);
  return frame;
}

function fuzz(): Result {
  const host = booted();
  const random = uniformRandom(1);
  const port = host.machine.network.switch.connect({ name: 'fuzzer', receiveFrame: () => {} });
  const start = performance.now();
  for (let sent = 0; sent < FUZZ_FRAMES; sent += 24) {
    for (let i = 0; i < 24; i++) port.send(brokenFrame(random));
    host.runUntil(host.machine.clock.now + 300_000);
  }
  const seconds = (performance.now() - start) / 1000;
  return { name: 'net.fuzz_frames_s', value: Math.round(FUZZ_FRAMES / seconds), unit: 'frames/s' };
}

export function netBenchmarks(): Result[] {
  return [
    ...ping(),
    ...bulk('tcp.bulk_mb_s'),
    ...bulk('tcp.bulk_lossy_mb_s', { seed: 1, link: { lossPercent: 1 } }),
    fuzz(),
  ];
}
