/**
 * What a chapter's page makes the browser download, file by file: the
 * breakdown behind `page.js_gzip_kb` and `editor.js_gzip_kb` (issue 12).
 *
 * `weightOf` takes the built files a page requested and sizes each one
 * gzipped at the default level (so a figure does not depend on which
 * pre-compressed twins a build has); `breakdown` turns them into extra JSON
 * lines of the benchmark, one per file, named by the file without its
 * content hash (`page.gzip_kb.machine-worker.js`), so two builds compare
 * line by line. The run-alone tables list every file the page fetched;
 * the benchmark's lines count what a machine needs to run (isMachineCode).
 * The page's weight and the editor's are told apart by what a file is
 * (byRole), not by when it came: the page fetches the editor's code ahead
 * of Edit, and its own (the figures) after the first prompt, when it is
 * idle. A reader who stays at the chapter's machine, as the benchmark's
 * does, fetches no player (they wait for the reader to come near) and no
 * search (it waits to be opened).
 *
 * Run alone (`npx tsx src/bench/page-weight.ts [chapter]`, a chapter's slug
 * such as `paging`, `boot` by default; the book built in BOOK_DIST or dist/)
 * it loads the chapter once in Chromium, waits for the first prompt, pauses
 * as a reader does, presses Edit, and prints what came up to the first
 * prompt, the page's weight and the editor's as tables.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isEditorScript } from '../runtime/node/service-worker-build';

export interface FileWeight {
  /** The built file's name without its content hash: `machine-worker.js`. */
  readonly name: string;
  readonly file: string;
  readonly gzipBytes: number;
  readonly rawBytes: number;
}

const gzipCache = new Map<string, { gzip: number; raw: number }>();

/** Vite's names are `name.HASH.ext` or `name-HASH.ext`; the hash is 8 characters of [\w-]. */
export function unhashedName(file: string): string {
  return basename(file).replace(/[.-][\w-]{8}(?=\.[a-z]+$)/, '');
}

/** Each distinct file of `files` (those `only` accepts, if given), gzipped. */
export function weightOf(files: Iterable<string>, only?: (file: string) => boolean): FileWeight[] {
  const weights: FileWeight[] = [];
  for (const file of new Set(files)) {
    if (only && !only(file)) continue;
    let size = gzipCache.get(file);
    if (size === undefined) {
      const bytes = readFileSync(file);
      size = { gzip: gzipSync(bytes).length, raw: bytes.length };
      gzipCache.set(file, size);
    }
    weights.push({ name: unhashedName(file), file, gzipBytes: size.gzip, rawBytes: size.raw });
  }
  return weights.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

/**
 * What a machine needs to run, the benchmark's measure: scripts, and the
 * binary file of the book's programs (it replaced JavaScript that carried
 * them as base64, so it counts as that did).
 */
export const isMachineCode = (file: string): boolean =>
  ['.js', '.mjs', '.bin'].includes(extname(file));

/**
 * The editor's code, built into `dist`: Monaco, its workers and language
 * services (the scripts the service worker keeps together for the editor),
 * and the transpiler of the reader's edits. Whenever the page fetches them
 * (the editor's on idle, ahead of Edit; the transpiler with the next
 * Reboot's worker), they are the editor's weight, not the page's.
 */
export const isEditorCode = (dist: string, file: string): boolean =>
  isEditorScript(relative(dist, file)) || unhashedName(file) === 'transpile.js';

/** The files of a visit to a chapter, the editor's code (isEditorCode) apart from the page's. */
export function byRole(
  dist: string,
  files: readonly string[],
): { page: string[]; editor: string[] } {
  return {
    page: files.filter((file) => !isEditorCode(dist, file)),
    editor: files.filter((file) => isEditorCode(dist, file)),
  };
}

export const kilobytes = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

export const totalKb = (weights: readonly FileWeight[]): number =>
  kilobytes(weights.reduce((n, w) => n + w.gzipBytes, 0));

/** One benchmark line per file: `<prefix>.<name>` in gzipped KB. */
export function breakdown(prefix: string, weights: readonly FileWeight[]) {
  return weights.map((w) => ({
    name: `${prefix}.${w.name}`,
    value: kilobytes(w.gzipBytes),
    unit: 'KB',
  }));
}

function table(title: string, weights: readonly FileWeight[]): string {
  const rows = weights.map(
    (w) =>
      `${String(kilobytes(w.gzipBytes)).padStart(8)}  ${String(kilobytes(w.rawBytes)).padStart(8)}  ${w.name}`,
  );
  return [`${title}: ${totalKb(weights)} KB gzipped`, '  gz KB    raw KB  file', ...rows].join(
    '\n',
  );
}

async function main(): Promise<void> {
  const { measureChapterWeight } = await import('./browser-benchmarks');
  // `paging`, `/paging` and `/paging/` all name the page at `/paging/`.
  const chapter = `/${(process.argv[2] ?? 'boot').replace(/^\/+|\/+$/g, '')}/`;
  const { firstPrompt, page, editor } = await measureChapterWeight(chapter);
  console.log(table(`${chapter} up to the first prompt`, firstPrompt));
  console.log();
  console.log(table(`${chapter} without the editor`, page));
  console.log();
  console.log(table('the editor', editor));
}

// Not awaited at the top level: browser-benchmarks.ts imports this module back.
if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
