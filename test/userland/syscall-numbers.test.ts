/**
 * The C library's system call numbers (src/userland/libc/syscall.h) and the
 * kernel's table (src/kernel/syscall/syscall-table.ts) must agree, call for
 * call: a program built against a stale header would call the wrong thing.
 * The open() flags and the signal numbers are checked the same way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** `#define NAME value` lines of a C header (a comment may follow), values in C's decimal, octal (leading 0) or hex. */
function cDefines(source: string): Map<string, number> {
  const defines = new Map<string, number>();
  for (const [, name, value] of source.matchAll(
    /^#define\s+([A-Z_][A-Z0-9_]*)\s+(0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\s*(?:\/\*.*\*\/\s*)?$/gm,
  )) {
    const number = value!.startsWith('0x')
      ? parseInt(value!, 16)
      : value!.startsWith('0')
        ? parseInt(value!, 8)
        : parseInt(value!, 10);
    defines.set(name!, number);
  }
  return defines;
}

/** `export const NAME = value;` lines of the TypeScript table, values in decimal, 0o octal or 0x hex. */
function tsConstants(source: string): Map<string, number> {
  const constants = new Map<string, number>();
  for (const [, name, value] of source.matchAll(
    /^export const ([A-Z_][A-Z0-9_]*) = (0[xo][0-9a-fA-F]+|[0-9]+);$/gm,
  )) {
    constants.set(name!, Number(value));
  }
  return constants;
}

const pick = (all: Map<string, number>, prefix: string): Record<string, number> =>
  Object.fromEntries(
    [...all].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)),
  );

const header = cDefines(read('src/userland/libc/syscall.h'));
const socketHeader = new Map([
  ...cDefines(read('src/userland/libc/socket.h')),
  ...cDefines(read('src/userland/libc/poll.h')),
]);
const errnoHeader = cDefines(read('src/userland/libc/errno.h'));
const errnoTable = new Map(
  [...read('src/kernel/lib/errno.ts').matchAll(/^  (E[A-Z0-9]+): (\d+),$/gm)].map(
    ([, name, value]) => [name!, Number(value)] as const,
  ),
);
const table = tsConstants(read('src/kernel/syscall/syscall-table.ts'));
const signals = tsConstants(read('src/kernel/proc/signals.ts'));

describe("libc/syscall.h against the kernel's syscall table", () => {
  it('finds the calls in both files', () => {
    expect(Object.keys(pick(table, 'SYS_')).length).toBeGreaterThan(40);
    expect(Object.keys(pick(header, 'SYS_')).length).toBeGreaterThan(40);
  });

  it('has the same calls with the same numbers', () => {
    expect(pick(header, 'SYS_')).toEqual(pick(table, 'SYS_'));
  });

  it('numbers every call differently', () => {
    const numbers = Object.values(pick(table, 'SYS_'));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('has the same open() flags and signals', () => {
    expect(pick(header, 'O_')).toEqual(pick(table, 'O_'));
    const headerSignals = pick(header, 'SIG');
    expect(Object.keys(headerSignals).length).toBeGreaterThan(0);
    for (const [name, number] of Object.entries(headerSignals))
      expect(signals.get(name), name).toBe(number);
  });

  it('has the same socket constants: families, types, shutdown directions, poll events', () => {
    for (const prefix of ['AF_', 'SOCK_', 'SHUT_', 'POLL']) {
      const constants = Object.fromEntries(
        Object.entries(pick(table, prefix)).filter(([name]) => !name.endsWith('_BYTES')),
      );
      expect(Object.keys(constants).length, prefix).toBeGreaterThan(0);
      expect(pick(socketHeader, prefix), prefix).toEqual(constants);
    }
  });

  it('has the same errno numbers as the kernel', () => {
    expect(errnoTable.size).toBeGreaterThan(40);
    expect(pick(errnoHeader, 'E')).toEqual(
      Object.fromEntries([...errnoTable].sort(([a], [b]) => a.localeCompare(b))),
    );
  });

  it('has the same structure sizes the table documents', () => {
    expect(header.get('DIRENT_NAME_BYTES')).toBe(table.get('DIRENT_NAME_BYTES'));
    expect(header.get('UTSNAME_FIELD_BYTES')).toBe(table.get('UTSNAME_FIELD_BYTES'));
  });
});
