/**
 * Seeded mutation fuzzing for the wire-format parsers: take valid packets,
 * damage them (flip bits, overwrite bytes with boundary values, truncate,
 * extend, splice) and check that the parser either accepts the result or
 * throws MalformedPacket, never any other error. The seed comes from
 * WIRE_FUZZ_SEED when set, and is printed with any failure.
 */
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

export const FUZZ_ITERATIONS = 10_000;
export const FUZZ_SEED = Number(process.env.WIRE_FUZZ_SEED ?? 0xc0770);

const BOUNDARY_BYTES = [0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xff];

function mutateOnce(random: () => number, input: Uint8Array): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = Uint8Array.from(input);
  switch (pick(6)) {
    case 0: // flip one bit
      if (bytes.length > 0) bytes[pick(bytes.length)]! ^= 1 << pick(8);
      return bytes;
    case 1: // overwrite a byte with a boundary value
      if (bytes.length > 0) {
        bytes[pick(bytes.length)] = BOUNDARY_BYTES[pick(BOUNDARY_BYTES.length)]!;
      }
      return bytes;
    case 2: // overwrite a byte with anything
      if (bytes.length > 0) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 3: // truncate
      return bytes.slice(0, pick(bytes.length + 1));
    case 4: {
      // append random bytes
      const longer = new Uint8Array(bytes.length + 1 + pick(16));
      longer.set(bytes);
      for (let i = bytes.length; i < longer.length; i++) longer[i] = pick(256);
      return longer;
    }
    default: {
      // copy a slice of the packet over another place in it
      if (bytes.length < 2) return bytes;
      const from = pick(bytes.length);
      const to = pick(bytes.length);
      const length = pick(Math.min(8, bytes.length - Math.max(from, to)) + 1);
      bytes.copyWithin(to, from, from + length);
      return bytes;
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface FuzzOptions {
  /** Repair half of the mutated inputs (e.g. fix a checksum) so they reach the deeper checks. */
  repair?: (bytes: Uint8Array) => void;
  seed?: number;
  iterations?: number;
}

export interface FuzzResult {
  accepted: number;
  rejected: number;
}

/**
 * Run `parse` on mutations of `samples`. Throws (failing the test) with the
 * seed, iteration and input on any error other than MalformedPacket.
 */
export function fuzzParser(
  parse: (bytes: Uint8Array) => unknown,
  samples: Uint8Array[],
  options: FuzzOptions = {},
): FuzzResult {
  const seed = options.seed ?? FUZZ_SEED;
  const random = uniformRandom(seed);
  const result: FuzzResult = { accepted: 0, rejected: 0 };
  for (let iteration = 0; iteration < (options.iterations ?? FUZZ_ITERATIONS); iteration++) {
    let bytes = samples[Math.floor(random() * samples.length)]!;
    const mutations = 1 + Math.floor(random() * 3);
    for (let i = 0; i < mutations; i++) bytes = mutateOnce(random, bytes);
    if (options.repair && random() < 0.5) options.repair(bytes);
    try {
      parse(bytes);
      result.accepted++;
    } catch (error) {
      if (!(error instanceof MalformedPacket)) {
        throw new Error(
          `fuzz seed ${seed} (set WIRE_FUZZ_SEED to replay), iteration ${iteration}: ` +
            `${String(error)} for input ${hex(bytes)}`,
        );
      }
      result.rejected++;
    }
  }
  return result;
}
