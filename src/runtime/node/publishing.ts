/**
 * The book as a published site: an Astro integration (astro.config.mjs) that
 * - puts the chapters' root-relative links under the configured base
 *   (base-links.ts), and links each stylesheet and module script once on
 *   every page (assets-once.ts),
 * - loads the offline support on every built page (browser/offline.ts),
 * - after the build, has every page with a machine start its worker from
 *   its HTML (early-worker.ts), writes the service worker with its precache list
 *   (service-worker-build.ts) and the pre-compressed copies of the large
 *   files (precompress.ts), and reports the site's size.
 * docs/publishing.md is the guide.
 */
import type { AstroIntegration } from 'astro';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rehypeBaseLinks } from './base-links';
import { startWorkersEarly } from './early-worker';
import { listFiles, precompress } from './precompress';
import { writeServiceWorker } from './service-worker-build';

const OFFLINE_CLIENT = fileURLToPath(new URL('../browser/offline.ts', import.meta.url));
const ASSETS_ONCE = fileURLToPath(new URL('./assets-once.ts', import.meta.url));

const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function totalBytes(dir: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(join(dir, file))).size;
  return total;
}

export function bookPublishing(): AstroIntegration {
  let base = '/';
  let assets = '_astro';
  return {
    name: 'cotton-book-publishing',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
        assets = config.build.assets;
      },
      'astro:config:setup': ({ command, config, updateConfig, injectScript, addMiddleware }) => {
        updateConfig({
          markdown: { rehypePlugins: [[rehypeBaseLinks, { base: config.base }]] },
        });
        addMiddleware({ entrypoint: ASSETS_ONCE, order: 'post' });
        if (command === 'build') injectScript('page', `import ${JSON.stringify(OFFLINE_CLIENT)};`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        // Before the service worker's list and the compressed copies: both are of the pages as served.
        const machinePages = await startWorkersEarly(root, base, assets);
        const precache = await writeServiceWorker(root);
        const files = (await listFiles(root)).filter((file) => !/\.(br|gz)$/.test(file));
        const compressed = await precompress(root);
        logger.info(
          `${files.length} files, ${mebibytes(await totalBytes(root, files))}; ` +
            `${machinePages} pages start their machine's worker early; ` +
            `${precache.length} precached for offline reading (${mebibytes(
              await totalBytes(
                root,
                precache.map((f) => (f.endsWith('/') ? `${f}index.html` : f)),
              ),
            )}); ` +
            `${compressed.files} compressed: ${mebibytes(compressed.bytes)} -> ` +
            `${mebibytes(compressed.brotliBytes)} brotli, ${mebibytes(compressed.gzipBytes)} gzip`,
        );
      },
    },
  };
}
