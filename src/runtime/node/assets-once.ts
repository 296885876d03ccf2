/**
 * Every page links each stylesheet and module script once: Astro middleware
 * (added by publishing.ts, so in `npm run dev` and in the build alike) that
 * drops a page's repeated `<link rel="stylesheet">` and `<script
 * type="module" src>` tags, keeping the first of each.
 *
 * Expressive Code puts its stylesheet and script before the first code block
 * it renders, once per renderer: a chapter whose code fences (MDX) and
 * <KernelSource> excerpts (Starlight's <Code>) both show code links them
 * twice. With its stylesheet linked twice, a chapter's layouts forced by
 * xterm while it draws the boot log (it measures its glyphs: about a hundred
 * and fifty) recomputed the style and layout of the whole chapter (3 105
 * elements, 6 527 boxes, some 80 ms each time, in a Chromium trace), and
 * the chapter showed its first prompt a second late: 1.5 s instead of 0.5 s
 * on Paging, the same on CottonFS, Networking and TLS. A module script runs
 * once however often it is linked; its repeats go too.
 */
import type { MiddlewareHandler } from 'astro';

/** A stylesheet link or an external module script, as Astro and Expressive Code write them. */
const ASSET_TAG =
  /<link rel="stylesheet" href="[^"]+"\s*\/?>|<script type="module" src="[^"]+"><\/script>/g;

/** `html` with the second and later copies of each stylesheet link and module script left out. */
export function linkAssetsOnce(html: string): string {
  const seen = new Set<string>();
  return html.replace(ASSET_TAG, (tag) => {
    const key = tag.replace(/\s*\/?>$/, '>');
    if (seen.has(key)) return '';
    seen.add(key);
    return tag;
  });
}

export const onRequest: MiddlewareHandler = async (_context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
  const html = await response.text();
  // The body is rewritten: a length given for the old one would cut the new one short, or hang.
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(linkAssetsOnce(html), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};
