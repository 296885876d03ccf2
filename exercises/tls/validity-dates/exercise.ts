/**
 * Exercise tls/validity-dates: a certificate is valid only between its
 * notBefore and notAfter (RFC 5280 sections 4.1.2.5 and 6.1.3).
 *
 * The machine's clock says 2026; expired.cotton.test presents a certificate
 * that ended in 2021 and not-yet-valid.cotton.test one that begins in 2040.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { bootOnline, expectPage, expectRefusal } from '../tls-checks';
import { starter } from './starter';

const VALID_HINT =
  'These chains are valid from 2025 to 2035 (the intermediate CA from 2020 to 2055): a certificate is valid when notBefore <= now <= notAfter.';

const checks: Check[] = [
  {
    name: 'an expired certificate is refused, a current one is not',
    async run(machine) {
      await bootOnline(machine);
      await expectRefusal(
        machine,
        'expired.cotton.test',
        /expired at 2021/,
        "expired.cotton.test's certificate ended on 2021-01-01 (notAfter); the machine's clock says 2026. An expired certificate is no longer on its CA's revocation lists, and its key may long since have leaked: checkValidityPeriods() must return the failure 'expired'.",
      );
      await expectPage(machine, 'valid.cotton.test', VALID_HINT);
    },
  },
  {
    name: 'a certificate that is not valid yet is refused, current ones are not',
    async run(machine) {
      await bootOnline(machine);
      await expectRefusal(
        machine,
        'not-yet-valid.cotton.test',
        /valid only from 2040/,
        "not-yet-valid.cotton.test's certificate begins on 2040-01-01 (notBefore); the machine's clock says 2026. checkValidityPeriods() must return the failure 'not-yet-valid'.",
      );
      await expectPage(machine, 'example.com', VALID_HINT);
      await expectPage(machine, 'ed25519.cotton.test', VALID_HINT);
    },
  },
];

export const exercise: Exercise = {
  id: 'tls/validity-dates',
  title: 'Certificates expire',
  file: 'src/kernel/net/pki/chain.ts',
  region: 'validity-dates',
  statement: `
Every certificate carries a validity period, **notBefore** and **notAfter** (RFC 5280 §4.1.2.5).
Path validation checks it for every certificate of the chain against the current time (§6.1.3):
a CA vouches for a key only for that time, and after it no longer tracks whether the key leaked.

Write \`checkValidityPeriods(path, { now })\` in \`src/kernel/net/pki/chain.ts\`: \`now\` and the
dates are Unix seconds; for the first certificate (leaf first) that is outside its period, return
a \`Problem\` with failure \`'expired'\` (with a message like
\`'CN=…' expired at 2021-01-01T00:00:00Z (notAfter); now is …\`) or \`'not-yet-valid'\`
(\`'CN=…' is valid only from 2040-01-01T00:00:00Z (notBefore); now is …\`); \`null\` when all are valid.

The checks fetch from expired.cotton.test and not-yet-valid.cotton.test, which must be refused,
and from hosts whose chains are valid.
`.trim(),
  starter,
  checks,
};
