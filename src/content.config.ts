/**
 * The book's chapters: Starlight's `docs` collection, read from chapters/
 * instead of src/content/docs so that the book sits at the top of the
 * repository next to the kernel it explains.
 */
import { docsSchema } from '@astrojs/starlight/schema';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';

export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/*.{md,mdx}', base: './chapters' }),
    schema: docsSchema(),
  }),
};
