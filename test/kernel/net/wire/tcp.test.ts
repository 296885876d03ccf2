import { describe, expect, it } from 'vitest';
import { parseIpv4Address } from '../../../../src/kernel/net/wire/addresses';
import { internetChecksum, pseudoHeaderSum } from '../../../../src/kernel/net/wire/checksum';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import {
  emitTcpSegment,
  parseTcpSegment,
  TCP_FLAG_ACK,
  TCP_FLAG_PSH,
  TCP_FLAG_SYN,
  type TcpSegment,
} from '../../../../src/kernel/net/wire/tcp';
import { uniformRandom } from '../../../../src/runtime/host/seeded-random';

const CLIENT = parseIpv4Address('10.0.2.15')!;
const SERVER = parseIpv4Address('93.184.216.34')!;

function segment(fields: Partial<TcpSegment> = {}): TcpSegment {
  return {
    sourcePort: 49152,
    destinationPort: 80,
    sequence: 0xfffffff0,
    acknowledgment: 0x12345678,
    flags: TCP_FLAG_ACK | TCP_FLAG_PSH,
    window: 65535,
    urgentPointer: 0,
    options: {},
    payload: new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'),
    ...fields,
  };
}

/** Write a correct checksum into `bytes` (after a test changed them on purpose). */
function fixChecksum(bytes: Uint8Array, source = CLIENT, destination = SERVER): void {
  bytes[16] = 0;
  bytes[17] = 0;
  const initial = pseudoHeaderSum(source, destination, 6, bytes.length);
  const checksum = internetChecksum(bytes, 0, bytes.length, initial);
  bytes[16] = checksum >>> 8;
  bytes[17] = checksum & 0xff;
}

function expectMalformed(bytes: Uint8Array, reason: RegExp): void {
  expect(() => parseTcpSegment(bytes, CLIENT, SERVER)).toThrow(MalformedPacket);
  expect(() => parseTcpSegment(bytes, CLIENT, SERVER)).toThrow(reason);
}

