/**
 * Vite plugin: Starlight's search box loads Pagefind's UI when the reader
 * opens it, not on every page's first idle moment.
 *
 * Starlight's Search component imports `@pagefind/default-ui` and builds it
 * as soon as the page is idle. This plugin resolves that one import, made by
 * that component, to browser/search-on-open.ts, which takes the same options
 * and imports the real module itself when the search dialog first opens
 * (its own import resolves as usual). Starlight's component, its markup,
 * styles and shortcuts stay as they are.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const PAGEFIND_UI = '@pagefind/default-ui';
const STARLIGHT_SEARCH = '/@astrojs/starlight/components/Search.astro';
const SEARCH_ON_OPEN = fileURLToPath(new URL('../browser/search-on-open.ts', import.meta.url));

/** Whether `importer` is Starlight's Search component (or one of its scripts). */
export const isStarlightSearch = (importer: string | undefined): boolean =>
  importer?.replaceAll('\\', '/').split('?')[0]?.endsWith(STARLIGHT_SEARCH) ?? false;

export function searchOnOpen(): Plugin {
  return {
    name: 'cotton-search-on-open',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === PAGEFIND_UI && isStarlightSearch(importer) ? SEARCH_ON_OPEN : null;
    },
  };
}
