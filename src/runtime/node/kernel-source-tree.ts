/**
 * Reads the kernel's TypeScript sources from the repository (Node only).
 *
 * Used by the CLI, the tests and benchmarks, and by the build, which embeds the
 * sources and their transpiled modules into the book (see vite-plugin-kernel.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelSources } from '../host/kernel-loader';

/** The repository root (this file is src/runtime/node/kernel-source-tree.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function listTypeScript(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScript(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** All kernel sources, keyed by repository path with forward slashes, in a stable order. */
export function readKernelSources(root: string = REPO_ROOT): KernelSources {
  const sources: Record<string, string> = {};
  for (const path of listTypeScript(join(root, 'src', 'kernel')).sort()) {
    sources[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
  }
  return sources;
}