describe('TCP segment wire format', () => {
  it('round-trips a data segment', () => {
    const original = segment();
    const bytes = emitTcpSegment(original, CLIENT, SERVER);
    expect(bytes.length).toBe(20 + original.payload.length);
    expect(parseTcpSegment(bytes, CLIENT, SERVER)).toEqual(original);
  });

  it('round-trips a SYN with an MSS option in a 24-byte header', () => {
    const syn = segment({
      flags: TCP_FLAG_SYN,
      options: { mss: 1460 },
      payload: new Uint8Array(0),
    });
    const bytes = emitTcpSegment(syn, CLIENT, SERVER);
    expect(bytes.length).toBe(24);
    expect(bytes[12]! >>> 4).toBe(6);
    expect([...bytes.subarray(20, 24)]).toEqual([2, 4, 0x05, 0xb4]);
    expect(parseTcpSegment(bytes, CLIENT, SERVER)).toEqual(syn);
  });

  it('lays out the header fields big-endian', () => {
    const bytes = emitTcpSegment(segment({ urgentPointer: 0x0102 }), CLIENT, SERVER);
    expect([...bytes.subarray(0, 16)]).toEqual([
      0xc0, 0x00, 0x00, 0x50, 0xff, 0xff, 0xff, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x50, 0x18, 0xff,
      0xff,
    ]);
    expect([...bytes.subarray(18, 20)]).toEqual([0x01, 0x02]);
  });

  it('writes a checksum that covers the pseudo-header', () => {
    const bytes = emitTcpSegment(segment(), CLIENT, SERVER);
    const initial = pseudoHeaderSum(CLIENT, SERVER, 6, bytes.length);
    expect(internetChecksum(bytes, 0, bytes.length, initial)).toBe(0);
    // The same bytes claimed to come from another host fail the check.
    expect(() => parseTcpSegment(bytes, SERVER, SERVER)).toThrow(/bad checksum/);
  });

  it('refuses a corrupted byte', () => {
    const bytes = emitTcpSegment(segment(), CLIENT, SERVER);
    bytes[25]! ^= 0x40;
    expectMalformed(bytes, /bad checksum/);
  });

  it('refuses a segment shorter than the fixed header', () => {
    expectMalformed(new Uint8Array(19), /segment of 19 bytes/);
  });

  it('refuses a data offset below 5 words or past the end', () => {
    const small = emitTcpSegment(segment(), CLIENT, SERVER);
    small[12] = 4 << 4;
    fixChecksum(small);
    expectMalformed(small, /data offset of 16 bytes/);
    const large = emitTcpSegment(segment({ payload: new Uint8Array(0) }), CLIENT, SERVER);
    large[12] = 6 << 4;
    fixChecksum(large);
    expectMalformed(large, /past 20 bytes/);
  });

  /** A segment whose 8-byte option area holds `options`, padded with EOL. */
  function withOptions(...options: number[]): Uint8Array {
    const bytes = new Uint8Array(28);
    bytes.set(
      emitTcpSegment(segment({ payload: new Uint8Array(0) }), CLIENT, SERVER).subarray(0, 20),
    );
    bytes[12] = 7 << 4;
    bytes.set(options, 20);
    fixChecksum(bytes);
    return bytes;
  }

  it('skips NOPs and unknown options by their length, and stops at EOL', () => {
    // NOP, NOP, SACK-permitted (kind 4, length 2), MSS 1000
    expect(
      parseTcpSegment(withOptions(1, 1, 4, 2, 2, 4, 0x03, 0xe8), CLIENT, SERVER).options,
    ).toEqual({ mss: 1000 });
    // EOL first: the MSS after it is not read.
    expect(parseTcpSegment(withOptions(0, 2, 4, 0x03, 0xe8), CLIENT, SERVER).options).toEqual({});
  });

  it('refuses options that run past the header or have impossible lengths', () => {
    expectMalformed(withOptions(1, 1, 1, 1, 1, 1, 1, 8), /has no length byte/);
    expectMalformed(withOptions(8, 10, 0, 0, 0, 0, 0, 0), /runs past the header/);
    expectMalformed(withOptions(8, 1, 0, 0, 0, 0, 0, 0), /has length 1/);
    expectMalformed(withOptions(8, 0, 0, 0, 0, 0, 0, 0), /has length 0/);
    expectMalformed(withOptions(2, 3, 5, 0, 0, 0, 0, 0), /MSS option of length 3/);
  });

  it('copies the payload: the caller may reuse its buffer', () => {
    const bytes = emitTcpSegment(segment(), CLIENT, SERVER);
    const parsed = parseTcpSegment(bytes, CLIENT, SERVER);
    bytes.fill(0);
    expect(new TextDecoder().decode(parsed.payload)).toBe('GET / HTTP/1.0\r\n\r\n');
  });
});

describe('TCP parser fuzz', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 0x7c9);

  it(`only ever throws MalformedPacket on 10,000 mutated segments (seed ${seed})`, () => {
    const random = uniformRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    let accepted = 0;
    for (let round = 0; round < 10_000; round++) {
      const base = emitTcpSegment(
        segment({
          flags: int(64),
          options: random() < 0.5 ? { mss: int(65536) } : {},
          payload: new Uint8Array(int(40)).map(() => int(256)),
        }),
        CLIENT,
        SERVER,
      );
      let bytes: Uint8Array = base;
      const mutation = int(4);
      if (mutation === 0) bytes = base.subarray(0, int(base.length + 1));
      if (mutation === 1) {
        bytes = new Uint8Array(base.length + int(20));
        bytes.set(base);
      }
      for (let flips = int(6); flips > 0 && bytes.length > 0; flips--)
        bytes[int(bytes.length)] = int(256);
      if (mutation === 2 && bytes.length >= 20) bytes[12] = int(256); // any data offset
      if (mutation === 3 && bytes.length >= 24) {
        // Make the header long and fill the option area with random kinds and lengths.
        bytes[12] = (5 + int(11)) << 4;
        for (let i = 20; i < bytes.length; i++) if (random() < 0.5) bytes[i] = int(12);
      }
      // Half the time repair the checksum, so the option parser sees the damage too.
      if (random() < 0.5 && bytes.length >= 20) fixChecksum(bytes);
      try {
        parseTcpSegment(bytes, CLIENT, SERVER);
        accepted++;
      } catch (error) {
        if (!(error instanceof MalformedPacket)) {
          throw new Error(`seed ${seed}, round ${round}: ${String(error)}`);
        }
      }
    }
    // Repaired checksums let a good share through to the full parse.
    expect(accepted).toBeGreaterThan(1000);
  });
});
