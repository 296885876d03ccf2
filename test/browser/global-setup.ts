/**
 * Global setup of the browser tests: build the book and serve dist/.
 *
 * Locally the build is skipped when dist/ is newer than every source it is
 * made from (a build takes over a minute); in CI (CI set) it always runs, so
 * the tests can never pass against a stale site. Tests get the server's URL
 * through `inject('bookUrl')`.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBook, builtBookIsFresh } from '../../src/runtime/node/built-book';
import { serveStatic, type StaticServer } from './static-server';

const ROOT = join(import.meta.dirname, '..', '..');
// BOOK_DIST (as in astro.config.mjs) lets several checkouts' builds live side by side.
const DIST = process.env.BOOK_DIST ? join(ROOT, process.env.BOOK_DIST) : join(ROOT, 'dist');

declare module 'vitest' {
  export interface ProvidedContext {
    bookUrl: string;
  }
}

function isCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

let server: StaticServer | null = null;

export async function setup(project: TestProject): Promise<void> {
  if (isCI() || !builtBookIsFresh(ROOT, DIST)) {
    buildBook(ROOT);
  }
  server = await serveStatic(DIST);
  project.provide('bookUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
