/**
 * Crash test: cut the power before block writes of a scripted workload (60
 * cut points spread over all of its writes, each at a different position
 * modulo the stride, so every kind of write is hit: journal data, commit
 * record, home blocks, header),
 * remount, and check that fsck finds nothing and that every file that a
 * completed `sync` covered is intact. Files written after the last sync may
 * be missing, but if present they hold a prefix of what was being written.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice } from '../../../src/kernel/fs/block-device';
import { CottonFs } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { FsError, Vfs } from '../../../src/kernel/fs/vfs';
import { check, clock, freshDevice, mount, PowerCut, PowerCutDevice, run } from './helpers';

/** The bytes of a test file; made once per (seed, length): every cut writes and checks the same files. */
const contents = new Map<string, Uint8Array>();
function content(seed: number, length: number): Uint8Array {
  const key = `${seed}:${length}`;
  let data = contents.get(key);
  if (!data) {
    data = new Uint8Array(length);
    for (let i = 0; i < length; i++) data[i] = (i * seed + (i >> 8)) & 0xff;
    contents.set(key, data);
  }
  return data;
}

/** The workload: phases of new files, each ended by a sync; plus churn on a scratch file that is never checked. */
const PHASES: { dirs: string[]; files: [string, number][] }[] = [
  {
    dirs: ['/p1'],
    files: [
      ['/p1/a', 5000],
      ['/p1/b', 70_000],
    ],
  },
  {
    dirs: ['/p2', '/p2/deep'],
    files: [
      ['/p2/deep/c', 300_000],
      ['/p2/d', 10],
    ],
  },
  {
    dirs: ['/p3'],
    files: [
      ['/p3/e', 20_000],
      ['/p3/f', 4096],
    ],
  },
];

function runWorkload(vfs: Vfs, fs: CottonFs, synced: Set<string>): void {
  PHASES.forEach((phase, i) => {
    for (const dir of phase.dirs) run(vfs.mkdir(dir));
    for (const [path, length] of phase.files) run(vfs.writeFile(path, content(i + 3, length)));
    run(vfs.writeFile('/scratch', content(99, 9000 * (i + 1))));
    if (i > 0) run(vfs.rename('/scratch', `/p${i}/moved`));
    if (i > 1) run(vfs.unlink(`/p${i - 1}/moved`));
    run(fs.sync());
    phase.files.forEach(([path]) => synced.add(path));
  });
}

function readIfPresent(vfs: Vfs, path: string): Uint8Array | null {
  try {
    return run(vfs.readFile(path));
  } catch (error) {
    if (error instanceof FsError && error.code === 'ENOENT') return null;
    throw error;
  }
}

function imageAfterFormat(): Uint8Array {
  const device = freshDevice(1024, 128);
  return device.bytes;
}

describe('power cut during a workload', () => {
  it('leaves a consistent file system in which every synced file is intact', () => {
    const formatted = imageAfterFormat();
    // A dry run counts the writes of the workload (mount included).
    const counter = new PowerCutDevice(new MemoryBlockDevice(formatted.slice()));
    const dry = run(CottonFs.mount(counter, clock));
    runWorkload(new Vfs(dry), dry, new Set());
    const totalWrites = counter.writes;
    expect(totalWrites).toBeGreaterThan(300);

    const lengths = new Map(
      PHASES.flatMap((phase, i) =>
        phase.files.map(([path, length]) => [path, { i, length }] as const),
      ),
    );
    const stride = Math.ceil(totalWrites / 60);
    const cuts = Array.from({ length: 60 }, (_, i) =>
      Math.min(totalWrites, i * stride + (i % stride)),
    );
    for (const cut of [...cuts, totalWrites]) {
      const disk = new MemoryBlockDevice(formatted.slice());
      const synced = new Set<string>();
      try {
        const fs = run(CottonFs.mount(new PowerCutDevice(disk, cut), clock));
        runWorkload(new Vfs(fs), fs, synced);
      } catch (error) {
        if (!(error instanceof PowerCut)) throw error;
      }
      const report = check(disk);
      expect(report.fatal, `cut before write ${cut + 1}`).toBeNull();
      expect(report.problems, `cut before write ${cut + 1}`).toEqual([]);
      const { vfs } = mount(disk);
      for (const [path, { i, length }] of lengths) {
        const expected = content(i + 3, length);
        if (synced.has(path)) {
          expect(
            Buffer.from(run(vfs.readFile(path))).equals(expected),
            `cut ${cut}: synced ${path}`,
          ).toBe(true);
          continue;
        }
        const data = readIfPresent(vfs, path);
        if (data)
          expect(
            Buffer.from(data).equals(expected.subarray(0, data.length)),
            `cut ${cut}: unsynced ${path} is a prefix`,
          ).toBe(true);
      }
      expect(check(disk).problems, `after remounting, cut ${cut}`).toEqual([]);
    }
  });
});
