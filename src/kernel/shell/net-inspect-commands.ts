/**
 * Commands that run one piece of the network stack on input typed at the
 * shell, with no network involved: the Internet checksum of some bytes
 * (`cksum`), the wire form of a DNS name (`dnsname`), and TCP's
 * retransmission timeout after a series of round-trip samples (`rto`).
 *
 * They let the networking chapter (and its exercises' checks) look at one
 * function at a time, the way `walk` shows one page-table walk: the stack
 * calls the same functions on every packet, where they are hard to see.
 */
import { RetransmissionTimeout } from '../net/tcp/rto';
import { internetChecksum } from '../net/wire/checksum';
import { encodeDnsName } from '../net/wire/dns';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

/** The longest `cksum` input, in bytes: a full Ethernet payload. */
const CKSUM_MAX_BYTES = 1500;

export const NET_INSPECT_COMMANDS: readonly ShellCommand[] = [
  {
    name: 'cksum',
    usage: '<hex bytes>',
    help: 'the Internet checksum (RFC 1071) of bytes given in hex',
    run: cksum,
  },
  {
    name: 'dnsname',
    usage: '<name>',
    help: 'a DNS name as it is sent: length-prefixed labels, in hex',
    run: dnsname,
  },
  {
    name: 'rto',
    usage: '<rtt ms>...',
    help: "TCP's SRTT, RTTVAR and RTO after each round-trip sample (RFC 6298)",
    run: rto,
  },
];

function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** Hex digits (spaces and colons allowed between bytes) as bytes, or null if they are not. */
function parseHex(text: string): Uint8Array | null {
  const digits = text.replace(/[\s:]/g, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) return null;
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) =>
    Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16),
  );
}

function cksum(args: string[], sh: ShellContext): ExitStatus {
  const bytes = parseHex(args.join(''));
  if (args.length === 0 || bytes === null || bytes.length > CKSUM_MAX_BYTES) {
    sh.println(
      `usage: cksum <hex bytes> (an even number of hex digits, at most ${CKSUM_MAX_BYTES} bytes)`,
    );
    return EXIT_FAILURE;
  }
  const checksum = internetChecksum(bytes);
  sh.println(`${bytes.length} bytes, checksum 0x${checksum.toString(16).padStart(4, '0')}`);
  return EXIT_SUCCESS;
}

function dnsname(args: string[], sh: ShellContext): ExitStatus {
  if (args.length !== 1) {
    sh.println('usage: dnsname <name>');
    return EXIT_FAILURE;
  }
  try {
    const bytes = encodeDnsName(args[0]!);
    sh.println(`${bytes.length} bytes: ${bytes.map(hexByte).join(' ')}`);
    return EXIT_SUCCESS;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    sh.println(`dnsname: ${error.message}`);
    return EXIT_FAILURE;
  }
}

function formatMs(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

function rto(args: string[], sh: ShellContext): ExitStatus {
  const samples = args.map(Number);
  if (args.length === 0 || samples.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    sh.println('usage: rto <rtt ms>... (round-trip samples, in milliseconds)');
    return EXIT_FAILURE;
  }
  const timer = new RetransmissionTimeout();
  sh.println(
    `${'sample'.padStart(10)} ${'srtt'.padStart(10)} ${'rttvar'.padStart(10)} ${'rto'.padStart(10)}`,
  );
  sh.println(
    `${'-'.padStart(10)} ${'-'.padStart(10)} ${'-'.padStart(10)} ${formatMs(timer.rto).padStart(10)}`,
  );
  for (const sample of samples) {
    timer.addSample(sample);
    sh.println(
      [sample, timer.smoothedRtt, timer.rttVariation, timer.rto]
        .map((value) => formatMs(value).padStart(10))
        .join(' '),
    );
  }
  return EXIT_SUCCESS;
}
