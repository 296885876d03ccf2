import { describe, expect, it } from 'vitest';
import { ethernetFcs as crc32 } from '../../../src/emu/net/ethernet';
import {
  decodeSnapshot,
  encodeSnapshot,
  SnapshotFormatError,
  type SnapshotContents,
} from '../../../src/runtime/host/snapshot-format';

const digest = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);

const CONTENTS: SnapshotContents = {
  kernel: [
    { name: 'src/kernel/boot/entry.ts', digest: digest(1) },
    { name: 'src/kernel/shell/shell.ts', digest: digest(2) },
  ],
  overrides: { 'src/kernel/shell/commands.ts': '// edited ✓\n' },
  ramMiB: 64,
  commandLine: 'quiet',
  startTime: 1767258000,
  network: { seed: 7, link: { lossPercent: 5, delayMs: 2 } },
  disk: { length: 32768, digest: digest(3) },
  inputs: [
    {
      boot: 0,
      atNs: 3_648_000,
      input: { kind: 'serial', bytes: new TextEncoder().encode('echo hi\r') },
    },
    { boot: 0, atNs: 5_000_000.5, input: { kind: 'key', code: 'ArrowUp', pressed: true } },
    { boot: 1, atNs: 0, input: { kind: 'mouse', dx: -300, dy: 12, buttons: 5 } },
  ],
  resets: [9_000_123.25],
  moment: { boot: 1, atNs: 7_000_000 },
  state: [
    { name: 'clock', digest: digest(4) },
    { name: 'ram', digest: digest(5) },
  ],
};

/** The blob with `edit` applied to its bytes and the checksum made right again, so only the parser can object. */
function reframed(blob: Uint8Array, edit: (bytes: Uint8Array) => void): Uint8Array {
  const bytes = blob.slice();
  edit(bytes);
  new DataView(bytes.buffer).setUint32(
    bytes.length - 4,
    crc32(bytes.subarray(0, bytes.length - 4)),
  );
  return bytes;
}

function refusal(blob: Uint8Array): string {
  try {
    decodeSnapshot(blob);
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotFormatError);
    return (error as Error).message;
  }
  throw new Error('the blob was accepted');
}

describe('snapshot format', () => {
  const blob = encodeSnapshot(CONTENTS);

  it('round-trips every field, fractional nanoseconds included', () => {
    expect(decodeSnapshot(blob)).toEqual(CONTENTS);
    expect(encodeSnapshot(decodeSnapshot(blob))).toEqual(blob);
  });

  it('refuses what is not a snapshot', () => {
    expect(refusal(new Uint8Array(0))).toMatch(/not a Cotton PC snapshot/);
    expect(refusal(new TextEncoder().encode('{"json": true}'))).toMatch(/not a Cotton PC snapshot/);
  });

  it('refuses other versions', () => {
    const bytes = blob.slice();
    bytes[9] = 3;
    expect(refusal(bytes)).toMatch(
      /format version 3 is not supported \(this build reads version 2\)/,
    );
  });

  it('refuses a truncated or extended blob, saying so', () => {
    expect(refusal(blob.subarray(0, 12))).toMatch(/truncated: only 12 bytes/);
    expect(refusal(blob.subarray(0, blob.length - 10))).toMatch(
      new RegExp(`truncated: ${blob.length - 10} of its ${blob.length} bytes`),
    );
    expect(refusal(Uint8Array.from([...blob, 0]))).toMatch(/1 unexpected bytes after its end/);
  });

  it('refuses a damaged blob by its checksum', () => {
    for (const at of [20, 100, blob.length - 40]) {
      const bytes = blob.slice();
      bytes[at]! ^= 0x10;
      expect(refusal(bytes)).toMatch(/corrupt: its checksum does not match/);
    }
  });

  it('refuses contents that do not parse, even with a good checksum', () => {
    const hugeCount = reframed(blob, (bytes) => (bytes[14] = 0x7f));
    expect(refusal(hugeCount)).toMatch(/malformed: 127 kernel modules cannot fit/);
    const oneKey = encodeSnapshot({
      ...CONTENTS,
      inputs: [{ boot: 0, atNs: 1, input: { kind: 'serial', bytes: Uint8Array.of(0x5a) } }],
    });
    const kindAt = oneKey.findIndex(
      (_, i) => oneKey[i] === 0 && oneKey[i + 1] === 1 && oneKey[i + 2] === 0x5a,
    );
    expect(refusal(reframed(oneKey, (bytes) => (bytes[kindAt] = 9)))).toMatch(
      /malformed: an input of unknown kind/,
    );
  });

  it('refuses inputs out of order or after the snapshot', () => {
    const [a, b] = CONTENTS.inputs;
    expect(refusal(encodeSnapshot({ ...CONTENTS, inputs: [b!, a!] }))).toMatch(
      /input 1 of 2 is out of order/,
    );
    expect(refusal(encodeSnapshot({ ...CONTENTS, moment: { boot: 1, atNs: -1 } }))).toMatch(
      /input 3 of 3 is out of order/,
    );
  });
});
