// The book: a static Astro + Starlight site whose chapters live in chapters/
// (see src/content.config.ts). The kernel reaches the pages and the machine
// worker through the virtual modules of src/runtime/node/vite-plugin-kernel.ts. Web
// workers (the machine's, Monaco's) are bundled as ES modules, as module workers.
import mdx from '@astrojs/mdx';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { sidebarWithBase } from './src/runtime/node/base-links.ts';
import { bookPublishing } from './src/runtime/node/publishing.ts';
import { cottonCaptures } from './src/runtime/node/vite-plugin-captures.ts';
import { cottonBookFiles } from './src/runtime/node/vite-plugin-book-files.ts';
import { cottonKernel } from './src/runtime/node/vite-plugin-kernel.ts';
import { monacoStylesWithEditor } from './src/runtime/node/vite-plugin-monaco-styles.ts';
import { searchOnOpen } from './src/runtime/node/vite-plugin-search-on-open.ts';

// Where the book is published (docs/publishing.md): BOOK_SITE is its address
// (turns on the sitemap and canonical links), BOOK_BASE the path under it.
const site = process.env.BOOK_SITE || undefined;
const base = process.env.BOOK_BASE || '/';
// Vite lets import.meta.env's names in the environment win when it renders the
// pages, and Vitest sets them for its own modules (BASE_URL=/, DEV=1, PROD=,
// SSR=1, MODE=test): a build started from a test linked everything from the
// root, and rendered the pages as a development build (Starlight left its
// search out). The base comes from BOOK_BASE only, the mode from the build.
for (const name of ['BASE_URL', 'DEV', 'PROD', 'SSR', 'MODE']) delete process.env[name];
// BOOK_DIST builds elsewhere than dist/ (the publishing test's own build, or
// several builds side by side on one machine).
const outDir = process.env.BOOK_DIST || './dist';

export default defineConfig({
  site,
  base,
  outDir,
  integrations: [
    starlight({
      title: 'CottonOS',
      description:
        'An interactive book: build an operating system, in TypeScript, on a PC that runs in your browser.',
      sidebar: sidebarWithBase(base, [
        { label: 'The book', link: '/' },
        { label: 'Boot', link: '/boot/' },
        { label: 'Paging', link: '/paging/' },
        { label: 'CottonFS', link: '/cottonfs/' },
        { label: 'Scheduler', link: '/scheduler/' },
        { label: 'Networking', link: '/networking/' },
        { label: 'TLS', link: '/tls/' },
        { label: 'GUI', link: '/gui/' },
      ]),
    }),
    mdx(),
    bookPublishing(),
  ],
  vite: {
    plugins: [
      cottonKernel(),
      cottonBookFiles(),
      cottonCaptures(),
      monacoStylesWithEditor(),
      searchOnOpen(),
    ],
    worker: { format: 'es', plugins: () => [cottonKernel(), cottonBookFiles()] },
    // Scripts in ASCII, other characters escaped: a script with a single
    // character outside Latin-1 is held and compiled by V8 as two-byte text,
    // which made the machine worker's 1.5 MB script about 60 ms slower to start.
    esbuild: { charset: 'ascii' },
  },
});
