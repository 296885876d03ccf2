/**
 * Model-based test: random sequences of file operations on CottonFS and on a
 * plain in-memory model (a Map of paths), which must always agree. Seeded, so
 * a failure names the seed and step to replay.
 */
import { describe, expect, it } from 'vitest';
import { FsError } from '../../../src/kernel/fs/vfs';
import { check, freshDevice, mount, run } from './helpers';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

type Model = Map<string, Uint8Array | 'dir'>;

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

function modelChildren(model: Model, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return [...model.keys()]
    .filter((p) => p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
    .map((p) => p.slice(prefix.length));
}

function runModelTest(seed: number, steps: number): void {
  const random = uniformRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const device = freshDevice(1024, 128);
  let { vfs, fs } = mount(device);
  const model: Model = new Map([['/', 'dir']]);
  const names = ['a', 'b', 'c', 'dir1', 'dir2'];

  const randomPath = (): string => {
    const dirs = [...model].filter(([, v]) => v === 'dir').map(([p]) => p);
    const dir = pick(dirs);
    return `${dir === '/' ? '' : dir}/${pick(names)}`;
  };
  /** Both sides must fail with the same error code, or both succeed. */
  const attempt = (label: string, expected: string | null, action: () => void): void => {
    let actual: string | null = null;
    try {
      action();
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      actual = error.code;
    }
    expect(actual, `seed ${seed}: ${label}`).toBe(expected);
  };

  for (let step = 0; step < steps; step++) {
    const path = randomPath();
    const existing = model.get(path);
    const parentIsDir = model.get(parentOf(path)) === 'dir';
    const label = `step ${step}`;
    switch (
      pick([
        'write',
        'write',
        'append',
        'mkdir',
        'unlink',
        'rmdir',
        'rename',
        'truncate',
        'link',
        'remount',
      ] as const)
    ) {
      case 'write': {
        const data = Uint8Array.from({ length: Math.floor(random() * 20_000) }, () =>
          Math.floor(random() * 256),
        );
        const expected = existing === 'dir' ? 'EISDIR' : null;
        attempt(`${label} write ${path}`, expected, () => run(vfs.writeFile(path, data)));
        if (!expected) model.set(path, data);
        break;
      }
      case 'append': {
        if (!(existing instanceof Uint8Array)) break;
        const offset = existing.length + Math.floor(random() * 9000);
        const extra = Uint8Array.from({ length: 1 + Math.floor(random() * 5000) }, (_, i) => i);
        run(run(vfs.resolve(path)).write(offset, extra));
        const grown = new Uint8Array(offset + extra.length);
        grown.set(existing);
        grown.set(extra, offset);
        model.set(path, grown);
        break;
      }
      case 'mkdir': {
        const expected = existing ? 'EEXIST' : null;
        attempt(`${label} mkdir ${path}`, expected, () => run(vfs.mkdir(path)));
        if (!expected) model.set(path, 'dir');
        break;
      }
      case 'unlink': {
        const expected = existing === undefined ? 'ENOENT' : existing === 'dir' ? 'EISDIR' : null;
        attempt(`${label} unlink ${path}`, expected, () => run(vfs.unlink(path)));
        if (!expected) model.delete(path);
        break;
      }
      case 'rmdir': {
        const expected =
          existing === undefined
            ? 'ENOENT'
            : existing !== 'dir'
              ? 'ENOTDIR'
              : modelChildren(model, path).length > 0
                ? 'ENOTEMPTY'
                : null;
        attempt(`${label} rmdir ${path}`, expected, () => run(vfs.rmdir(path)));
        if (!expected) model.delete(path);
        break;
      }
      case 'rename': {
        const to = randomPath();
        const target = model.get(to);
        if (!existing || path === to) break;
        const intoItself = existing === 'dir' && (to === path || to.startsWith(`${path}/`));
        const expected = intoItself
          ? 'EINVAL'
          : target === undefined
            ? null
            : existing === 'dir' && target !== 'dir'
              ? 'ENOTDIR'
              : existing !== 'dir' && target === 'dir'
                ? 'EISDIR'
                : target === 'dir' && modelChildren(model, to).length > 0
                  ? 'ENOTEMPTY'
                  : null;
        attempt(`${label} rename ${path} ${to}`, expected, () => run(vfs.rename(path, to)));
        if (expected) break;
        const moved = [...model].filter(([p]) => p === path || p.startsWith(`${path}/`));
        for (const [p] of moved) model.delete(p);
        model.delete(to);
        for (const [p, v] of moved) model.set(to + p.slice(path.length), v);
        break;
      }
      case 'truncate': {
        if (!(existing instanceof Uint8Array)) break;
        const size = Math.floor(random() * 30_000);
        run(run(vfs.resolve(path)).truncate(size));
        const resized = new Uint8Array(size);
        resized.set(existing.subarray(0, size));
        model.set(path, resized);
        break;
      }
      case 'link': {
        const to = randomPath();
        if (!(existing instanceof Uint8Array) || model.has(to) || !parentIsDir) break;
        run(vfs.link(path, to));
        // The model has no shared files, so the second name is checked and removed at once.
        expect(Buffer.from(run(vfs.readFile(to))).equals(existing)).toBe(true);
        run(vfs.unlink(to));
        break;
      }
      case 'remount':
        run(fs.sync());
        ({ vfs, fs } = mount(device));
        break;
    }
  }
  // The whole tree agrees with the model, and fsck is happy.
  for (const [path, value] of model) {
    if (value === 'dir')
      expect(
        run(vfs.readdir(path))
          .map((e) => e.name)
          .filter((n) => n !== '.' && n !== '..')
          .sort(),
        `seed ${seed} ${path}`,
      ).toEqual(modelChildren(model, path).sort());
    else
      expect(Buffer.from(run(vfs.readFile(path))).equals(value), `seed ${seed} ${path}`).toBe(true);
  }
  run(fs.sync());
  expect(check(device).problems, `seed ${seed}`).toEqual([]);
}

describe('CottonFS against an in-memory model', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agrees on 150 random operations (seed ${seed})`, () => runModelTest(seed, 150));
  }
});
