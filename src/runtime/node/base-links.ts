/**
 * Links written from the site's root in the chapters (`[paging](/paging/)`),
 * and the sidebar's links, moved under the base the book is built for.
 *
 * Chapters link to each other as readers see the book: from its root. When
 * the book is published under a path (BOOK_BASE=/book/), a rehype plugin
 * rewrites those links in the rendered Markdown, and sidebarWithBase() does the
 * same for the sidebar's hand-written links (Starlight leaves both as written).
 * Links to other sites and protocol-relative links (`//host/…`) are left alone.
 */

interface HastNode {
  type: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/** `path` under `base` when it is written from the site's root, else unchanged. */
export function withBase(base: string, path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  const prefix = base.replace(/\/+$/, '');
  if (prefix === '' || path === prefix || path.startsWith(`${prefix}/`)) return path;
  return prefix + path;
}

function rewriteLinks(node: HastNode, base: string): void {
  for (const attribute of ['href', 'src']) {
    const value = node.properties?.[attribute];
    if (typeof value === 'string') node.properties![attribute] = withBase(base, value);
  }
  for (const child of node.children ?? []) rewriteLinks(child, base);
}

/** A rehype plugin: every root-relative href and src of a rendered page, under `base`. */
export function rehypeBaseLinks(options: { base: string }) {
  return (tree: HastNode): void => rewriteLinks(tree, options.base);
}

interface SidebarItem {
  link?: string;
  items?: SidebarItem[];
}

/** The sidebar's items with their root-relative links under `base`. */
export function sidebarWithBase<T extends SidebarItem>(base: string, items: T[]): T[] {
  return items.map((item) => ({
    ...item,
    ...(item.link === undefined ? {} : { link: withBase(base, item.link) }),
    ...(item.items === undefined ? {} : { items: sidebarWithBase(base, item.items) }),
  }));
}
