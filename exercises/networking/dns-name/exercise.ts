/**
 * Exercise networking/dns-name: a DNS name as it goes on the wire, labels
 * preceded by their lengths (RFC 1035 §3.1).
 *
 * The checks give `dnsname` random names and names that break the limits,
 * then resolve names over the virtual network, whose DNS server reads the
 * question the kernel wrote.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { bootOrExplain, randomBelow, runOrExplain } from '../../machine-text';
import { DIGITS, expectOutput, leaseOrExplain, LETTERS, randomText } from '../net-checks';
import { starter } from './starter';

function wire(name: string): number[] {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((label) => label !== '');
  return [
    ...labels.flatMap((label) => [label.length, ...[...label].map((c) => c.charCodeAt(0))]),
    0,
  ];
}

const hex = (bytes: readonly number[]): string =>
  bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

function randomName(): string {
  const labels = Array.from({ length: 1 + randomBelow(4) }, () =>
    randomText(1 + randomBelow(randomBelow(4) === 0 ? 63 : 12), `${LETTERS}${DIGITS}-`),
  );
  return `${labels.join('.')}${randomBelow(3) === 0 ? '.' : ''}`;
}

const checks: Check[] = [
  {
    name: '`dnsname` writes random names as length-prefixed labels',
    async run(machine) {
      await bootOrExplain(machine);
      for (const name of [
        'www.example.com',
        randomName(),
        randomName(),
        randomName(),
        randomName(),
        '.',
      ]) {
        const output = await runOrExplain(machine, `dnsname ${name}`);
        const expected = wire(name);
        if (!output.includes(`${expected.length} bytes: ${hex(expected)}`))
          throw new Error(
            `"${name}" goes on the wire as ${hex(expected)} (${expected.length} bytes), but \`dnsname ${name}\` printed:\n${output.trim()}\n\nEach label is preceded by its length, and a 0 (the root) ends the name${name.endsWith('.') ? '; a trailing dot adds no label' : ''}.`,
          );
      }
    },
  },
  {
    name: 'names a server could not read are refused',
    async run(machine) {
      await bootOrExplain(machine);
      const long = randomText(64 + randomBelow(10), LETTERS);
      const labels = Array.from({ length: 5 }, () => randomText(50 + randomBelow(10), LETTERS));
      const bad = [
        [
          `${randomText(3, LETTERS)}..${randomText(3, LETTERS)}`,
          'an empty label (two dots in a row)',
        ],
        [
          `${long}.test`,
          `a label of ${long.length} bytes (at most 63: the length byte's top two bits mean something else)`,
        ],
        [labels.join('.'), `a name of ${wire(labels.join('.')).length} bytes (at most 255)`],
      ] as const;
      for (const [name, why] of bad) {
        const output = await runOrExplain(machine, `dnsname ${name}`);
        if (!/^dnsname: /m.test(output))
          throw new Error(
            `\`dnsname ${name.length > 40 ? `${name.slice(0, 40)}…` : name}\` should fail with a RangeError for ${why}, but printed:\n${output.trim()}`,
          );
      }
    },
  },
  {
    name: "the virtual network's DNS server understands the questions: dns and httpget work",
    async run(machine) {
      await bootOrExplain(machine);
      await leaseOrExplain(
        machine,
        'The machine needs an address first: `dhcp` did not get a lease.',
      );
      const hint =
        'The DNS server reads the question the resolver sent, encoded by encodeDnsName(): a wrong encoding asks about another name, or is malformed.';
      await expectOutput(
        machine,
        'dns www.example.com',
        /alias for example\.com[\s\S]*has address 93\.184\.215\.14/,
        hint,
      );
      await expectOutput(machine, 'dns echo.cotton.test', /has address 203\.0\.113\.7/, hint);
      await expectOutput(machine, 'httpget files.cotton.test /hello.txt', /HTTP 200/, hint);
    },
  },
];

export const exercise: Exercise = {
  id: 'networking/dns-name',
  title: 'DNS names on the wire',
  file: 'src/kernel/net/wire/dns.ts',
  region: 'dns-name',
  statement: `
A DNS question carries the name it asks about, but not with dots: as **labels**, each preceded by
its length in one byte, ending with a zero byte, the empty label of the root (RFC 1035 §3.1).
\`www.example.com\` is \`03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00\`.

Write \`encodeDnsName(name)\` in \`src/kernel/net/wire/dns.ts\`: the bytes of the name as labels.

- A trailing dot (\`example.com.\`, the fully qualified form) adds nothing; \`""\` and \`"."\` are the root: \`00\`.
- Throw a \`RangeError\` for an empty label (\`a..b\`), a label longer than 63 bytes (a length byte's
  top two bits are taken: they mark compression pointers), a character outside printable ASCII or a
  backslash, and a name longer than 255 bytes in all.

The checks run \`dnsname NAME\` on random names and on broken ones, then \`dns\` and \`httpget\`.
`.trim(),
  starter,
  checks,
};
