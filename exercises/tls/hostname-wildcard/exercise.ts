/**
 * Exercise tls/hostname-wildcard: does a certificate's name, perhaps a
 * wildcard, cover the host the client connected to (RFC 6125 section 6.4)?
 *
 * valid.cotton.test presents a certificate for *.cotton.test, example.com
 * one for example.com and www.example.com, and wrong-host.cotton.test one for
 * example.net: the checks fetch from each.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { bootOnline, expectPage, expectRefusal } from '../tls-checks';
import { starter } from './starter';

const checks: Check[] = [
  {
    name: 'exact names match: example.com and www.example.com',
    async run(machine) {
      await bootOnline(machine);
      const hint =
        "example.com's certificate lists example.com and www.example.com: a pattern without '*' matches exactly that name.";
      await expectPage(machine, 'example.com', hint);
      await expectPage(machine, 'www.example.com', hint);
    },
  },
  {
    name: 'a wildcard covers one label: *.cotton.test is good for valid.cotton.test',
    async run(machine) {
      await bootOnline(machine);
      const hint =
        "valid.cotton.test and hello-retry.cotton.test present a certificate for *.cotton.test: '*' stands for the first label of the name, and the rest must equal the pattern after '*.'.";
      await expectPage(machine, 'valid.cotton.test', hint);
      await expectPage(machine, 'hello-retry.cotton.test', hint);
    },
  },
  {
    name: 'wrong-host.cotton.test is refused with a hostname mismatch, example.com is not',
    async run(machine) {
      await bootOnline(machine);
      await expectPage(
        machine,
        'example.com',
        "example.com's certificate lists example.com: the same name must match.",
      );
      await expectRefusal(
        machine,
        'wrong-host.cotton.test',
        /hostname mismatch|not 'wrong-host\.cotton\.test'/,
        'wrong-host.cotton.test presents a certificate for example.net: anyone with a certificate for some other name could pose as this host if it were accepted.',
      );
    },
  },
];

export const exercise: Exercise = {
  id: 'tls/hostname-wildcard',
  title: 'Whose certificate is it?',
  file: 'src/kernel/net/pki/hostname.ts',
  region: 'hostname-wildcard',
  statement: `
A valid chain only proves that a CA vouches for *some* name. The client must also check that the
name is the host it meant to reach: one of the DNS names in the certificate's subjectAltName must
match (RFC 6125 §6.4).

Write \`matchesPattern(pattern, name)\` in \`src/kernel/net/pki/hostname.ts\` (both are lower case,
without a trailing dot):

- a pattern without \`*\` matches only the same name;
- \`*.cotton.test\` matches \`valid.cotton.test\`: the \`*\` is exactly one label, so it matches
  neither \`cotton.test\` nor \`a.b.cotton.test\`;
- a wildcard is allowed only where \`wildcardMayCover(base)\` says so (\`*.com\` would vouch for
  every .com site).

The checks fetch pages from hosts whose certificates carry exact names and a wildcard, and from
wrong-host.cotton.test, which presents a certificate for example.net and must be refused.
`.trim(),
  starter,
  checks,
};
