/**
 * The machine snapshot file format: what a snapshot holds and its bytes.
 *
 * A snapshot is a recipe, not a memory dump (see snapshot.ts): the kernel it
 * ran (a SHA-256 of every original module, and the full text of edited ones),
 * the machine's configuration, the input log, the moment of the snapshot and
 * the digests of the machine's state at that moment, to check the restored
 * machine against. So it stays a few kilobytes however much RAM is in use.
 *
 *   magic "CTSNAP\r\n" · u16 version · u32 total length
 *   kernel:    count · (folder, digest[32])…
 *   overrides: count · (path, text)…
 *   config:    ramMiB · commandLine · startTime f64 · disk? (u8 0/1 · length f64 · digest[32])
 *              · network (JSON text: the virtual network's seed and link conditions)
 *   inputs:    count · (boot · atNs f64 · kind u8 · payload)…
 *   resets:    count · atNs f64…       (when each earlier boot reset; their count is the snapshot's boot)
 *   moment:    atNs f64
 *   state:     count · (part, digest[32])…
 *   u32 CRC-32 of everything before it
 *
 * Counts, boots and lengths are LEB128 unsigned varints, strings are a length
 * and UTF-8, times are IEEE-754 doubles (virtual time has fractional
 * nanoseconds), everything multi-byte is big-endian. The "\r\n" in the magic
 * catches a file mangled by newline conversion. A blob that is not this format,
 * of another version, cut short, or damaged is refused with a SnapshotFormatError
 * that says which.
 */
import { ByteWriter } from '../../emu/byte-writer';
import { ethernetFcs as crc32 } from '../../emu/net/ethernet';
import type { VirtualNetworkConfig } from '../../emu/net/virtual-network';
import { isBefore, type LoggedInput, type MachineInput, type MachineMoment } from './input-log';

export const SNAPSHOT_VERSION = 2;
const MAGIC = new TextEncoder().encode('CTSNAP\r\n');
const HEADER_BYTES = MAGIC.length + 2 + 4;
const CRC_BYTES = 4;
const DIGEST_BYTES = 32;
const INPUT_KINDS = ['serial', 'key', 'mouse'] as const;

export interface NamedDigest {
  readonly name: string;
  readonly digest: Uint8Array;
}

export interface SnapshotContents {
  /** Digests of the original kernel sources, per folder (snapshot.ts kernelDigests). */
  readonly kernel: readonly NamedDigest[];
  /** Edited kernel files: path → full text. */
  readonly overrides: Readonly<Record<string, string>>;
  readonly ramMiB: number;
  readonly commandLine: string;
  readonly startTime: number;
  /** The disk as it was at the first power-on, or null without a disk. */
  readonly disk: { readonly length: number; readonly digest: Uint8Array } | null;
  /** The virtual network's seed, link conditions and lease time at power-on. */
  readonly network: VirtualNetworkConfig;
  readonly inputs: readonly LoggedInput[];
  /** The virtual time at which each boot before the snapshot's reset. */
  readonly resets: readonly number[];
  /** When the snapshot was taken; its boot is `resets.length`. */
  readonly moment: MachineMoment;
  /** The machine's state digests at `moment`, by part. */
  readonly state: readonly NamedDigest[];
}

export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(count: number, what: string): number {
    if (this.offset + count > this.bytes.length) {
      throw new SnapshotFormatError(
        `snapshot is malformed: ${what} at byte ${this.offset} runs past the end of its data`,
      );
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }

  get atEnd(): boolean {
    return this.offset === this.bytes.length;
  }
  raw(count: number, what: string): Uint8Array {
    const at = this.take(count, what);
    return this.bytes.slice(at, at + count);
  }
  u8(what: string): number {
    return this.view.getUint8(this.take(1, what));
  }
  f64(what: string): number {
    return this.view.getFloat64(this.take(8, what));
  }
  varint(what: string): number {
    let value = 0;
    for (let scale = 1; scale < 2 ** 53; scale *= 0x80) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return value;
    }
    throw new SnapshotFormatError(`snapshot is malformed: ${what} is not a valid number`);
  }
  string(what: string): string {
    const bytes = this.raw(this.varint(what), what);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new SnapshotFormatError(`snapshot is malformed: ${what} is not UTF-8`);
    }
  }
  /** A count of items of at least `minBytes` each: more than the data left could hold is malformed. */
  count(what: string, minBytes: number): number {
    const count = this.varint(what);
    if (count * minBytes > this.bytes.length - this.offset) {
      throw new SnapshotFormatError(
        `snapshot is malformed: ${count} ${what} cannot fit in the data left`,
      );
    }
    return count;
  }
}

// ---- writing ----

function writeNamedDigests(w: ByteWriter, digests: readonly NamedDigest[]): void {
  w.varint(digests.length);
  for (const { name, digest } of digests) {
    w.string(name);
    w.raw(digest);
  }
}

function writeInput(w: ByteWriter, { boot, atNs, input }: LoggedInput): void {
  w.varint(boot);
  w.f64(atNs);
  w.u8(INPUT_KINDS.indexOf(input.kind));
  if (input.kind === 'serial') w.bytesWithLength(input.bytes);
  else if (input.kind === 'key') {
    w.string(input.code);
    w.u8(input.pressed ? 1 : 0);
  } else {
    w.f64(input.dx);
    w.f64(input.dy);
    w.u8(input.buttons);
  }
}

