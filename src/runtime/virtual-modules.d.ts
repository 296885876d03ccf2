/**
 * Types of the virtual modules served by vite-plugin-kernel.ts.
 */
declare module 'virtual:cotton-kernel' {
  /** TypeScript source of every kernel file, keyed by repository path (`src/kernel/…/x.ts`). */
  export const sources: Readonly<Record<string, string>>;
  /** The same files transpiled at build time, keyed the same way, without comments (lines kept). */
  export const modules: Readonly<Record<string, string>>;
  /** The user programs (src/userland/bin), as the firmware's boot modules for /bin. */
  export const programs: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array }>;
  /** The repository's disk/ tree (the desktop's font), for the book's disk at the same paths. */
  export const diskFiles: ReadonlyArray<{ readonly path: string; readonly bytes: Uint8Array }>;
}

/** Where the machine worker fetches the programs and the disk/ tree (vite-plugin-book-files.ts). */
declare module 'virtual:cotton-book-files' {
  export const bookFilesUrl: string;
  /** The name of the book's disk the files make (book-disk.ts's bookDiskVersion). */
  export const bookDiskName: string;
}

declare module 'virtual:cotton-kernel/sources' {
  export const sources: Readonly<Record<string, string>>;
}

/** Live captures made at build time (vite-plugin-captures.ts): every frame of each BOOK_CAPTURES entry. */
declare module 'virtual:cotton-captures' {
  export const captures: Readonly<
    Record<
      string,
      ReadonlyArray<{
        /** Virtual time since power-on. */
        readonly timeMicros: number;
        /** Sent by the machine (otherwise by a host of the virtual network). */
        readonly fromGuest: boolean;
        readonly hex: string;
      }>
    >
  >;
}

/** Monaco's bundled stylesheet as text, for the editor to add (vite-plugin-monaco-styles.ts). */
declare module 'virtual:cotton-monaco-styles' {
  const styles: string;
  export default styles;
}
