/**
 * A machine worker's name, which tells the page's first worker (started from
 * the HTML) the machine to boot before the page asks, and the check that the
 * page's boot is that machine (src/runtime/worker/preparation.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  FIRST_WORKER_NAME,
  firstWorkerName,
  isBootAheadOf,
  readWorkerName,
  WORKER_NAME,
} from '../../../src/runtime/worker/preparation';

describe("a machine worker's name", () => {
  it("says whether it is a page's first, and the boot it may start ahead", () => {
    expect(readWorkerName(WORKER_NAME)).toEqual({ first: false, ahead: null });
    expect(readWorkerName(FIRST_WORKER_NAME)).toEqual({ first: true, ahead: null });
    expect(readWorkerName(firstWorkerName(null))).toEqual({ first: true, ahead: null });
    const boot = { ramMiB: 64, cmdline: 'gui', screen: true };
    expect(readWorkerName(firstWorkerName(boot))).toEqual({ first: true, ahead: boot });
    expect(readWorkerName(firstWorkerName({}))).toEqual({ first: true, ahead: {} });
  });

  it('asks for no boot ahead when what follows does not parse as one', () => {
    for (const rest of ['{', '[]', 'null', '7', '{"ramMiB":"64"}', '{"screen":1}', '{"cmdline":2}'])
      expect(readWorkerName(`${FIRST_WORKER_NAME} ${rest}`)).toEqual({ first: true, ahead: null });
    expect(readWorkerName(`${FIRST_WORKER_NAME}x {}`)).toEqual({ first: false, ahead: null });
  });
});

describe('the boot a first worker started ahead', () => {
  const ahead = { cmdline: 'gui', screen: true };

  it('is the one the page asks for when it has no edits and the same options', () => {
    expect(isBootAheadOf(ahead, { overrides: {}, cmdline: 'gui', screen: true })).toBe(true);
    expect(isBootAheadOf({}, { overrides: {}, screen: false })).toBe(true);
  });

  it('is not when the page brings edits or other options', () => {
    expect(
      isBootAheadOf(ahead, {
        overrides: { 'src/kernel/gui/rect.ts': '' },
        cmdline: 'gui',
        screen: true,
      }),
    ).toBe(false);
    expect(isBootAheadOf(ahead, { overrides: {}, cmdline: 'gui' })).toBe(false);
    expect(isBootAheadOf(ahead, { overrides: {}, screen: true })).toBe(false);
    expect(isBootAheadOf(ahead, { overrides: {}, cmdline: 'gui', screen: true, ramMiB: 64 })).toBe(
      false,
    );
  });
});
