import { describe, expect, it } from 'vitest';
import { bookPages } from '../../../src/runtime/node/book-pages';

describe('bookPages', () => {
  it("lists the site's pages from chapters/: '' for the front page, NAME/ for a chapter, sorted", () => {
    const pages = bookPages();
    expect(pages).toContain('');
    expect(pages).toContain('boot/');
    expect(pages).toContain('gui/');
    expect(pages.every((page) => page === '' || /^[a-z0-9-]+\/$/.test(page))).toBe(true);
    expect(pages).toEqual([...pages].sort());
  });

  it('keeps, for machines, the pages whose chapter has a <Machine>', () => {
    const machines = bookPages('machines');
    expect(machines).toContain('boot/');
    expect(machines.every((page) => bookPages().includes(page))).toBe(true);
  });
});
