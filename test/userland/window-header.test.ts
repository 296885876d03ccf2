/**
 * libc/window.h and the kernel's table (src/kernel/syscall/syscall-table.ts)
 * must agree on every window constant, as syscall-numbers.test.ts checks the
 * call numbers: a program built against a stale header would misread events.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** NAME → value for the WINDOW_ constants of a file, matched by `pattern` (name, value). */
function windowConstants(source: string, pattern: RegExp): Record<string, number> {
  return Object.fromEntries(
    [...source.matchAll(pattern)]
      .filter(([, name]) => name!.startsWith('WINDOW_') && name !== 'WINDOW_EVENT_BYTES')
      .map(([, name, value]) => [name!, Number(value)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe("libc/window.h against the kernel's syscall table", () => {
  it('has the same window constants', () => {
    const header = windowConstants(
      read('src/userland/libc/window.h'),
      /^#define\s+(WINDOW_[A-Z_]+)\s+(\d+)/gm,
    );
    const table = windowConstants(
      read('src/kernel/syscall/syscall-table.ts'),
      /^export const (WINDOW_[A-Z_]+) = (\d+);$/gm,
    );
    // The header also names the mouse buttons, which the kernel takes from the PS/2 driver.
    const { WINDOW_BUTTON_LEFT, WINDOW_BUTTON_MIDDLE, WINDOW_BUTTON_RIGHT, ...shared } = header;
    expect([WINDOW_BUTTON_LEFT, WINDOW_BUTTON_RIGHT, WINDOW_BUTTON_MIDDLE]).toEqual([1, 2, 4]);
    expect(Object.keys(table).length).toBeGreaterThan(10);
    expect(shared).toEqual(table);
  });
});
