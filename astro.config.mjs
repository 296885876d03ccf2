// The book: a static Astro + Starlight site whose chapters live in chapters/
// (see src/content.config.ts). The kernel reaches the pages and the machine
// worker through the virtual modules of src/runtime/vite-plugin-kernel.ts; the
// worker is bundled as an ES module because it imports code lazily.
import mdx from '@astrojs/mdx';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { cottonKernel } from './src/runtime/vite-plugin-kernel.ts';

export default defineConfig({
  integrations: [
    starlight({
      title: 'CottonOS',
      description: 'An interactive book: build an operating system, in TypeScript, on a PC that runs in your browser.',
      sidebar: [
        { label: 'The book', link: '/' },
        { label: 'Boot', link: '/boot/' },
      ],
    }),
    mdx(),
  ],
  vite: {
    plugins: [cottonKernel()],
    worker: { format: 'es', plugins: () => [cottonKernel()] },
  },
});
