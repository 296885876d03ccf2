/**
 * The kernel's folders form layers: a folder may import from itself and from
 * the folders below it, never from one above. This keeps the kernel readable
 * bottom-up, chapter by chapter, and rules out import cycles between
 * subsystems. The order is the one `src/kernel/README.md` gives; this test
 * checks the tree against it and the README against the test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const KERNEL = resolve(__dirname, '../../src/kernel');

/** Lowest first. */
export const KERNEL_LAYERS = [
  'lib',
  'arch',
  'sched',
  'mm',
  'drivers',
  'fs',
  'net',
  'proc',
  'syscall',
  'shell',
  'gui',
  'inspect',
  'boot',
] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The kernel folder a file belongs to ('lib', 'fs', ...), or null outside src/kernel. */
function layerOf(path: string): string | null {
  const rel = relative(KERNEL, path);
  if (rel.startsWith('..')) return null;
  return rel.split('/')[0] ?? null;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  return specs.map((spec) => resolve(dirname(file), spec));
}

/** Every import that goes from a folder to a folder above it, as 'file -> target'. */
export function upwardImports(): string[] {
  const rank = new Map<string, number>(KERNEL_LAYERS.map((name, index) => [name, index]));
  const found: string[] = [];
  for (const file of sourceFiles(KERNEL)) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (from === null || to === null || from === to) continue;
      if ((rank.get(to) ?? Infinity) > (rank.get(from) ?? -1)) {
        found.push(`${relative(KERNEL, file)} -> ${relative(KERNEL, target)}`);
      }
    }
  }
  return found;
}

describe('kernel layers', () => {
  it('every kernel folder is a known layer', () => {
    const folders = readdirSync(KERNEL).filter((name) =>
      statSync(join(KERNEL, name)).isDirectory(),
    );
    expect(folders.filter((name) => !(KERNEL_LAYERS as readonly string[]).includes(name))).toEqual(
      [],
    );
  });

  it('no folder imports from a folder above it', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('src/kernel/README.md states the same order', () => {
    const readme = readFileSync(join(KERNEL, 'README.md'), 'utf8');
    const line = readme.split('\n').find((l) => l.startsWith('Layers, lowest first:'));
    expect(line, 'README line "Layers, lowest first: ..."').toBeDefined();
    const names = [...line!.matchAll(/`([a-z]+)\/`/g)].map((m) => m[1]);
    expect(names).toEqual([...KERNEL_LAYERS]);
  });
});
