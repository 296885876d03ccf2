/**
 * The build step that has a page with a machine start its worker from its
 * HTML (src/runtime/node/early-worker.ts): where the script goes, which pages
 * get it, and that the script it writes is a working one.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  earlyWorkerScript,
  startWorkersEarly,
  withEarlyWorker,
} from '../../../src/runtime/node/early-worker';

const page = (body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"/><title>t</title></head><body>${body}</body></html>`;

describe('the early worker script', () => {
  it("creates the machine's module worker at the URL marked as a page's first, and keeps a load failure", () => {
    const created: { url: string; options: unknown }[] = [];
    const listeners: Record<string, (event: { message: string }) => void> = {};
    class FakeWorker {
      cottonFailed?: string;
      constructor(url: string, options: unknown) {
        created.push({ url, options });
      }
      addEventListener(type: string, listener: (event: { message: string }) => void): void {
        listeners[type] = listener;
      }
    }
    const self: { cottonFirstWorker?: FakeWorker } = {};
    const script = earlyWorkerScript('/book/_astro/machine-worker-AbC1.js');
    const code = script.replace(/^<script>/, '').replace(/<\/script>$/, '');
    runInNewContext(code, { Worker: FakeWorker, self });
    expect(created).toEqual([
      {
        url: '/book/_astro/machine-worker-AbC1.js',
        options: { type: 'module', name: 'cotton-machine first' },
      },
    ]);
    listeners.error!({ message: '' });
    expect(self.cottonFirstWorker?.cottonFailed).toBe('could not load');
  });

  it('goes right after the charset of a page with a machine, and nowhere else', () => {
    const machine = page('<cotton-machine data-files="[]"></cotton-machine>');
    const started = withEarlyWorker(machine, '/w.js');
    expect(started.startsWith('<!DOCTYPE html><html><head><meta charset="utf-8"/><script>')).toBe(
      true,
    );
    expect(started).toContain(
      'new Worker("/w.js",{"type":"module","name":"cotton-machine first"})',
    );
    expect(started.replace(earlyWorkerScript('/w.js'), '')).toBe(machine);
    const prose = page('<p>No machine here.</p>');
    expect(withEarlyWorker(prose, '/w.js')).toBe(prose);
  });

  it('refuses a page with a machine but no charset to keep first', () => {
    expect(() =>
      withEarlyWorker('<html><cotton-machine></cotton-machine></html>', '/w.js'),
    ).toThrow(/charset/);
  });
});

describe('startWorkersEarly', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("rewrites the built pages with a machine, naming the build's worker script under the base", async () => {
    root = await mkdtemp(join(tmpdir(), 'early-worker-'));
    await mkdir(join(root, '_astro'));
    await mkdir(join(root, 'boot'));
    await writeFile(join(root, '_astro', 'machine-worker-Xy_9.js'), '');
    await writeFile(join(root, '_astro', 'page.js'), '');
    await writeFile(join(root, 'boot', 'index.html'), page('<cotton-machine></cotton-machine>'));
    await writeFile(join(root, 'index.html'), page('<p>contents</p>'));
    expect(await startWorkersEarly(root, '/book', '_astro')).toBe(1);
    expect(await readFile(join(root, 'boot', 'index.html'), 'utf8')).toContain(
      'new Worker("/book/_astro/machine-worker-Xy_9.js",',
    );
    expect(await readFile(join(root, 'index.html'), 'utf8')).toBe(page('<p>contents</p>'));
  });

  it('fails the build when the worker script is not there to start', async () => {
    root = await mkdtemp(join(tmpdir(), 'early-worker-'));
    await mkdir(join(root, '_astro'));
    await expect(startWorkersEarly(root, '/', '_astro')).rejects.toThrow(
      /expected one machine worker script in _astro\/, found 0/,
    );
  });
});
