// Seeded fuzz of the TLS server's first flight: 10,000 ClientHellos (FUZZ_CASES to change it),
// each a well-formed hello mutated (bytes flipped, lengths rewritten, cut short, bytes inserted,
// records split or retyped, garbage appended), fed to the HTTPS service in random pieces. Every
// case must end with the connection's transport ended - after an alert, or after the client's
// FIN - and nothing may throw out of the service. FUZZ_SEED picks the run; a failure names it.

import { describe, expect, it } from 'vitest';
import { HttpServer } from '../../../../src/emu/net/http-server';
import { BOOK_HTTPS_HOSTS } from '../../../../src/emu/net/tls-server/book-https-hosts';
import { identityFromCertificate } from '../../../../src/emu/net/tls-server/server-identity';
import { BOOK_CERTIFICATES } from '../../../../src/emu/net/tls-server/book-certificates';
import { tlsService } from '../../../../src/emu/net/tls-server/tls-service';
import { GROUP_SECP256R1 } from '../../../../src/emu/net/tls-server/tls-registry';
import { RFC8448 } from '../../../kernel/net/tls/support/rfc8448-trace';
import { makeClient } from './support';
import { type SeededRandom, seededRandom } from '../../../support/seeded-random';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x7415);

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Well-formed first flights: the kernel client's, a compatibility-mode one, RFC 8448's. */
function seedHellos(): Uint8Array[] {
  const kernel = [1, 2, 3].map((seed) => makeClient('example.com', seed).start());
  const rfc = fromHex(RFC8448.clientHello);
  const record = (body: Uint8Array) =>
    Uint8Array.from([22, 3, 1, body.length >> 8, body.length & 0xff, ...body]);
  // The RFC's hello with a 32-byte legacy_session_id, as OpenSSL sends.
  const withSession = Uint8Array.from([
    ...rfc.subarray(0, 38),
    32,
    ...new Uint8Array(32).fill(0xab),
    ...rfc.subarray(39),
  ]);
  const length = withSession.length - 4;
  withSession.set([length >> 16, (length >> 8) & 0xff, length & 0xff], 1);
  return [...kernel, record(rfc), record(withSession)];
}

type Random = SeededRandom;

function mutate(hello: Uint8Array, random: Random): Uint8Array {
  let bytes = hello.slice();
  // One case in sixteen keeps the hello intact, so the records after it are fuzzed too.
  const rounds = random.below(16) === 0 ? 0 : 1 + random.below(4);
  for (let round = 0; round < rounds; round++) {
    const at = random.below(Math.max(bytes.length, 1));
    switch (random.below(7)) {
      case 0: // flip bits
        bytes[at] = (bytes[at] ?? 0) ^ (1 << random.below(8));
        break;
      case 1: // rewrite what may be a length field
        bytes[at] = random.below(256);
        if (at + 1 < bytes.length) bytes[at + 1] = random.below(256);
        break;
      case 2: // cut short
        bytes = bytes.slice(0, at);
        break;
      case 3: // insert bytes
        bytes = Uint8Array.from([
          ...bytes.subarray(0, at),
          ...random.bytes(1 + random.below(8)),
          ...bytes.subarray(at),
        ]);
        break;
      case 4: // duplicate a stretch (repeats extensions, entries)
        bytes = Uint8Array.from([
          ...bytes.subarray(0, at),
          ...bytes.subarray(at, at + 1 + random.below(40)),
          ...bytes.subarray(at),
        ]);
        break;
      case 5: // garbage after the hello
        bytes = Uint8Array.from([...bytes, ...random.bytes(1 + random.below(64))]);
        break;
      case 6: // a small value in a random place (counts, types)
        bytes[at] = random.below(4);
        break;
    }
  }
  return bytes;
}

/** `bytes` re-framed as several handshake records (a valid way to send a hello), sometimes. */
function resplit(bytes: Uint8Array, random: Random): Uint8Array {
  if (random.below(4) !== 0 || bytes.length < 10 || bytes[0] !== 22) return bytes;
  const body = bytes.subarray(5);
  const cut = 1 + random.below(body.length - 1);
  const frame = (part: Uint8Array) => [22, 3, 3, part.length >> 8, part.length & 0xff, ...part];
  return Uint8Array.from([...frame(body.subarray(0, cut)), ...frame(body.subarray(cut))]);
}

/** Raw bytes, or a record of application data that no key made. */
function noise(random: Random): Uint8Array {
  const content = random.bytes(1 + random.below(100));
  if (random.below(2) === 0) return content;
  return Uint8Array.from([23, 3, 3, 0, content.length, ...content]);
}

describe('TLS server ClientHello fuzz', () => {
  const title = `ends ${CASES} malformed first flights in an alert or a close (seed ${SEED})`;
  it(title, () => {
    const random = seededRandom(SEED);
    const hosts = BOOK_HTTPS_HOSTS.filter(
      (host) => host.name === 'example.com' || host.name === 'hello-retry.cotton.test',
    );
    const services = hosts.map((host) =>
      tlsService(
        {
          identity: identityFromCertificate(BOOK_CERTIFICATES[host.certificate]),
          random: random.bytes,
          groups: host.name === 'example.com' ? undefined : [GROUP_SECP256R1],
        },
        new HttpServer(host.site).service,
      ),
    );
    const hellos = seedHellos();
    const outcomes = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      const label = `case ${n} of seed ${SEED}`;
      const input = resplit(mutate(hellos[random.below(hellos.length)]!, random), random);
      let ended = false;
      let sent = 0;
      const connection = services[random.below(services.length)]!({
        id: {
          localAddress: new Uint8Array(4),
          localPort: 443,
          remoteAddress: new Uint8Array(4),
          remotePort: 1,
        },
        send: (bytes) => {
          expect(ended, `${label}: sent after the end`).toBe(false);
          sent += bytes.length;
        },
        end: () => {
          ended = true;
        },
        abort: () => {
          throw new Error(`${label}: aborted`);
        },
      });
      try {
        for (let at = 0; at < input.length && !ended; ) {
          const size = 1 + random.below(input.length);
          connection.data(input.subarray(at, at + size));
          at += size;
        }
        // A hello that was accepted (or is still incomplete) is followed by noise, then a FIN.
        if (!ended) connection.data(noise(random));
        if (!ended) connection.end();
      } catch (error) {
        throw new Error(`${label}: ${String(error)}`);
      }
      expect(ended, `${label}: the transport was not ended`).toBe(true);
      const state = connection.saveState();
      const outcome = state.failure === null ? `${state.tls}` : `alert ${state.failure}`;
      if (state.failure !== null && state.tls === 'failed') expect(sent, label).toBeGreaterThan(0);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations reach deep: parsing, negotiation, key shares and the records after them.
    for (const alert of [
      'decode_error',
      'illegal_parameter',
      'unexpected_message',
      'bad_record_mac',
    ]) {
      expect(outcomes.get(`alert ${alert}`) ?? 0, `${alert} in ${[...outcomes]}`).toBeGreaterThan(
        0,
      );
    }
  }, 300_000);
});
