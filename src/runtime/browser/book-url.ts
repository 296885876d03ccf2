/**
 * The book's own URLs, relative to the base it was built for.
 *
 * The book can be published under any path (`BOOK_BASE=/book/ npm run build`,
 * astro.config.mjs), so a URL written from the site's root (`/recordings/…`)
 * would miss it. Vite sets import.meta.env.BASE_URL to the configured base,
 * in the pages' scripts and in .astro files at build time alike.
 */

/** The configured base, always ending in exactly one slash: `/` or `/book/`. */
export const BOOK_BASE = `${import.meta.env.BASE_URL.replace(/\/+$/, '')}/`;

/** `path` (with or without a leading slash) under the book's base: `recordings/x.nex` -> `/book/recordings/x.nex`. */
export function bookUrl(path: string): string {
  return BOOK_BASE + path.replace(/^\/+/, '');
}
