// The book: a static Astro + Starlight site whose chapters live in chapters/
// (see src/content.config.ts). The kernel reaches the pages and the machine
// worker through the virtual modules of src/runtime/node/vite-plugin-kernel.ts. Web
// workers (the machine's, Monaco's) are bundled as ES modules, as module workers.
import mdx from '@astrojs/mdx';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { cottonCaptures } from './src/runtime/node/vite-plugin-captures.ts';
import { cottonKernel } from './src/runtime/node/vite-plugin-kernel.ts';

/** A planned chapter: listed in order, pointing at the front page's plan until it is written. */
function comingChapter(label) {
  return { label, link: '/#the-chapters', badge: { text: 'coming', variant: 'note' } };
}

export default defineConfig({
  integrations: [
    starlight({
      title: 'CottonOS',
      description:
        'An interactive book: build an operating system, in TypeScript, on a PC that runs in your browser.',
      sidebar: [
        { label: 'The book', link: '/' },
        { label: 'Boot', link: '/boot/' },
        { label: 'Paging', link: '/paging/' },
        { label: 'CottonFS', link: '/cottonfs/' },
        { label: 'Scheduler', link: '/scheduler/' },
        { label: 'Networking', link: '/networking/' },
        ...['TLS'].map(comingChapter),
        { label: 'GUI', link: '/gui/' },
      ],
    }),
    mdx(),
  ],
  vite: {
    plugins: [cottonKernel(), cottonCaptures()],
    worker: { format: 'es', plugins: () => [cottonKernel()] },
  },
});
