// Seeded fuzzing of the TLS client with mutated server flights: truncated, bytes flipped,
// lengths that lie, records cut anywhere; mutated handshake messages re-encrypted properly so
// that the parsers behind the AEAD are reached; mutated post-handshake records. Whatever
// arrives, the client must end in a TlsError (or a clean close), never another exception and
// never a hang. 10,000 flights by default; FUZZ_SCALE=10 runs 100,000; FUZZ_SEED picks the seed.
//
// Speed: a fresh client costs two x25519 scalar multiplications (its key share, then the shared
// secret), milliseconds each in pure JavaScript. Since the client's random source is seeded, every
// fresh client is the same client, so most flights go to a deep copy of one started (or one
// connected) client whose key share remembers its shared secret. Flights that retry with
// secp256r1 need fresh randomness after the ClientHello and use a fresh client.

import { beforeAll, describe, expect, it } from 'vitest';
import { TlsError } from '../../../../src/kernel/net/tls/alert.ts';
import { createKeyShare, type KeyShare } from '../../../../src/kernel/net/tls/key-exchange.ts';
import { TlsClient } from '../../../../src/kernel/net/tls/tls-client.ts';
import type { PeerAuthenticator } from '../../../../src/kernel/net/tls/authenticator.ts';
import {
  HS_CERTIFICATE,
  HS_CERTIFICATE_REQUEST,
  HS_CERTIFICATE_VERIFY,
  HS_ENCRYPTED_EXTENSIONS,
  HS_FINISHED,
  HS_KEY_UPDATE,
  HS_NEW_SESSION_TICKET,
  HS_SERVER_HELLO,
  ScriptedServer,
  type ScriptedServerOptions,
} from './support/scripted-server.ts';
import {
  makeIdentity,
  type TestIdentity,
  trustingAuthenticator,
} from './support/test-identities.ts';
import { type SeededRandom, seededRandom } from '../../../support/seeded-random';

const HOST = 'fuzz.cotton';
const SCALE = Number(process.env.FUZZ_SCALE ?? '1');
const ITERATIONS = Math.round(10_000 * SCALE);
const SEED = Number(process.env.FUZZ_SEED ?? '0x7153');
const CLIENT_SEED = 99;

let identity: TestIdentity;
let authenticator: PeerAuthenticator;
const serverShares = new Map<number, KeyShare>();

/** A key share that computes the shared secret with each peer key once. */
function memoize(share: KeyShare): KeyShare {
  const cache = new Map<string, Uint8Array>();
  return {
    ...share,
    sharedSecret(peer) {
      const key = Buffer.from(peer).toString('hex');
      if (!cache.has(key)) cache.set(key, share.sharedSecret(peer));
      return cache.get(key)!;
    },
  };
}

beforeAll(async () => {
  identity = await makeIdentity('ecdsa-p256', HOST);
  authenticator = trustingAuthenticator([identity.certificateDer]);
  for (const group of [0x001d, 0x0017]) {
    serverShares.set(group, memoize(createKeyShare(group, seededRandom(group).bytes)));
  }
  started = startedTemplate();
  const template = startedTemplate();
  const server = newServer(seededRandom(1), {});
  template.client.receive(server.receive(template.clientHello));
  server.receive(template.client.takeOutput());
  expect(template.client.state).toBe('connected');
  connected = { client: template.client, server };
});

function newClient(): TlsClient {
  return new TlsClient({
    serverName: HOST,
    random: seededRandom(CLIENT_SEED).bytes,
    authenticator,
    now: () => 0,
  });
}

/**
 * A deep copy keeping prototypes; functions and the `options` objects (random source,
 * authenticator, scripted identity) are shared, not copied.
 */
function deepCopy<T>(value: T, seen = new Map<unknown, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deepCopy(item, seen));
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(k, deepCopy(v, seen));
    return copy as T;
  }
  const copy = Object.create(Object.getPrototypeOf(value)) as Record<PropertyKey, unknown>;
  seen.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    const field = (value as Record<PropertyKey, unknown>)[key];
    copy[key] = key === 'options' ? field : deepCopy(field, seen);
  }
  return copy as T;
}

