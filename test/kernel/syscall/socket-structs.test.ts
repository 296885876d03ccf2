/**
 * struct sockaddr_in and struct pollfd as the socket calls read and write
 * them: Linux's layout, byte for byte, and a clear errno for bad input.
 */
import { describe, expect, it } from 'vitest';
import { SyscallError } from '../../../src/kernel/lib/errno';
import {
  emitPollfds,
  emitSockaddrIn,
  parsePollfds,
  parseSockaddrIn,
} from '../../../src/kernel/syscall/socket-structs';
import { mulberry32 } from '../../../src/runtime/host/seeded-random';

function errnoOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SyscallError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('struct sockaddr_in', () => {
  it("reads the family little-endian and the port and address in network order, as C's htons fills them", () => {
    // What a C program on RV32 stores for { AF_INET, htons(8080), inet_addr("10.0.2.15") }.
    const bytes = Uint8Array.of(2, 0, 0x1f, 0x90, 10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(parseSockaddrIn(bytes)).toEqual({ address: 0x0a00020f, port: 8080 });
    expect(emitSockaddrIn({ address: 0x0a00020f, port: 8080 })).toEqual(bytes);
  });

  it('ignores sin_zero and bytes past the 16 (a sockaddr_storage is 128)', () => {
    const bytes = new Uint8Array(128).fill(0xee);
    bytes.set([2, 0, 0, 80, 93, 184, 215, 14]);
    expect(parseSockaddrIn(bytes)).toEqual({ address: 0x5db8d70e, port: 80 });
  });

  it('refuses a short address with EINVAL and another family with EAFNOSUPPORT', () => {
    expect(errnoOf(() => parseSockaddrIn(new Uint8Array(15)))).toBe('EINVAL');
    expect(errnoOf(() => parseSockaddrIn(new Uint8Array(0)))).toBe('EINVAL');
    const inet6 = new Uint8Array(16);
    inet6[0] = 10; // AF_INET6
    expect(errnoOf(() => parseSockaddrIn(inet6))).toBe('EAFNOSUPPORT');
    const bigEndianFamily = new Uint8Array(16);
    bigEndianFamily[1] = 2; // family written in network order by mistake: 0x0200
    expect(errnoOf(() => parseSockaddrIn(bigEndianFamily))).toBe('EAFNOSUPPORT');
  });

  it('reads a sub-array at its own offset', () => {
    const buffer = new Uint8Array(32);
    buffer.set([2, 0, 0, 7, 203, 0, 113, 7], 8);
    expect(parseSockaddrIn(buffer.subarray(8, 24))).toEqual({ address: 0xcb007107, port: 7 });
  });

  it('round-trips any address and port', () => {
    const seed = Number(process.env.SEED ?? 13);
    const random = mulberry32(seed);
    for (let i = 0; i < 1000; i++) {
      const address = { address: random(), port: random() & 0xffff };
      expect(parseSockaddrIn(emitSockaddrIn(address)), `seed ${seed}, case ${i}`).toEqual(address);
    }
  });
});

describe('struct pollfd', () => {
  it('is { int fd; short events; short revents; }, 8 bytes each, little-endian', () => {
    const bytes = Uint8Array.of(3, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 4, 0, 0x10, 0);
    const requests = parsePollfds(bytes);
    expect(requests).toEqual([
      { fd: 3, events: 1, revents: 0 },
      { fd: -1, events: 4, revents: 0x10 },
    ]);
    expect(emitPollfds(requests)).toEqual(bytes);
  });

  it('writes revents and leaves fd and events as they were', () => {
    const requests = parsePollfds(Uint8Array.of(5, 0, 0, 0, 5, 0, 0, 0));
    requests[0]!.revents = 0x11;
    expect([...emitPollfds(requests)]).toEqual([5, 0, 0, 0, 5, 0, 0x11, 0]);
  });
});
