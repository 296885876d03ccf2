/**
 * Exercise tls/hkdf-expand-label: the one function every key of TLS 1.3 is
 * derived through (RFC 8446 section 7.1).
 *
 * The checks shake hands with the virtual network's HTTPS servers: a wrong
 * HkdfLabel gives keys the server does not have, and the first encrypted
 * record fails to decrypt.
 */
import type { Check, Exercise } from '../../../src/runtime/host/exercise';
import { expectOutput } from '../../networking/net-checks';
import { bootOnline, expectPage } from '../tls-checks';
import { starter } from './starter';

const HINT =
  'Every secret after the key exchange comes from hkdfExpandLabel(): the handshake traffic ' +
  'secrets, the record keys and IVs, the Finished keys. The server computes them from the same ' +
  'bytes: uint16 length, then "tls13 " + label with a one-byte length, then the context with a ' +
  "one-byte length. One byte off and the keys differ: the server's EncryptedExtensions does " +
  'not decrypt (bad_record_mac).';

const checks: Check[] = [
  {
    name: '`tls example.com` completes the handshake',
    async run(machine) {
      await bootOnline(machine);
      await expectOutput(machine, 'tls example.com', /verdict: trusted/, HINT);
    },
  },
  {
    name: 'pages come over HTTPS, also after a HelloRetryRequest',
    async run(machine) {
      await bootOnline(machine);
      await expectPage(machine, 'valid.cotton.test', HINT);
      await expectPage(machine, 'hello-retry.cotton.test', HINT);
      await expectPage(machine, 'p384.cotton.test', HINT);
    },
  },
];

export const exercise: Exercise = {
  id: 'tls/hkdf-expand-label',
  title: 'HKDF-Expand-Label',
  file: 'src/kernel/net/tls/key-schedule.ts',
  region: 'hkdf-expand-label',
  statement: `
TLS 1.3 derives every key from a few secrets with one function, **HKDF-Expand-Label** (RFC 8446
§7.1). It is HKDF-Expand (RFC 5869) with an \`info\` that names what is derived:

\`\`\`
struct {
  uint16 length = Length;
  opaque label<7..255> = "tls13 " + Label;
  opaque context<0..255> = Context;
} HkdfLabel;
\`\`\`

Write \`hkdfExpandLabel(hash, secret, label, context, length)\` in
\`src/kernel/net/tls/key-schedule.ts\`: build HkdfLabel's bytes (\`u16\`, \`vector8\`,
\`asciiBytes\`, \`concatBytes\` and \`LABEL_PREFIX\` are in the file) and return
\`expand(hash, secret, hkdfLabel, length)\`.

The checks shake hands with example.com and the book's test servers. The server derives the same
keys from the same bytes: get one byte wrong and the first encrypted record does not decrypt.
`.trim(),
  starter,
  checks,
};