/** A started client whose key share computes each shared secret once (see the header). */
function startedTemplate(): { client: TlsClient; clientHello: Uint8Array } {
  const client = newClient();
  const clientHello = client.start();
  const internals = client as unknown as { keyShare: KeyShare };
  expect(internals.keyShare.publicKey.length).toBe(32);
  internals.keyShare = memoize(internals.keyShare);
  return { client, clientHello };
}

let started: { client: TlsClient; clientHello: Uint8Array };
let connected: { client: TlsClient; server: ScriptedServer };

function newServer(random: SeededRandom, options: Partial<ScriptedServerOptions>): ScriptedServer {
  const group = options.group ?? 0x001d;
  return new ScriptedServer({
    suite: [0x1301, 0x1302, 0x1303][random.below(3)]!,
    group,
    identity,
    random: seededRandom(random.below(1000)).bytes,
    keyShare: serverShares.get(group)!,
    ...options,
  });
}

/** One to four damages: flips, random bytes, truncation, lying lengths, cuts and copies. */
function mutate(bytes: Uint8Array, random: SeededRandom): Uint8Array {
  let out = bytes.slice();
  const count = 1 + random.below(4);
  for (let n = 0; n < count && out.length > 0; n++) {
    const at = random.below(out.length);
    switch (random.below(7)) {
      case 0:
        out[at]! ^= 1 << random.below(8);
        break;
      case 1:
        out[at] = random.below(256);
        break;
      case 2:
        out = out.slice(0, at);
        break;
      case 3: {
        // A length field that lies: a big-endian 16 or 24-bit value written over the bytes.
        const value = [0, 1, 0xff, 0xffff, random.below(0x10000)][random.below(5)]!;
        for (let i = 0; i < 3 && at + i < out.length; i++)
          out[at + i] = (value >> (8 * (2 - i))) & 0xff;
        break;
      }
      case 4:
        out = new Uint8Array([
          ...out.subarray(0, at),
          ...random.bytes(1 + random.below(8)),
          ...out.subarray(at),
        ]);
        break;
      case 5:
        out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + 1 + random.below(16))]);
        break;
      default: {
        const span = out.subarray(at, at + 1 + random.below(64));
        out = new Uint8Array([...out, ...span]);
      }
    }
  }
  return out;
}

/** Feeds bytes to the client in random pieces, then ends the transport. */
function feed(client: TlsClient, bytes: Uint8Array, random: SeededRandom): void {
  let offset = 0;
  while (offset < bytes.length) {
    const size = random.below(4) === 0 ? 1 + random.below(8) : 1 + random.below(bytes.length);
    client.receive(bytes.subarray(offset, offset + size));
    offset += size;
  }
  client.transportClosed();
}

const FLIGHT_VARIANTS: Partial<ScriptedServerOptions>[] = [
  {},
  { changeCipherSpec: true },
  { recordSize: 40 },
  { certificateRequest: true },
];
/** HelloRetryRequest to secp256r1: P-256 is several times slower, so one flight in 64. */
const RETRY_VARIANTS: Partial<ScriptedServerOptions>[] = [
  { group: 0x0017 },
  { group: 0x0017, helloRetryCookie: Uint8Array.of(1, 2, 3) },
];

function pickVariant(random: SeededRandom): Partial<ScriptedServerOptions> {
  const variants = random.below(64) === 0 ? RETRY_VARIANTS : FLIGHT_VARIANTS;
  return variants[random.below(variants.length)]!;
}

const MUTABLE_MESSAGES = [
  HS_SERVER_HELLO,
  HS_ENCRYPTED_EXTENSIONS,
  HS_CERTIFICATE_REQUEST,
  HS_CERTIFICATE,
  HS_CERTIFICATE_VERIFY,
  HS_FINISHED,
];

/** The whole server flight, damaged as bytes on the wire. */
function fuzzRawFlight(random: SeededRandom): TlsClient {
  const variant = pickVariant(random);
  const { client, clientHello } = forkStarted(variant);
  const flight = newServer(random, variant).receive(clientHello);
  feed(client, mutate(flight, random), random);
  return client;
}

