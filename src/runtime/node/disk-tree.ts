/**
 * Reads the repository's `disk/` tree: files the book's disk carries at the
 * same paths (disk/usr/share/fonts/cotton-8x16.psf becomes
 * /usr/share/fonts/cotton-8x16.psf). Node only; the build embeds the same
 * files for the browser's worker (vite-plugin-kernel.ts). The tree's own
 * README.md describes the tree and stays in the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DiskFile } from '../host/book-disk';
import { REPO_ROOT } from './kernel-source-tree';

const TREE_README = 'README.md';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** Every file under `disk/` but its README, with its path on the machine's disk, sorted by path. */
export function readDiskTree(root: string = REPO_ROOT): DiskFile[] {
  const tree = join(root, 'disk');
  return listFiles(tree)
    .map((file) => ({ path: `/${relative(tree, file).split(sep).join('/')}`, file }))
    .filter(({ path }) => path !== `/${TREE_README}`)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(({ path, file }) => ({ path, bytes: new Uint8Array(readFileSync(file)) }));
}
