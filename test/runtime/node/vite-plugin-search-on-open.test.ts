import { describe, expect, it } from 'vitest';
import {
  isStarlightSearch,
  searchOnOpen,
} from '../../../src/runtime/node/vite-plugin-search-on-open';

const STARLIGHT =
  '/book/node_modules/@astrojs/starlight/components/Search.astro?astro&type=script&index=0&lang.ts';

/** The plugin's answer for `source` imported by `importer`. */
function resolve(source: string, importer: string | undefined): unknown {
  const hook = searchOnOpen().resolveId as (source: string, importer?: string) => unknown;
  return hook(source, importer);
}

describe('vite-plugin-search-on-open', () => {
  it("resolves Starlight's import of Pagefind's UI to the module that loads it on open", () => {
    expect(resolve('@pagefind/default-ui', STARLIGHT)).toMatch(
      /src\/runtime\/browser\/search-on-open\.ts$/,
    );
    expect(isStarlightSearch(STARLIGHT.replaceAll('/', '\\'))).toBe(true);
  });

  it("leaves every other import alone, that module's own import of Pagefind among them", () => {
    expect(
      resolve('@pagefind/default-ui', '/book/src/runtime/browser/search-on-open.ts'),
    ).toBeNull();
    expect(resolve('@pagefind/default-ui', undefined)).toBeNull();
    expect(resolve('./other', STARLIGHT)).toBeNull();
  });
});
