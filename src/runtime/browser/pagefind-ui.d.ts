/** The part of Pagefind's UI module (`@pagefind/default-ui`, shipped without types) that search-on-open.ts uses. */
declare module '@pagefind/default-ui' {
  export class PagefindUI {
    constructor(options: Readonly<Record<string, unknown>>);
  }
}
