/**
 * Exercise networking/internet-checksum: the checksum of RFC 1071 that
 * IPv4 headers, ICMP, UDP and TCP carry.
 *
 * The checks give `cksum` random bytes (odd and even lengths) and compare
 * with RFC 1071, then use the network: the virtual network's hosts drop a
 * packet whose checksum is wrong, and the kernel drops theirs when its own
 * computation disagrees, so `dhcp`, `ping` and a TCP echo of random lines
 * only work with a right checksum.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { bootOrExplain, randomBelow, runOrExplain } from '../../machine-text';
import { DIGITS, expectOutput, leaseOrExplain, LETTERS, randomText } from '../net-checks';
import { starter } from './starter';

/** RFC 1071, for comparison. */
function rfc1071(bytes: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const hex = (bytes: readonly number[]): string =>
  bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** Random bytes, mostly large ones so that the sum carries. */
function randomBytes(length: number): number[] {
  return Array.from({ length }, () =>
    randomBelow(4) === 0 ? randomBelow(256) : 0xc0 + randomBelow(64),
  );
}

const checks: Check[] = [
  {
    name: '`cksum` gives the RFC 1071 checksum of random bytes, odd lengths too',
    async run(machine) {
      await bootOrExplain(machine);
      const lengths = [
        2,
        1,
        20,
        3 + 2 * randomBelow(30),
        2 + 2 * randomBelow(200),
        1 + randomBelow(500),
      ];
      for (const length of lengths) {
        const bytes = randomBytes(length);
        const output = await runOrExplain(machine, `cksum ${hex(bytes)}`);
        const found = /checksum 0x([0-9a-f]{4})/.exec(output);
        const expected = rfc1071(bytes);
        if (found === null || Number.parseInt(found[1]!, 16) !== expected) {
          const shown = length > 12 ? `${hex(bytes.slice(0, 12))}… (${length} bytes)` : hex(bytes);
          const odd =
            length % 2 === 1
              ? ' The length is odd: the last byte is the high half of a word whose low byte is 0.'
              : '';
          const carries =
            ' Carries out of bit 15 go back in at bit 0 (fold until the sum fits in 16 bits), and the result is the complement.';
          throw new Error(
            `The checksum of ${shown} is 0x${expected.toString(16).padStart(4, '0')}, but \`cksum\` printed:\n${output.trim()}\n\n${`${odd}${carries}`.trim()}`,
          );
        }
      }
    },
  },
  {
    name: 'packets carry it: dhcp, ping and a TCP echo of random lines work',
    async run(machine) {
      await bootOrExplain(machine);
      const hint =
        "Every IPv4 header carries internetChecksum() of its 20 bytes, and the virtual network's hosts drop a datagram whose header does not sum to 0xffff: nothing the machine sends gets an answer.";
      await leaseOrExplain(machine, hint);
      await expectOutput(
        machine,
        'ping 10.0.2.2 2',
        /2 received/,
        'ICMP echo requests carry the checksum over the whole message.',
      );
      await expectOutput(
        machine,
        'tcpconnect echo.cotton.test 7',
        /connected/,
        'TCP segments carry the checksum over a pseudo-header and the segment.',
      );
      for (let i = 0; i < 3; i++) {
        const line = randomText(1 + randomBelow(40), LETTERS + DIGITS);
        await runOrExplain(machine, `tcpsend ${line}`);
        const back = await runOrExplain(machine, 'tcprecv');
        if (!back.includes(line))
          throw new Error(
            `The echo server should send back "${line}" (${line.length + 2} bytes with CR LF), but \`tcprecv\` printed:\n${back.trim()}\n\nA segment with an odd number of bytes needs the left-over byte as the high half of a last word.`,
          );
      }
      await runOrExplain(machine, 'tcpclose');
    },
  },
];

export const exercise: Exercise = {
  id: 'networking/internet-checksum',
  title: 'The Internet checksum',
  file: 'src/kernel/net/wire/checksum.ts',
  region: 'internet-checksum',
  statement: `
Every IPv4 header, ICMP message, UDP datagram and TCP segment carries a 16-bit **checksum**, the one
of RFC 1071: add the bytes up as 16-bit big-endian words in *ones-complement* arithmetic (a carry
out of the top bit is added back at the bottom) and send the complement of the sum. A receiver adds
up the same bytes *with* the checksum field and gets 0xFFFF — so computing the checksum over them
gives 0 — unless something changed on the way.

Write \`internetChecksum()\` in \`src/kernel/net/wire/checksum.ts\`:

- the words are \`(bytes[i] << 8) | bytes[i + 1]\`, from \`offset\` for \`length\` bytes;
- an odd length leaves one byte: it is the high half of a last word whose low half is 0;
- start from \`initialSum\` (UDP and TCP pass the sum of their pseudo-header);
- fold the carries (\`(sum & 0xffff) + (sum >>> 16)\` until it fits) and return \`~sum & 0xffff\`.

The checks run \`cksum HEX\` on random bytes, then \`dhcp\`, \`ping\` and a TCP echo: the virtual
network's hosts drop whatever arrives with a wrong checksum. Try \`cksum 4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7\`:
an IPv4 header with its checksum field zeroed, whose checksum is 0xb861.
`.trim(),
  starter,
  checks,
};
