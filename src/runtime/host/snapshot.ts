/**
 * Machine snapshots by deterministic replay, as record/replay debuggers do.
 *
 * The kernel is TypeScript running on the host's JS engine: its threads are
 * generators and its state lives in closures, none of which can be written to
 * bytes. But the machine is deterministic, so a snapshot records what makes the
 * run (kernel sources, configuration, the input log with virtual times) and a
 * restore boots the same kernel and replays the inputs in fast mode up to the
 * snapshot's moment. Then it compares the machine's state digests (RAM, CPU,
 * every device, the clock; src/emu/machine-state.ts) with the ones recorded:
 * equal digests mean the restored machine is the original one, and a mismatch
 * is an error saying which parts differ rather than a machine that is subtly
 * someone else's.
 *
 * The cost is the replay: restoring takes as long as running the session did
 * in fast mode (idle time costs nothing there).
 */
import { MACHINE_STATE_PARTS, type PartDigest } from '../../emu/machine-state';
import { sha256, toHex } from '../../emu/sha256';
import type { MachineMoment } from './input-log';
import type { KernelSources } from './kernel-loader';
import type { MachineHost } from './machine-host';
import type { NamedDigest, SnapshotContents } from './snapshot-format';

/** The snapshot is well formed but this machine cannot become the one it describes. */
export class SnapshotMismatchError extends Error {
  override name = 'SnapshotMismatchError';
}

/**
 * A digest of the kernel's sources per folder, by folder path: a snapshot stays
 * a few kilobytes however many files the kernel grows to, and a mismatch still
 * says where the kernels differ.
 */
export function kernelDigests(sources: KernelSources): NamedDigest[] {
  const folders = new Map<string, string[]>();
  for (const path of Object.keys(sources).sort()) {
    const folder = path.slice(0, path.lastIndexOf('/'));
    folders.set(folder, [...(folders.get(folder) ?? []), path]);
  }
  return [...folders].map(([folder, paths]) => ({
    name: folder,
    digest: sha256(paths.map((path) => `${path}\0${sources[path]}\0`).join('')),
  }));
}

function listFolders(folders: readonly string[]): string {
  return folders.length <= 3
    ? folders.join(', ')
    : `${folders.slice(0, 3).join(', ')} and ${folders.length - 3} more`;
}

/** Refuse sources that are not the kernel the snapshot ran (edited files travel in the snapshot itself). */
export function checkKernelSources(contents: SnapshotContents, sources: KernelSources): void {
  const ours = new Map(kernelDigests(sources).map(({ name, digest }) => [name, toHex(digest)]));
  const theirs = new Map(contents.kernel.map(({ name, digest }) => [name, toHex(digest)]));
  const changed = [...theirs]
    .filter(([name, digest]) => ours.has(name) && ours.get(name) !== digest)
    .map(([name]) => name);
  const missing = [...theirs.keys()].filter((name) => !ours.has(name));
  const added = [...ours.keys()].filter((name) => !theirs.has(name));
  const problems = [
    changed.length > 0 ? `changed: ${listFolders(changed)}` : '',
    missing.length > 0 ? `missing here: ${listFolders(missing)}` : '',
    added.length > 0 ? `not in the snapshot: ${listFolders(added)}` : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new SnapshotMismatchError(
      `the snapshot was taken with different kernel sources (${problems.join('; ')})`,
    );
  }
}

/** Refuse a disk that is not the one the snapshot's machine first powered on with. */
export function checkDisk(contents: SnapshotContents, disk: SnapshotContents['disk']): void {
  const want = contents.disk;
  if (!want && !disk) return;
  if (!want)
    throw new SnapshotMismatchError(
      'the snapshot was taken without a disk, but a disk is attached',
    );
  if (!disk)
    throw new SnapshotMismatchError(
      'the snapshot was taken with a disk attached; attach the same disk image',
    );
  if (want.length !== disk.length || toHex(want.digest) !== toHex(disk.digest)) {
    throw new SnapshotMismatchError(
      'the disk image differs from the one the snapshot was taken with (it must be the image as it was before that session wrote to it)',
    );
  }
}

function diverged(host: MachineHost, target: MachineMoment, what: string): SnapshotMismatchError {
  const at = host.moment();
  return new SnapshotMismatchError(
    `replaying the snapshot diverged from the original run (nondeterminism, or a different emulator build): ` +
      `${what} was due in boot ${target.boot} at ${target.atNs} ns, but the machine is ${host.state} in boot ${at.boot} at ${at.atNs} ns`,
  );
}

/** Run the host in fast mode to `atNs` in its current boot; it must end up exactly there. */
function runTo(host: MachineHost, target: MachineMoment, what: string): void {
  if (host.moment().boot === target.boot && host.machine.clock.now < target.atNs)
    host.runUntil(target.atNs);
  const at = host.moment();
  if (at.boot !== target.boot || at.atNs !== target.atNs) throw diverged(host, target, what);
}

/** Run the host through the resets recorded before boot `boot`: each must happen at its recorded time. */
function runToBoot(host: MachineHost, resets: readonly number[], boot: number): void {
  for (let current = host.moment().boot; current < boot; current++) {
    const reset = { boot: current, atNs: resets[current]! };
    host.runUntil(reset.atNs);
    if (host.moment().boot !== current + 1 || host.resets[current] !== reset.atNs)
      throw diverged(host, reset, `reset ${current + 1}`);
  }
}

/** Give the host each logged input at its moment, then run on to the snapshot's moment. */
export function replayInputs(host: MachineHost, contents: SnapshotContents): void {
  const { inputs, resets, moment } = contents;
  inputs.forEach((logged, n) => {
    runToBoot(host, resets, logged.boot);
    runTo(host, logged, `input ${n + 1} of ${inputs.length}`);
    host.send(logged.input);
  });
  runToBoot(host, resets, moment.boot);
  runTo(host, moment, 'the snapshot');
}

/** Compare the restored machine's state digests with the snapshot's. */
export function checkState(recorded: readonly NamedDigest[], now: readonly PartDigest[]): void {
  const expected = new Map(recorded.map(({ name, digest }) => [name, toHex(digest)]));
  const differing = now
    .filter(({ part, digest }) => expected.get(part) !== toHex(digest))
    .map(({ part }) => part);
  const unknown = [...expected.keys()].filter(
    (name) => !(MACHINE_STATE_PARTS as readonly string[]).includes(name),
  );
  if (differing.length > 0 || unknown.length > 0) {
    throw new SnapshotMismatchError(
      `the restored machine differs from the snapshot's in: ${[...differing, ...unknown].join(', ')} ` +
        '(nondeterminism detected, or a different emulator build)',
    );
  }
}
