/**
 * The book's pages as the site makes them from chapters/: each `NAME.mdx` is
 * the page at `NAME/` under the base, and `index.mdx` the front page. The
 * browser tests and the benchmarks go through them by this one list, so a new
 * chapter is tested and measured without being named again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kernel-source-tree';

const CHAPTERS = join(REPO_ROOT, 'chapters');

/**
 * The pages' paths under the base, sorted: '' for the front page, 'boot/'
 * for chapters/boot.mdx; `machines` keeps those whose chapter has a <Machine>.
 */
export function bookPages(which: 'all' | 'machines' = 'all'): string[] {
  return readdirSync(CHAPTERS)
    .filter((name) => name.endsWith('.mdx'))
    .filter(
      (name) => which === 'all' || readFileSync(join(CHAPTERS, name), 'utf8').includes('<Machine'),
    )
    .map((name) => name.replace(/\.mdx$/, ''))
    .map((name) => (name === 'index' ? '' : `${name}/`))
    .sort();
}
