/**
 * Types of the virtual modules served by vite-plugin-kernel.ts.
 */
declare module 'virtual:cotton-kernel' {
  /** TypeScript source of every kernel file, keyed by repository path (`src/kernel/…/x.ts`). */
  export const sources: Readonly<Record<string, string>>;
  /** The same files transpiled at build time, keyed the same way. */
  export const modules: Readonly<Record<string, string>>;
}

declare module 'virtual:cotton-kernel/sources' {
  export const sources: Readonly<Record<string, string>>;
}