/** A copy of the started template, or a fresh client when the flight needs new randomness. */
function forkStarted(variant: Partial<ScriptedServerOptions>): {
  client: TlsClient;
  clientHello: Uint8Array;
} {
  if (variant.group !== undefined) {
    const client = newClient();
    return { client, clientHello: client.start() };
  }
  return { client: deepCopy(started.client), clientHello: started.clientHello };
}

/** One handshake message damaged before the server encrypts it and hashes it. */
function fuzzHandshakeMessage(random: SeededRandom): TlsClient {
  const target = MUTABLE_MESSAGES[random.below(MUTABLE_MESSAGES.length)]!;
  const variant = pickVariant(random);
  const { client, clientHello } = forkStarted(variant);
  const server = newServer(random, {
    ...variant,
    editMessage: (type, body) => (type === target ? mutate(body, random) : body),
  });
  let toServer = clientHello;
  for (let round = 0; round < 3 && toServer.length > 0; round++) {
    let flight: Uint8Array;
    try {
      flight = server.receive(toServer);
    } catch {
      break; // the scripted server does not parse what it was not scripted for
    }
    client.receive(flight);
    toServer = client.takeOutput();
  }
  client.transportClosed();
  return client;
}

/** After a sound handshake: tickets, key updates, data and alerts, damaged. */
function fuzzPostHandshake(random: SeededRandom): TlsClient {
  const client = deepCopy(connected.client);
  const server = deepCopy(connected.server);
  const records: Uint8Array[] = [];
  for (let n = 1 + random.below(4); n > 0; n--) {
    const damagedBody = (body: Uint8Array) => (random.below(2) ? mutate(body, random) : body);
    switch (random.below(5)) {
      case 0:
        records.push(
          server.handshakeRecord(HS_NEW_SESSION_TICKET, damagedBody(ticketBody(random))),
        );
        break;
      case 1:
        records.push(server.keyUpdateRecord(random.below(2) === 0));
        break;
      case 2:
        records.push(
          server.handshakeRecord(HS_KEY_UPDATE, damagedBody(Uint8Array.of(random.below(3)))),
        );
        break;
      case 3:
        records.push(server.applicationRecord(random.bytes(random.below(100))));
        break;
      default:
        records.push(
          server.alertRecord(1 + random.below(2), damagedBody(Uint8Array.of(0))[0] ?? 0),
        );
    }
  }
  const stream = new Uint8Array(records.flatMap((r) => [...r]));
  feed(client, random.below(2) ? mutate(stream, random) : stream, random);
  return client;
}

function ticketBody(random: SeededRandom): Uint8Array {
  return Uint8Array.from([0, 0, 14, 16, ...random.bytes(4), 1, 0, 0, 8, ...random.bytes(8), 0, 0]);
}

const STRATEGIES = [fuzzRawFlight, fuzzHandshakeMessage, fuzzPostHandshake];

describe('TLS client under mutated server flights', () => {
  it(
    `ends every one of ${ITERATIONS} flights in a TlsError or a clean close`,
    () => {
      const outcomes = new Map<string, number>();
      for (let i = 0; i < ITERATIONS; i++) {
        const random = seededRandom(SEED + i);
        const strategy = STRATEGIES[i % STRATEGIES.length]!;
        let client: TlsClient;
        try {
          client = strategy(random);
        } catch (error) {
          throw new Error(`FUZZ_SEED=${SEED} iteration ${i} (${strategy.name}) threw: ${error}`);
        }
        const ended =
          (client.state === 'failed' && client.error instanceof TlsError) ||
          (client.state === 'closed' && client.error === undefined);
        if (!ended) {
          throw new Error(
            `FUZZ_SEED=${SEED} iteration ${i} (${strategy.name}) ended in ${client.state}`,
          );
        }
        const outcome = client.error?.alert ?? 'closed';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      // The damage must reach many different checks, not die at the first byte.
      for (const alert of [
        'decode_error',
        'bad_record_mac',
        'unexpected_message',
        'illegal_parameter',
        'decrypt_error',
        'bad_certificate',
      ]) {
        expect(
          outcomes.get(alert) ?? 0,
          `${alert} in ${JSON.stringify([...outcomes])}`,
        ).toBeGreaterThan(0);
      }
    },
    120_000 * Math.max(1, SCALE),
  );
});
