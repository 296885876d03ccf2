/**
 * A page links each stylesheet and module script once (assets-once.ts): the
 * repeats Expressive Code writes before each renderer's first code block go,
 * the first of each stays where it was, and nothing else is touched.
 */
import { describe, expect, it } from 'vitest';
import { linkAssetsOnce, onRequest } from '../../../src/runtime/node/assets-once';

const EC_CSS = '/book/_astro/ec.v4551.css';
const EC_JS = '/book/_astro/ec.0vx5m.js';

/** A code block as Expressive Code renders it, with its assets (`slash`: as the <Code> component writes them). */
const block = (code: string, slash = false): string =>
  `<div class="expressive-code"><link rel="stylesheet" href="${EC_CSS}"${slash ? '/' : ''}>` +
  `<script type="module" src="${EC_JS}"></script><figure><pre><code>${code}</code></pre></figure></div>`;

const PAGE = [
  '<!doctype html><html><head><link rel="stylesheet" href="/book/_astro/index.css">',
  '<script type="module" src="/book/_astro/page.js"></script></head><body>',
  block('one'),
  '<p>prose</p>',
  block('two', true),
  block('three'),
  '<script type="module">import "/book/_astro/inline.js";</script>',
  '<link rel="preload" href="/book/_astro/index.css" as="style">',
  '</body></html>',
].join('');

const count = (html: string, text: string): number => html.split(text).length - 1;

describe('a page links each stylesheet and module script once', () => {
  it("keeps the first of Expressive Code's links and drops its repeats, in either spelling", () => {
    const html = linkAssetsOnce(PAGE);
    expect(count(html, `href="${EC_CSS}"`)).toBe(1);
    expect(count(html, `src="${EC_JS}"`)).toBe(1);
    // The first ones stay before the first block's code.
    expect(html.indexOf(`href="${EC_CSS}"`)).toBeLessThan(html.indexOf('one'));
    for (const code of ['one', 'two', 'three', 'prose']) expect(html).toContain(code);
  });

  it('leaves a page without repeats as it is, inline scripts and preloads included', () => {
    const once = linkAssetsOnce(PAGE);
    expect(linkAssetsOnce(once)).toBe(once);
    expect(once).toContain('<script type="module">import "/book/_astro/inline.js";</script>');
    expect(once).toContain('<link rel="preload" href="/book/_astro/index.css" as="style">');
    expect(count(once, 'href="/book/_astro/index.css"')).toBe(2);
  });

  it('as middleware, rewrites pages and passes anything else through untouched', async () => {
    const answer = (body: string, type: string) => async () =>
      new Response(body, {
        status: 200,
        headers: { 'content-type': type, 'content-length': String(body.length) },
      });
    const context = {} as Parameters<typeof onRequest>[0];
    const page = (await onRequest(context, answer(PAGE, 'text/html'))) as Response;
    expect(count(await page.text(), `href="${EC_CSS}"`)).toBe(1);
    expect(page.headers.get('content-type')).toBe('text/html');
    // The old body's length would cut the shorter page.
    expect(page.headers.get('content-length')).toBeNull();
    const json = (await onRequest(context, answer(PAGE, 'application/json'))) as Response;
    expect(await json.text()).toBe(PAGE);
  });
});