export function encodeSnapshot(contents: SnapshotContents): Uint8Array {
  const w = new ByteWriter();
  w.raw(MAGIC);
  w.u16(SNAPSHOT_VERSION);
  w.u32(0); // total length, patched below
  writeNamedDigests(w, contents.kernel);
  const overrides = Object.entries(contents.overrides).sort(([a], [b]) => (a < b ? -1 : 1));
  w.varint(overrides.length);
  for (const [path, text] of overrides) {
    w.string(path);
    w.string(text);
  }
  w.varint(contents.ramMiB);
  w.string(contents.commandLine);
  w.f64(contents.startTime);
  w.u8(contents.disk ? 1 : 0);
  if (contents.disk) {
    w.f64(contents.disk.length);
    w.raw(contents.disk.digest);
  }
  w.string(JSON.stringify(contents.network));
  w.varint(contents.inputs.length);
  for (const input of contents.inputs) writeInput(w, input);
  w.varint(contents.resets.length);
  for (const atNs of contents.resets) w.f64(atNs);
  w.f64(contents.moment.atNs);
  writeNamedDigests(w, contents.state);
  w.patchU32(MAGIC.length + 2, w.length + CRC_BYTES);
  const body = w.finish();
  w.u32(crc32(body));
  return w.finish();
}

// ---- reading ----

/** Magic, version, length and checksum: is this a whole, undamaged snapshot this build can read? */
function checkEnvelope(blob: Uint8Array): void {
  if (blob.length < MAGIC.length || MAGIC.some((byte, i) => blob[i] !== byte)) {
    throw new SnapshotFormatError('not a Cotton PC snapshot (its first bytes are not "CTSNAP")');
  }
  if (blob.length < HEADER_BYTES + CRC_BYTES)
    throw new SnapshotFormatError(`snapshot is truncated: only ${blob.length} bytes`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const version = view.getUint16(MAGIC.length);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(
      `snapshot format version ${version} is not supported (this build reads version ${SNAPSHOT_VERSION})`,
    );
  }
  const length = view.getUint32(MAGIC.length + 2);
  if (blob.length < length)
    throw new SnapshotFormatError(`snapshot is truncated: ${blob.length} of its ${length} bytes`);
  if (blob.length > length)
    throw new SnapshotFormatError(
      `snapshot has ${blob.length - length} unexpected bytes after its end`,
    );
  if (crc32(blob.subarray(0, length - CRC_BYTES)) !== view.getUint32(length - CRC_BYTES)) {
    throw new SnapshotFormatError('snapshot is corrupt: its checksum does not match its contents');
  }
}

function readNamedDigests(r: Reader, what: string): NamedDigest[] {
  return Array.from({ length: r.count(what, 1 + DIGEST_BYTES) }, () => ({
    name: r.string(`${what} name`),
    digest: r.raw(DIGEST_BYTES, `${what} digest`),
  }));
}

function readInputPayload(r: Reader): MachineInput {
  const kind = INPUT_KINDS[r.u8('input kind')];
  if (kind === 'serial')
    return { kind, bytes: r.raw(r.varint('serial input length'), 'serial input') };
  if (kind === 'key') return { kind, code: r.string('key code'), pressed: r.u8('key state') === 1 };
  if (kind === 'mouse')
    return { kind, dx: r.f64('mouse dx'), dy: r.f64('mouse dy'), buttons: r.u8('mouse buttons') };
  throw new SnapshotFormatError('snapshot is malformed: an input of unknown kind');
}

function readInputs(r: Reader): LoggedInput[] {
  return Array.from({ length: r.count('inputs', 10) }, () => {
    const boot = r.varint('input boot');
    const atNs = r.f64('input time');
    return { boot, atNs, input: readInputPayload(r) };
  });
}

/** Inputs in the order they happened, none after the snapshot. */
function checkChronology(inputs: readonly LoggedInput[], end: MachineMoment): void {
  inputs.forEach((input, n) => {
    const next = inputs[n + 1] ?? end;
    if (isBefore(next, input))
      throw new SnapshotFormatError(
        `snapshot is malformed: input ${n + 1} of ${inputs.length} is out of order`,
      );
  });
}

function readNetworkConfig(r: Reader): VirtualNetworkConfig {
  const text = r.string('network configuration');
  try {
    const config: unknown = JSON.parse(text);
    if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
      return config as VirtualNetworkConfig;
    }
  } catch {
    // reported below
  }
  throw new SnapshotFormatError(
    'snapshot is malformed: its network configuration is not an object',
  );
}

export function decodeSnapshot(blob: Uint8Array): SnapshotContents {
  checkEnvelope(blob);
  const r = new Reader(blob.subarray(HEADER_BYTES, blob.length - CRC_BYTES));
  const kernel = readNamedDigests(r, 'kernel modules');
  const overrides: Record<string, string> = {};
  for (let n = r.count('edited files', 2); n > 0; n--)
    overrides[r.string('edited file path')] = r.string('edited file text');
  const ramMiB = r.varint('RAM size');
  const commandLine = r.string('command line');
  const startTime = r.f64('start time');
  const disk = r.u8('disk flag')
    ? { length: r.f64('disk length'), digest: r.raw(DIGEST_BYTES, 'disk digest') }
    : null;
  const network = readNetworkConfig(r);
  const inputs = readInputs(r);
  const resets = Array.from({ length: r.count('resets', 8) }, () => r.f64('reset time'));
  const moment = { boot: resets.length, atNs: r.f64('snapshot time') };
  const state = readNamedDigests(r, 'state digests');
  if (!r.atEnd)
    throw new SnapshotFormatError('snapshot is malformed: unexpected data after its state digests');
  checkChronology(inputs, moment);
  return {
    kernel,
    overrides,
    ramMiB,
    commandLine,
    startTime,
    disk,
    network,
    inputs,
    resets,
    moment,
    state,
  };
}
