/**
 * Vite plugin: Monaco's styles come with the editor, not in every page's head.
 *
 * monaco-editor's ES modules each import their own CSS file. Vite gathers the
 * CSS of the editor's chunk, and Astro links it in the head of every page that
 * can open the editor: 175 KB of render-blocking CSS for every reader, most of
 * whom never press Edit. This plugin makes those imports empty and serves
 * Monaco's one bundled stylesheet (min/vs/editor/editor.main.css: the same
 * rules, its font and images inline) as text:
 *
 *   import monacoStyles from 'virtual:cotton-monaco-styles';
 *
 * which editor.ts adds to the page when it creates the editor.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const STYLES_ID = 'virtual:cotton-monaco-styles';
const RESOLVED_STYLES = `\0${STYLES_ID}`;
const EMPTY_STYLES = '\0cotton-monaco-styles-empty';

/** Monaco's bundled stylesheet, beside its AMD build's entry (min/vs/index.js). */
function bundledStyles(): string {
  const amdEntry = createRequire(import.meta.url).resolve('monaco-editor');
  return readFileSync(join(dirname(amdEntry), 'editor', 'editor.main.css'), 'utf8');
}

export function monacoStylesWithEditor(): Plugin {
  return {
    name: 'cotton-monaco-styles',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === STYLES_ID) return RESOLVED_STYLES;
      const fromMonaco = importer?.replaceAll('\\', '/').includes('/monaco-editor/esm/');
      return fromMonaco && source.endsWith('.css') ? EMPTY_STYLES : null;
    },
    load(id) {
      if (id === RESOLVED_STYLES) return `export default ${JSON.stringify(bundledStyles())};`;
      return id === EMPTY_STYLES ? 'export {};' : null;
    },
  };
}
