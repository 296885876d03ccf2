/**
 * When the browser tests and the benchmark build the book again
 * (src/runtime/node/built-book.ts): when there is none, or a source is newer.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtBookIsFresh } from '../../../src/runtime/node/built-book';

let root = '';
afterEach(() => rm(root, { recursive: true, force: true }));

async function touch(path: string, secondsAgo: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '');
  const at = new Date(Date.now() - secondsAgo * 1000);
  await utimes(path, at, at);
}

describe('the built book', () => {
  it('is fresh when built after every source, and stale once a source changes', async () => {
    root = await mkdtemp(join(tmpdir(), 'cotton-built-'));
    const dist = join(root, 'dist');
    expect(builtBookIsFresh(root, dist)).toBe(false); // not built
    await touch(join(root, 'src', 'kernel', 'entry.ts'), 60);
    await touch(join(root, 'chapters', 'boot.mdx'), 60);
    for (const dir of ['src/kernel', 'src', 'chapters'])
      await utimes(join(root, dir), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await touch(join(dist, 'index.html'), 10);
    expect(builtBookIsFresh(root, dist)).toBe(true);
    await touch(join(root, 'chapters', 'boot.mdx'), 0);
    expect(builtBookIsFresh(root, dist)).toBe(false);
  });
});
