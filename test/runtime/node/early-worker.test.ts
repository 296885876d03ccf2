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
  firstMachine,
  startWorkersEarly,
  withEarlyWorker,
} from '../../../src/runtime/node/early-worker';
import {
  EDIT_KEY_PREFIX,
  FIRST_WORKER_NAME,
  firstWorkerName,
  readWorkerName,
} from '../../../src/runtime/worker/preparation';

const page = (body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"/><title>t</title></head><body>${body}</body></html>`;

const MACHINE = {
  files: ['src/kernel/boot/entry.ts', 'src/kernel/shell/commands.ts'],
  boot: { cmdline: 'gui', screen: true },
};

/** Run the early script in a page whose localStorage is `storage`: the workers it created. */
function runEarlyScript(storage: { getItem(key: string): string | null }) {
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
  const script = earlyWorkerScript('/book/_astro/machine-worker-AbC1.js', MACHINE);
  const code = script.replace(/^<script>/, '').replace(/<\/script>$/, '');
  runInNewContext(code, { Worker: FakeWorker, self, localStorage: storage });
  return { created, listeners, self };
}

describe('the early worker script', () => {
  it("creates the machine's module worker, named a page's first that boots its machine ahead, and keeps a load failure", () => {
    const { created, listeners, self } = runEarlyScript({ getItem: () => null });
    expect(created).toEqual([
      {
        url: '/book/_astro/machine-worker-AbC1.js',
        options: { type: 'module', name: firstWorkerName(MACHINE.boot) },
      },
    ]);
    expect(readWorkerName(firstWorkerName(MACHINE.boot))).toEqual({
      first: true,
      ahead: MACHINE.boot,
    });
    listeners.error!({ message: '' });
    expect(self.cottonFirstWorker?.cottonFailed).toBe('could not load');
  });

  it("leaves the boot to the page when the reader saved an edit of one of the machine's files", () => {
    const storage = new Map([[`${EDIT_KEY_PREFIX}src/kernel/shell/commands.ts`, '// mine']]);
    const { created } = runEarlyScript({ getItem: (key) => storage.get(key) ?? null });
    expect(created[0]!.options).toEqual({ type: 'module', name: FIRST_WORKER_NAME });
    const other = new Map([[`${EDIT_KEY_PREFIX}src/kernel/fs/vfs.ts`, '// another chapter']]);
    const { created: again } = runEarlyScript({ getItem: (key) => other.get(key) ?? null });
    expect(again[0]!.options).toEqual({ type: 'module', name: firstWorkerName(MACHINE.boot) });
  });

  it('cannot be ended early by what it carries', () => {
    const script = earlyWorkerScript('/w.js', { files: ['src/</script><b>.ts'], boot: {} });
    expect(script.indexOf('</script>')).toBe(script.length - '</script>'.length);
  });

  it('boots ahead when storage is disabled (no edit can be saved then)', () => {
    const { created } = runEarlyScript({
      getItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(created[0]!.options).toEqual({ type: 'module', name: firstWorkerName(MACHINE.boot) });
  });
});

describe("a page's first machine", () => {
  it('is read from its element as machine-element.ts reads it', () => {
    const html = page(
      '<cotton-machine class="not-content" data-files="[&quot;src/kernel/gui/rect.ts&quot;]" data-cmdline="gui" data-view="screen"></cotton-machine>' +
        '<cotton-machine data-files="[]" data-ram="64"></cotton-machine>',
    );
    expect(firstMachine(html)).toEqual({
      files: ['src/kernel/gui/rect.ts'],
      boot: { ramMiB: undefined, cmdline: 'gui', screen: true },
    });
    expect(firstMachine(page('<cotton-machine data-ram="64"></cotton-machine>'))).toEqual({
      files: [],
      boot: { ramMiB: 64, cmdline: undefined, screen: false },
    });
    expect(firstMachine(page('<p>prose</p>'))).toBeNull();
  });

  it('refuses a data-files that is not a list of files', () => {
    expect(() => firstMachine(page('<cotton-machine data-files="{}"></cotton-machine>'))).toThrow(
      /not a list of files/,
    );
  });
});

describe('withEarlyWorker', () => {
  it('goes right after the charset of a page with a machine, and nowhere else', () => {
    const machine = page('<cotton-machine data-files="[]"></cotton-machine>');
    const started = withEarlyWorker(machine, '/w.js');
    expect(started.startsWith('<!DOCTYPE html><html><head><meta charset="utf-8"/><script>')).toBe(
      true,
    );
    expect(started).toContain('new Worker("/w.js",{type:"module",name:n})');
    const script = earlyWorkerScript('/w.js', {
      files: [],
      boot: { ramMiB: undefined, cmdline: undefined, screen: false },
    });
    expect(started.replace(script, '')).toBe(machine);
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
