/**
 * The book as the browser tests and `npm run bench` build it, and whether a
 * built book (dist/, or BOOK_DIST) is as new as what it is made from. A
 * build takes over a minute, so they reuse a build that is, and build again
 * when any source is newer: neither may test or measure an older book than
 * the one in the working tree.
 *
 * buildBook builds what `npm run build` publishes whatever the caller's
 * environment: Vitest sets NODE_ENV=test, and a build that inherits it
 * bundles the pages' scripts for development (import.meta.env.DEV is true in
 * them: Starlight's search, for one, is left out), so the tests would check
 * a book no reader gets (astro.config.mjs drops the other names Vitest sets).
 */
import { execFileSync, type StdioOptions } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a build is made from, relative to the repository. */
const BOOK_SOURCES = [
  'src',
  'chapters',
  'exercises',
  'public',
  'astro.config.mjs',
  'package.json',
  'package-lock.json',
];

/** The newest modification time under `path` (0 if it does not exist). */
function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  );
}

/** The book built in `dist` exists and is newer than every source under `root`. */
export function builtBookIsFresh(root: string, dist: string): boolean {
  const built = newestMtime(join(dist, 'index.html'));
  return built > 0 && BOOK_SOURCES.every((source) => newestMtime(join(root, source)) < built);
}

/** Build the book under `root` for production (`npx astro build`), into `outDir` if given. */
export function buildBook(
  root: string,
  {
    outDir,
    env = {},
    stdio = 'inherit',
  }: { outDir?: string; env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {},
): void {
  execFileSync('npx', ['astro', 'build', ...(outDir ? ['--outDir', outDir] : [])], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio,
  });
}

/** Build the book into `dist` unless the one there is fresh; `who` (a benchmark) says so on stderr. */
export function buildBookIfStale(root: string, dist: string, who: string): void {
  if (builtBookIsFresh(root, dist)) return;
  console.error(`${who}: building the book into ${dist} (none, or older than its sources) …`);
  buildBook(root, { env: { BOOK_DIST: dist }, stdio: ['ignore', 'ignore', 'inherit'] });
}
