/**
 * Root-relative links moved under the base the book is built for, in the
 * rendered chapters and in the sidebar.
 */
import { describe, expect, it } from 'vitest';
import { rehypeBaseLinks, sidebarWithBase, withBase } from '../../../src/runtime/node/base-links';

describe('withBase', () => {
  it('puts root-relative paths under the base', () => {
    expect(withBase('/book/', '/paging/')).toBe('/book/paging/');
    expect(withBase('/book', '/#the-chapters')).toBe('/book/#the-chapters');
  });

  it('leaves other links, paths already under the base, and the root base alone', () => {
    expect(withBase('/book/', 'https://example.org/x')).toBe('https://example.org/x');
    expect(withBase('/book/', '//cdn.example.org/x')).toBe('//cdn.example.org/x');
    expect(withBase('/book/', 'relative/')).toBe('relative/');
    expect(withBase('/book/', '/book/boot/')).toBe('/book/boot/');
    expect(withBase('/book/', '/book')).toBe('/book');
    expect(withBase('/book/', '/bookish/')).toBe('/book/bookish/');
    expect(withBase('/', '/paging/')).toBe('/paging/');
  });
});

describe('rehypeBaseLinks', () => {
  it('rewrites href and src at any depth', () => {
    const tree = {
      type: 'root',
      children: [
        {
          type: 'element',
          properties: { href: '/paging/' },
          children: [{ type: 'element', properties: { src: '/favicon.svg', alt: '/x' } }],
        },
      ],
    };
    rehypeBaseLinks({ base: '/book/' })(tree);
    expect(tree.children[0]!.properties.href).toBe('/book/paging/');
    expect(tree.children[0]!.children[0]!.properties).toEqual({
      src: '/book/favicon.svg',
      alt: '/x',
    });
  });
});

describe('sidebarWithBase', () => {
  it('rewrites links in groups and keeps the rest of each item', () => {
    const sidebar = sidebarWithBase('/book/', [
      { label: 'Boot', link: '/boot/' },
      { label: 'Group', items: [{ label: 'Paging', link: '/paging/', badge: 'new' }] },
    ]);
    expect(sidebar).toEqual([
      { label: 'Boot', link: '/book/boot/' },
      { label: 'Group', items: [{ label: 'Paging', link: '/book/paging/', badge: 'new' }] },
    ]);
  });
});
